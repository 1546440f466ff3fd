/**
 * Checks of three predict → run → check exercises: the learner writes down what a run will show,
 * the notebook runs it, and the check compares the prediction with the measurement.
 *
 *   notebook 07  silence F6 units of the trained net: does its accuracy hold (it loses less than
 *                {@link KNOCKOUT_HOLDS_POINTS} points) or fall?
 *   notebook 09  Adam with a large step, with and without batch norm: does the run learn, or stay
 *                at chance (its last tenth's mean loss at least {@link CHANCE_LOSS_FRACTION}·ln 10,
 *                the softmax cross-entropy of a uniform guess over ten digits)?
 *   notebook 10  move the test digits 2 pixels: whose error grows by the larger factor, k-NN on
 *                raw pixels or the convolutional net?
 *
 * Input: the prediction and the run's numbers. Output: an {@link ExerciseResult}, printed; a wrong
 * prediction gets a question to think about. The checks never throw.
 */
import { lossByTenth } from "./plateau";
import { type ExerciseResult, exerciseResult } from "./result";

/** A net "holds" when it loses less than this many percentage points of accuracy. */
export const KNOCKOUT_HOLDS_POINTS = 2;

/**
 * Whether silencing some of F6's units left the accuracy where it was, and the prediction's verdict.
 * @example
 * ```ts
 * checkKnockoutPrediction("holds", 0.989, 0.988, "42 of 84 F6 units silenced"); // ✓ as you predicted, …
 * ```
 */
export function checkKnockoutPrediction(
  prediction: string,
  accuracyBefore: number,
  accuracyAfter: number,
  run = "this run",
): ExerciseResult {
  if (prediction !== "holds" && prediction !== "falls")
    return exerciseResult(false, `predict "holds" or "falls", not ${JSON.stringify(prediction)}`);
  if (![accuracyBefore, accuracyAfter].every((a) => a >= 0 && a <= 1))
    return exerciseResult(
      false,
      `${run}: accuracies must be fractions in [0, 1], got ${accuracyBefore} and ${accuracyAfter}`,
    );
  const lost = 100 * (accuracyBefore - accuracyAfter);
  const measured = lost < KNOCKOUT_HOLDS_POINTS ? "holds" : "falls";
  const detail =
    `${run}: the accuracy ${measured} (${(100 * accuracyBefore).toFixed(1)}% → ` +
    `${(100 * accuracyAfter).toFixed(1)}%, ${lost >= 0 ? "−" : "+"}${Math.abs(lost).toFixed(1)} points)`;
  return prediction === measured
    ? exerciseResult(true, `as you predicted, ${detail}`)
    : exerciseResult(
        false,
        `you predicted it ${prediction}, but ${detail}. How many pixels must be lost before the ` +
          `right prototype stops being the nearest?`,
      );
}

/** A run whose last tenth's mean loss is at least this fraction of ln 10 is "stuck" at chance. */
export const CHANCE_LOSS_FRACTION = 0.9;

/**
 * Whether a softmax run learned or stayed at chance, and the prediction's verdict.
 * @example
 * ```ts
 * checkChancePrediction("stuck", run.losses, "Adam at 0.03, no batch norm"); // ✓ as you predicted, …
 * ```
 */
export function checkChancePrediction(
  prediction: string,
  losses: readonly number[],
  run = "this run",
): ExerciseResult {
  if (prediction !== "learns" && prediction !== "stuck")
    return exerciseResult(false, `predict "learns" or "stuck", not ${JSON.stringify(prediction)}`);
  const tenths = lossByTenth(losses);
  if (tenths.length === 0 || tenths.some((v) => !Number.isFinite(v)))
    return exerciseResult(
      false,
      `${run}: need at least ten finite batch losses, got ${losses.length}`,
    );
  const chance = Math.log(10);
  const last = tenths[9];
  const measured = last >= CHANCE_LOSS_FRACTION * chance ? "stuck" : "learns";
  const detail =
    `${run}: it ${measured === "stuck" ? "stays at chance" : "learns"} (mean loss of the last ` +
    `tenth of updates ${last.toFixed(2)}; a uniform guess over ten digits costs ln 10 = ` +
    `${chance.toFixed(2)}; by tenth: ${tenths.map((v) => v.toFixed(2)).join(" ")})`;
  return prediction === measured
    ? exerciseResult(true, `as you predicted, ${detail}`)
    : exerciseResult(
        false,
        `you predicted it ${prediction}, but ${detail}. What happens to a ReLU unit whose ` +
          `weighted sum one large step pushes below 0 for every input?`,
      );
}

/** Test error of one classifier before and after the test digits were moved. */
export interface ShiftedErrors {
  /** Error rate on the digits as they are, a fraction. */
  readonly before: number;
  /** Error rate on the same digits moved, a fraction. */
  readonly after: number;
}

/**
 * Whose error grows by the larger factor when the test digits move, and the prediction's verdict.
 * @example
 * ```ts
 * checkShiftPrediction("k-NN", { before: 0.07, after: 0.38 }, { before: 0.01, after: 0.03 });
 * // ✓ as you predicted, k-NN's error grows 5.4×, LeNet-5's 3.0×
 * ```
 */
export function checkShiftPrediction(
  prediction: string,
  knn: ShiftedErrors,
  lenet: ShiftedErrors,
  shift = "moved 2 pixels",
): ExerciseResult {
  if (prediction !== "k-NN" && prediction !== "LeNet-5")
    return exerciseResult(false, `predict "k-NN" or "LeNet-5", not ${JSON.stringify(prediction)}`);
  const rates = [knn.before, knn.after, lenet.before, lenet.after];
  if (!rates.every((r) => r >= 0 && r <= 1) || knn.before === 0 || lenet.before === 0)
    return exerciseResult(
      false,
      `error rates must be fractions in [0, 1], and above 0 before the shift: got ${rates.join(", ")}`,
    );
  const growth = { "k-NN": knn.after / knn.before, "LeNet-5": lenet.after / lenet.before };
  const measured = growth["k-NN"] > growth["LeNet-5"] ? "k-NN" : "LeNet-5";
  const percent = (r: number): string => `${(100 * r).toFixed(1)}%`;
  const detail =
    `with the digits ${shift}, k-NN's error grows ${growth["k-NN"].toFixed(1)}× ` +
    `(${percent(knn.before)} → ${percent(knn.after)}), LeNet-5's ` +
    `${growth["LeNet-5"].toFixed(1)}× (${percent(lenet.before)} → ${percent(lenet.after)})`;
  return prediction === measured
    ? exerciseResult(true, `as you predicted, ${detail}`)
    : exerciseResult(
        false,
        `you predicted ${prediction}'s error would grow more, but ${detail}. Which of the two ` +
          `compares pixel with pixel, and which compares features found anywhere near?`,
      );
}
