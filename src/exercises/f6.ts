/**
 * Exercise check for notebook 06 (F6 and the scaled tanh, Section II-B eq. 6 and Appendix A of
 * the paper): the learner writes the squashing function and its derivative,
 *
 *   f(a) = A · tanh(S · a),   f'(a) = A · S · (1 − tanh²(S · a)),   A = 1.7159, S = 2/3
 *
 * Input: the learner's f and f'. Output: an {@link ExerciseResult}. The reference is the
 * library's `scaledTanhScalar` / `scaledTanhDerivative`; the check never throws.
 */
import { SCALED_TANH_A, SCALED_TANH_S } from "../paper";
import { scaledTanhDerivative, scaledTanhScalar } from "../scratch/scaled-tanh";
import { type ExerciseResult, exerciseResult, tryLearnerCode } from "./result";

/** Points where f and f' are compared: both signs, the origin, ±1 and the saturated tails. */
const POINTS = [0, 1, -1, 0.5, -0.25, 2, -3, 4.5] as const;

/** Agreement required, absolute: far below any of the slips the check names. */
const TOLERANCE = 1e-6;

const A = SCALED_TANH_A;
const S = SCALED_TANH_S;

/** Common slips in f, by the function they compute. */
const F_SLIPS: readonly [(a: number) => number, string][] = [
  [
    (a) => Math.tanh(a),
    "that is plain tanh(a): scale the input by S = 2/3 and the output by A = 1.7159",
  ],
  [
    (a) => A * Math.tanh(a),
    "the output scale A is there but the input is not multiplied by S = 2/3",
  ],
  [
    (a) => Math.tanh(S * a),
    "the input scale S is there but the output is not multiplied by A = 1.7159",
  ],
  [(a) => A * Math.tanh(a / S), "S multiplies a (tanh(2a/3)); you divided by it"],
];

/** Common slips in f', by the function they compute. */
const F_PRIME_SLIPS: readonly [(a: number) => number, string][] = [
  [
    (a) => A * (1 - Math.tanh(S * a) ** 2),
    "the chain rule's inner factor is missing: d/da tanh(S·a) = S·(1 − tanh²(S·a)), so f' carries A·S",
  ],
  [(a) => S * (1 - Math.tanh(S * a) ** 2), "the factor A = 1.7159 is missing"],
  [
    (a) => 1 - scaledTanhScalar(a) ** 2,
    "1 − f² is the rule for plain tanh; here f' = A·S·(1 − (f/A)²)",
  ],
  [(a) => 1 - Math.tanh(a) ** 2, "that is the derivative of plain tanh(a), not of A·tanh(S·a)"],
  [(a) => A * S * (1 - Math.tanh(S * a)), "tanh must be squared: f' = A·S·(1 − tanh²(S·a))"],
];

/** The first slip that reproduces the learner's value at `a`, if any. */
function diagnose(
  value: number,
  a: number,
  slips: readonly [(a: number) => number, string][],
): string | undefined {
  return slips.find(([slip]) => Math.abs(slip(a) - value) < TOLERANCE)?.[1];
}

/** Compares one learner function with the reference at every point; undefined when all agree. */
function firstFault(
  name: "f" | "f'",
  learner: (a: number) => number,
  reference: (a: number) => number,
  slips: readonly [(a: number) => number, string][],
): string | undefined {
  for (const a of POINTS) {
    const run = tryLearnerCode(`your ${name}`, () => learner(a));
    if (!run.ok) return `${run.error} (at a = ${a})`;
    const expected = reference(a);
    const value = run.value;
    if (typeof value !== "number" || !(Math.abs(value - expected) <= TOLERANCE)) {
      const why = typeof value === "number" ? diagnose(value, a, slips) : undefined;
      return (
        `${name}(${a}) returned ${typeof value === "number" ? value.toFixed(6) : String(value)}; ` +
        `expected ${expected.toFixed(6)}${why ? `: ${why}` : ""}`
      );
    }
  }
  return undefined;
}

/**
 * Checks the learner's f(a) = A·tanh(S·a) and f'(a) at both signs, the origin, ±1 and the
 * tails; names the usual slips (plain tanh, a missing A or S, the chain rule's S in f').
 * @example
 * ```ts
 * const result = checkScaledTanh(
 *   (a) => 1.7159 * Math.tanh((2 / 3) * a),
 *   (a) => 1.7159 * (2 / 3) * (1 - Math.tanh((2 / 3) * a) ** 2),
 * );
 * result.ok; // true
 * ```
 */
export function checkScaledTanh(
  f: (a: number) => number,
  fPrime: (a: number) => number,
): ExerciseResult {
  const fFault = firstFault("f", f, scaledTanhScalar, F_SLIPS);
  if (fFault) return exerciseResult(false, fFault);
  const fPrimeFault = firstFault("f'", fPrime, scaledTanhDerivative, F_PRIME_SLIPS);
  if (fPrimeFault) return exerciseResult(false, fPrimeFault);
  return exerciseResult(
    true,
    `f and f' match the library: f(1) = ${scaledTanhScalar(1).toFixed(4)}, ` +
      `f'(0) = A·S = ${scaledTanhDerivative(0).toFixed(4)}, f'(3) = ${scaledTanhDerivative(3).toFixed(4)}`,
  );
}
