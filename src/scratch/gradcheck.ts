/**
 * Gradient checking: the one helper every backward pass in src/scratch is tested with.
 *
 * A backward pass is right when its analytic gradient matches the slope measured by central
 * differences, ∂f/∂θ_i ≈ (f(θ + ε·e_i) − f(θ − ε·e_i)) / 2ε, whose error is O(ε²). The usual
 * trick turns any op into a scalar: loss = Σ y·R for a fixed random R, so dLoss/dy = R and the
 * op's backward is called with dy = R. Run checks on Float64 data: in Float32 the rounding of
 * f swamps a difference taken with ε = 1e-6.
 *
 * A testing tool, not a layer: no paper reference. Input shape / Output shape: a gradient has
 * the shape of its parameter.
 */
import { Rng } from "../rng";
import { FloatArray, Tensor, zeros } from "./tensor";

/**
 * Central-difference gradient of `f` with respect to every element of `param`. Each element of
 * `param.data` is nudged by ±`eps` in place, `f` is evaluated, and the element is restored
 * exactly, so `f` must read `param` afresh on every call.
 * @example
 * ```ts
 * const p = tensor([2], [3, -1], "float64");
 * const g = numericalGradient(() => p.data[0] ** 2 + 5 * p.data[1], p); // ≈ [6, 5]
 * ```
 */
export function numericalGradient(f: () => number, param: Tensor, eps = 1e-6): Tensor {
  const gradient = zeros(param.shape, param.data); // same shape and array type as param
  const data = param.data;
  for (let i = 0; i < data.length; i++) {
    const original = data[i];
    data[i] = original + eps;
    const plus = f();
    data[i] = original - eps;
    const minus = f();
    data[i] = original; // restore exactly, not by adding eps back
    gradient.data[i] = (plus - minus) / (2 * eps);
  }
  return gradient;
}

/** How far an analytic gradient lies from the numerical one. */
export interface GradientCheckResult {
  /** Largest |analytic − numerical| over all elements. */
  maxAbsError: number;
  /**
   * `maxAbsError` divided by the largest |gradient| element (analytic or numerical): an error
   * relative to the gradient's scale, so elements that are truly zero do not divide by zero.
   */
  maxRelError: number;
  /** Whether `maxRelError` ≤ the `tol` asked for (default 1e-6). */
  passed: boolean;
}

/**
 * Compares `analytic` with {@link numericalGradient} of `f` at `param`. Throws a RangeError if
 * the two gradients differ in shape.
 * @param f - The scalar function of `param`'s values.
 * @param param - The tensor `f` reads; each value is nudged by ±eps and restored.
 * @param analytic - The gradient to check, the shape of `param`.
 * @param options - The finite-difference step `eps` and the tolerance `tol` (both 1e-6).
 * @example
 * ```ts
 * const p = tensor([2], [3, -1], "float64");
 * const analytic = tensor([2], [6, 5], "float64");
 * const { maxRelError } = checkGradient(() => p.data[0] ** 2 + 5 * p.data[1], p, analytic);
 * // maxRelError < 1e-8, passed === true
 * ```
 */
export function checkGradient(
  f: () => number,
  param: Tensor,
  analytic: Tensor,
  { eps = 1e-6, tol = 1e-6 }: { eps?: number; tol?: number } = {},
): GradientCheckResult {
  if (analytic.shape.join(",") !== param.shape.join(",")) {
    throw new RangeError(
      `checkGradient: analytic gradient shape [${analytic.shape.join(", ")}] differs from ` +
        `parameter shape [${param.shape.join(", ")}]`,
    );
  }
  const numerical = numericalGradient(f, param, eps);
  let maxAbsError = 0;
  let scale = 0;
  for (let i = 0; i < numerical.data.length; i++) {
    const a = analytic.data[i];
    const n = numerical.data[i];
    maxAbsError = Math.max(maxAbsError, Number.isNaN(a - n) ? Infinity : Math.abs(a - n));
    scale = Math.max(scale, Math.abs(a), Math.abs(n));
  }
  const maxRelError = maxAbsError === 0 ? 0 : maxAbsError / scale;
  return { maxAbsError, maxRelError, passed: maxRelError <= tol };
}

/**
 * {@link checkGradient} that throws (an Error naming `label` and both errors) when the relative
 * error exceeds `tol` (default 1e-6); returns the result otherwise. One line per gradient test.
 * @param f - The scalar function of `param`'s values.
 * @param param - The tensor `f` reads.
 * @param analytic - The gradient to check.
 * @param options - `eps`, `tol` and the `label` the error names.
 * @example
 * ```ts
 * const x = randomTensor(new Rng(1), [2, 3]);
 * const r = randomTensor(new Rng(2), [2, 3]);
 * assertGradient(() => weightedSum(relu(x), r), x, reluBackward(x, r), { label: "relu dx" });
 * ```
 */
export function assertGradient(
  f: () => number,
  param: Tensor,
  analytic: Tensor,
  {
    eps = 1e-6,
    tol = 1e-6,
    label = "gradient",
  }: { eps?: number; tol?: number; label?: string } = {},
): GradientCheckResult {
  const result = checkGradient(f, param, analytic, { eps, tol });
  if (!result.passed) {
    throw new Error(
      `${label}: analytic and numerical gradients differ: max relative error ` +
        `${result.maxRelError.toExponential(3)} > ${tol} (max absolute error ` +
        `${result.maxAbsError.toExponential(3)})`,
    );
  }
  return result;
}

/**
 * Σ y·R over all elements: the scalar loss whose gradient with respect to `y` is exactly
 * `weights`. Throws a RangeError if the two shapes differ.
 * @example
 * ```ts
 * weightedSum(tensor([2], [1, 2]), tensor([2], [3, 4])); // 1·3 + 2·4 = 11
 * ```
 */
export function weightedSum(y: Tensor, weights: Tensor): number {
  if (y.shape.join(",") !== weights.shape.join(",")) {
    throw new RangeError(
      `weightedSum: y [${y.shape.join(", ")}] and weights [${weights.shape.join(", ")}] differ`,
    );
  }
  let sum = 0;
  for (let i = 0; i < y.data.length; i++) sum += y.data[i] * weights.data[i];
  return sum;
}

/**
 * A tensor of `shape` filled uniformly in [low, high) from `rng`, Float64 by default (the
 * precision gradient checks need).
 * @param rng - The random generator drawn from.
 * @param shape - The tensor's shape.
 * @param options - The range [low, high) and the element type.
 * @example
 * ```ts
 * const x = randomTensor(new Rng(1), [1, 4, 4, 2]); // Float64, values in [-1, 1)
 * ```
 */
export function randomTensor(
  rng: Rng,
  shape: readonly number[],
  {
    low = -1,
    high = 1,
    type = "float64",
  }: { low?: number; high?: number; type?: "float32" | "float64" } = {},
): Tensor {
  const t = zeros(shape, type); // [...shape]
  const data: FloatArray = t.data;
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform(low, high);
  return t;
}
