/**
 * Exercise check for notebook 03 (S2, Section II-B of the paper): the learner writes S2's
 * backward pass. With a = w_c · s + b_c, s the sum of a 2×2 block of x, and δ = ∂L/∂a:
 *
 *   ∂L/∂w_c = Σ δ · s,   ∂L/∂b_c = Σ δ,   ∂L/∂x[n, i, j, c] = w_c · δ[n, ⌊i/2⌋, ⌊j/2⌋, c]
 *
 * Input: the learner's function (x [N, H, W, C], coefficient [C], δ [N, H/2, W/2, C]) → the three
 * gradients. Output: an {@link ExerciseResult}, printed. The judge is `checkGradient` (finite
 * differences of L = Σ subsampling(x, w, b) · δ, float64); `scratch.subsamplingBackward` is the
 * reference the notebook can compare with. The check never throws.
 */
import { Rng } from "../rng";
import { checkGradient, randomTensor, weightedSum } from "../scratch/gradcheck";
import { subsampling } from "../scratch/subsampling";
import type { Tensor } from "../scratch/tensor";
import { type ExerciseResult, exerciseResult, tryLearnerCode } from "./result";

/** What the learner returns: one gradient per input of S2's weighted sum. */
export interface S2Gradients {
  /** ∂L/∂x, the shape of x: [N, H, W, C]. */
  readonly dx: Tensor;
  /** ∂L/∂coefficient: [C]. */
  readonly dCoefficient: Tensor;
  /** ∂L/∂bias: [C]. */
  readonly dBias: Tensor;
}

/** What the learner writes: S2's backward pass from δ = ∂L/∂a. */
export type S2BackwardFunction = (x: Tensor, coefficient: Tensor, delta: Tensor) => S2Gradients;

function isTensor(value: unknown): value is Tensor {
  if (value === null || typeof value !== "object") return false;
  const t = value as { shape?: unknown; data?: unknown };
  return Array.isArray(t.shape) && t.data !== null && typeof t.data === "object";
}

/** Names the usual slip in dx when it fits, else undefined. */
function diagnoseDx(dx: Tensor, x: Tensor, coefficient: Tensor, delta: Tensor): string | undefined {
  const [, height, width, channels] = x.shape;
  const [oh, ow] = [height / 2, width / 2];
  const spread = (scale: (c: number) => number) => (i: number) => {
    const c = i % channels;
    const j = Math.floor(i / channels) % width;
    const row = Math.floor(i / (channels * width)) % height;
    const n = Math.floor(i / (channels * width * height));
    return (
      scale(c) *
      delta.data[((n * oh + Math.floor(row / 2)) * ow + Math.floor(j / 2)) * channels + c]
    );
  };
  const fits = (f: (i: number) => number): boolean =>
    Array.from(dx.data).every((v, i) => Math.abs(v - f(i)) <= 1e-9 * Math.max(1, Math.abs(f(i))));
  if (Array.from(dx.data).every((v) => v === 0)) return "dx is all 0 — still the starter";
  if (fits(spread(() => 1))) return "dx is δ spread over each block but not multiplied by w_c";
  if (fits(spread((c) => coefficient.data[c] / 4)))
    return "dx has a factor 1/4: that is the averaging variant's gradient; the paper adds the inputs";
  return undefined;
}

/**
 * Checks the learner's S2 backward pass on a random float64 case (2 digits, 4×6 maps, 3
 * channels) with `checkGradient`: each of dx, dCoefficient and dBias must match finite
 * differences of L = Σ subsampling(x, w, b) · δ to a relative error of 1e-6.
 * @example
 * ```ts
 * const result = checkS2Backward((x, coefficient, delta) => scratch.subsamplingBackward(x, coefficient, delta));
 * result.ok; // true — prints "✓ …"
 * ```
 */
export function checkS2Backward(backward: S2BackwardFunction): ExerciseResult {
  const rng = new Rng(23);
  const x = randomTensor(rng, [2, 4, 6, 3]); // [2, 4, 6, 3], float64
  const coefficient = randomTensor(rng, [3]);
  const bias = randomTensor(rng, [3]);
  const delta = randomTensor(rng, [2, 2, 3, 3]); // ∂L/∂a
  const copy = (t: Tensor): Tensor => ({ shape: [...t.shape], data: t.data.slice() });
  const run = tryLearnerCode("s2Backward", () => backward(copy(x), copy(coefficient), copy(delta)));
  if (!run.ok) return exerciseResult(false, run.error);
  const got = run.value as unknown as Record<string, unknown> | null;
  if (got === null || typeof got !== "object")
    return exerciseResult(
      false,
      `s2Backward returned ${String(got)}, not { dx, dCoefficient, dBias }`,
    );
  const allZero = (["dx", "dCoefficient", "dBias"] as const).every((name) => {
    const gradient = got[name];
    return isTensor(gradient) && Array.from(gradient.data).every((v) => v === 0);
  });
  if (allZero)
    return exerciseResult(false, "every gradient is 0 — still the starter: fill in the three sums");
  const loss = (): number => weightedSum(subsampling(x, coefficient, bias), delta);
  const parts = [
    ["dCoefficient", coefficient],
    ["dBias", bias],
    ["dx", x],
  ] as const;
  const errors: string[] = [];
  for (const [name, param] of parts) {
    const gradient = got[name];
    if (!isTensor(gradient))
      return exerciseResult(false, `${name} is missing or not a tensor { shape, data }`);
    if (gradient.shape.join(",") !== param.shape.join(","))
      return exerciseResult(
        false,
        `${name} has shape [${gradient.shape.join(", ")}]; it must have the shape of its input, [${param.shape.join(", ")}]`,
      );
    const result = checkGradient(loss, param, gradient);
    if (!result.passed) {
      const hint = name === "dx" ? diagnoseDx(gradient, x, coefficient, delta) : undefined;
      return exerciseResult(
        false,
        `${name} differs from finite differences (max relative error ${result.maxRelError.toExponential(2)})` +
          (hint ? `: ${hint}` : ""),
      );
    }
    errors.push(`${name} ${result.maxRelError.toExponential(1)}`);
  }
  return exerciseResult(
    true,
    `S2's backward pass matches finite differences (max relative error: ${errors.join(", ")})`,
  );
}
