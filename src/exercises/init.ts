/**
 * Exercise check for notebook 06 (the initialisation of Appendix A): with the paper's uniform
 * ±2.4/F_i a weighted sum's std scales as 1/√F_i, so the signal shrinks at every C and F layer.
 * The learner picks another initial range ({ numerator, divisor }: ±numerator/F_i or
 * ±numerator/√F_i) under which every layer's weighted sums keep a useful size on real digits:
 * std between {@link SPREAD_LOW} (not vanishing) and {@link SPREAD_HIGH} (not saturating).
 *
 * Input: the learner's range, digits [N, 32, 32, 1] and their labels. Output: an
 * {@link ExerciseResult}; the check never throws.
 */
import type { InitScale } from "../layers/paper-uniform";
import { historicalParams } from "../models/historical";
import { createModel } from "../models/registry";
import type { Tensor } from "../scratch/tensor";
import { historicalLayerSpread } from "../inspect/layer-spread";
import { type ExerciseResult, exerciseResult, tryLearnerCode } from "./result";

/** Below this std a layer's sums have all but vanished (the paper's range reaches 0.012 at F6). */
export const SPREAD_LOW = 0.2;
/** Above this std many sums sit where f' < 10% of f'(0) (|a| > 2.73). */
export const SPREAD_HIGH = 1.5;

/**
 * Builds the paper's net with the learner's initial range (seed 1) and checks that the std of
 * every layer's weighted sums on `inputs` lies in [{@link SPREAD_LOW}, {@link SPREAD_HIGH}].
 * @example
 * ```ts
 * checkInitRange({ numerator: 2.4, divisor: "fanIn" }, x, labels);
 * // ✗ … F6's sums have std 0.012: the signal vanished …
 * ```
 */
export function checkInitRange(
  range: InitScale,
  inputs: Tensor,
  labels: ArrayLike<number>,
): ExerciseResult {
  const built = tryLearnerCode("the range", () => {
    const model = createModel("historical", { seed: 1, initScale: range });
    const params = historicalParams(model);
    model.dispose();
    return params;
  });
  if (!built.ok) return exerciseResult(false, built.error);
  const rows = historicalLayerSpread(built.value, inputs, labels);
  const listed = rows.map((r) => `${r.layer} ${r.sumStd.toFixed(3)}`).join(", ");
  const low = rows.find((r) => r.sumStd < SPREAD_LOW);
  if (low !== undefined)
    return exerciseResult(
      false,
      `${low.layer}'s sums have std ${low.sumStd.toFixed(3)} < ${SPREAD_LOW}: the signal has all but vanished there (${listed}). A larger numerator, or a divisor that shrinks less with F_i?`,
    );
  const high = rows.find((r) => r.sumStd > SPREAD_HIGH);
  if (high !== undefined)
    return exerciseResult(
      false,
      `${high.layer}'s sums have std ${high.sumStd.toFixed(3)} > ${SPREAD_HIGH}: many of its units start saturated (${listed}). A smaller numerator?`,
    );
  return exerciseResult(
    true,
    `every layer's sums keep a useful size, std from ${Math.min(...rows.map((r) => r.sumStd)).toFixed(3)} to ${Math.max(...rows.map((r) => r.sumStd)).toFixed(3)} (${listed})`,
  );
}
