/**
 * Exercise check for notebook 08 (training the paper's way, Appendix C and Section III-B): the
 * learner writes SDLM's step size of one weight, ε_k = η / (μ + h_kk), and this function tries it.
 *
 * Input: the learner's function. Output: an {@link ExerciseResult}, printed. On a wrong answer the
 * message names the usual slip. The check never throws.
 */
import { SDLM_MU } from "../paper";
import { type ExerciseResult, exerciseResult, tryLearnerCode } from "./result";

/** What the learner writes in notebook 08: SDLM's learning rate of one weight. */
export type SdlmStepSizeFunction = (eta: number, mu: number, h: number) => number;

/** [η, μ, h_kk] cases: the paper's μ, lenet5's μ at batch 16, and a zero curvature. */
const SDLM_CASES: readonly (readonly [number, number, number])[] = [
  [0.0005, SDLM_MU, 0.08], // 0.0005 / 0.1 = 0.005
  [0.0002, 1.6, 0.4], // 0.0002 / 2 = 0.0001
  [0.0005, SDLM_MU, 0], // no curvature: η/μ = 0.025, the largest step
];

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-12 + 1e-9 * Math.abs(b);
}

function diagnoseSdlm(value: number, eta: number, mu: number, h: number): string | undefined {
  const slips: [number, string][] = [
    [0, "still the starter: write ε = η / (μ + h)"],
    [eta / h, "that forgets μ: without it a weight with h ≈ 0 gets an unbounded step"],
    [eta / mu, "that ignores the curvature h: every weight would get the same rate η/μ"],
    [eta * (mu + h), "the curvature divides η: more curvature, smaller step"],
    [eta / (mu * h), "μ is added to h, not multiplied"],
    [eta / mu + h, "divide η by the sum μ + h"],
    [eta, "that is plain SGD: divide η by μ + h"],
  ];
  return slips.find(([wrong]) => Number.isFinite(wrong) && close(value, wrong))?.[1];
}

/**
 * Checks the learner's SDLM step size ε_k = η/(μ + h_kk) on the paper's μ = 0.02, lenet5's
 * μ = 1.6 (batch 16) and a weight with no curvature; a wrong answer names the slip (μ forgotten,
 * h ignored, multiplied instead of divided).
 * @example
 * ```ts
 * const result = checkSdlmStepSize((eta, mu, h) => eta / (mu + h));
 * result.ok; // true — prints "✓ …"
 * ```
 */
export function checkSdlmStepSize(stepSize: SdlmStepSizeFunction): ExerciseResult {
  for (const [eta, mu, h] of SDLM_CASES) {
    const call = `sdlmStepSize(${eta}, ${mu}, ${h})`;
    const run = tryLearnerCode("sdlmStepSize", () => stepSize(eta, mu, h));
    if (!run.ok) return exerciseResult(false, run.error);
    const value = run.value;
    if (typeof value !== "number" || Number.isNaN(value)) {
      return exerciseResult(false, `${call} returned ${String(value)}, not a number`);
    }
    const expected = eta / (mu + h);
    if (!close(value, expected)) {
      const why = diagnoseSdlm(value, eta, mu, h);
      return exerciseResult(
        false,
        `${call} returned ${value}; expected ${expected} = η / (μ + h)` +
          (why === undefined ? "" : ` — ${why}`),
      );
    }
  }
  const [eta, mu] = SDLM_CASES[2];
  return exerciseResult(
    true,
    `ε = η/(μ + h): a weight with no curvature gets the largest step, η/μ = ${eta / mu} with the ` +
      `paper's μ = ${mu}; high curvature shrinks the step`,
  );
}
