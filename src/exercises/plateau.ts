/**
 * Exercise check for notebook 09 (a controlled comparison): chapter 8's live SDLM run of the
 * paper's net on 2,000 digits drops, then hovers on a plateau before it falls again; chapter 9's
 * modern run has none, but differs in six ways at once. The learner changes one thing at a time
 * on the paper's net, predicts whether the plateau stays, runs it, and the check compares the
 * prediction with the run's batch losses.
 *
 * A run "has a plateau" when, after its first tenth, it stalls: the mean batch loss of its fourth
 * tenth of updates is still at least {@link PLATEAU_RATIO} of its second tenth's.
 * Input: the prediction and the run's batch losses in order. Output: an {@link ExerciseResult};
 * the check never throws.
 */
import { type ExerciseResult, exerciseResult } from "./result";

/** A fourth-tenth mean loss at least this fraction of the second tenth's counts as a plateau. */
export const PLATEAU_RATIO = 0.9;

/** What the learner predicts for a run. */
export type PlateauPrediction = "plateau" | "no plateau";

/** The mean batch loss of each tenth of a run (fewer than ten updates: an empty list). */
export function lossByTenth(losses: readonly number[]): number[] {
  const tenth = Math.floor(losses.length / 10);
  if (tenth === 0) return [];
  return Array.from({ length: 10 }, (_, i) => {
    const part = losses.slice(i * tenth, (i + 1) * tenth);
    return part.reduce((sum, v) => sum + v, 0) / part.length;
  });
}

/**
 * Whether a run's losses show the plateau, and the prediction's verdict.
 * @example
 * ```ts
 * checkPlateauPrediction("plateau", run.losses); // ✓ … plateau: 4th tenth 57.7 = 100% of 2nd tenth 57.5 …
 * ```
 */
export function checkPlateauPrediction(
  prediction: string,
  losses: readonly number[],
  run = "this run",
): ExerciseResult {
  if (prediction !== "plateau" && prediction !== "no plateau")
    return exerciseResult(
      false,
      `predict "plateau" or "no plateau", not ${JSON.stringify(prediction)}`,
    );
  const tenths = lossByTenth(losses);
  if (tenths.length === 0 || tenths.some((v) => !Number.isFinite(v)))
    return exerciseResult(
      false,
      `${run}: need at least ten finite batch losses, got ${losses.length}`,
    );
  const ratio = tenths[3] / tenths[1];
  const measured: PlateauPrediction = ratio >= PLATEAU_RATIO ? "plateau" : "no plateau";
  const detail =
    `${run}: ${measured} (mean loss of the 4th tenth of updates ${tenths[3].toFixed(1)} = ` +
    `${(100 * ratio).toFixed(0)}% of the 2nd tenth's ${tenths[1].toFixed(1)}; by tenth: ` +
    `${tenths.map((v) => v.toFixed(1)).join(" ")})`;
  return prediction === measured
    ? exerciseResult(true, `as you predicted, ${detail}`)
    : exerciseResult(
        false,
        `you predicted ${prediction}, but ${detail}. What does that say about its cause?`,
      );
}
