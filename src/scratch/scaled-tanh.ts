/**
 * The scaled hyperbolic tangent LeNet-5 squashes every layer with (Section II-B, eq. 6;
 * Appendix A):
 *
 *   f(a) = A · tanh(S · a),   A = 1.7159, S = 2/3,   f'(a) = A · S · (1 − tanh²(S · a))
 *
 * The constants make f(±1) ≈ ±1, so targets of ±1 (the RBF prototypes' entries) lie inside the
 * range instead of in the saturated tails, and |f''| is largest at ±1 (Appendix A). The gain at
 * the origin is f'(0) = A·S ≈ 1.1439; the range is the open interval (−A, A).
 *
 * Second derivatives (SDLM's Gauss–Newton pass, Appendix C): ∂²E/∂a² ≈ f'(a)²·∂²E/∂f², the
 * f''·∂E/∂f term dropped, so the estimate is never negative.
 *
 * Input shape: any. Output shape: the same (element-wise).
 * Departures from the paper: none.
 */
import { SCALED_TANH_A, SCALED_TANH_S } from "../paper";
import { Tensor, expectShape, zeros } from "./tensor";

/**
 * f(a) = A·tanh(S·a) for one number.
 *
 * Input shape: a number. Output shape: a number.
 * @example
 * ```ts
 * scaledTanhScalar(1); // 1.7159 · tanh(2/3) ≈ 1.00000
 * ```
 */
export function scaledTanhScalar(a: number): number {
  return SCALED_TANH_A * Math.tanh(SCALED_TANH_S * a);
}

/**
 * f'(a) = A·S·(1 − tanh²(S·a)) for one number.
 *
 * Input shape: a number. Output shape: a number.
 * @example
 * ```ts
 * scaledTanhDerivative(0); // A·S = 1.7159 · 2/3 ≈ 1.1439
 * ```
 */
export function scaledTanhDerivative(a: number): number {
  const t = Math.tanh(SCALED_TANH_S * a);
  return SCALED_TANH_A * SCALED_TANH_S * (1 - t * t);
}

/**
 * Element-wise f(x) = A·tanh(S·x).
 *
 * Input shape: any, e.g. C1's [N, 28, 28, 6]. Output shape: the same as x.
 * @example
 * ```ts
 * const y = scaledTanh(tensor([3], [-1, 0, 1])); // ≈ [-1, 0, 1]
 * ```
 */
export function scaledTanh(x: Tensor): Tensor {
  const y = zeros(x.shape, x.data); // same shape as x
  for (let i = 0; i < x.data.length; i++) y.data[i] = scaledTanhScalar(x.data[i]);
  return y;
}

/**
 * Backward of {@link scaledTanh}: dx = f'(x) · dy, element-wise (x is the forward's input).
 *
 * Input shape: x any, dy the same as x. Output shape: dx, the same as x.
 * @example
 * ```ts
 * const dx = scaledTanhBackward(tensor([1], [0]), tensor([1], [2])); // [2 · 1.1439] = [2.2879]
 * ```
 */
export function scaledTanhBackward(x: Tensor, dy: Tensor): Tensor {
  expectShape(`scaledTanhBackward dy for x [${x.shape.join(", ")}]`, dy, x.shape);
  const dx = zeros(x.shape, x.data); // same shape as x
  for (let i = 0; i < x.data.length; i++) dx.data[i] = scaledTanhDerivative(x.data[i]) * dy.data[i];
  return dx;
}

/**
 * Second derivatives back through the squashing function, Gauss–Newton style:
 * ∂²E/∂a² ≈ f'(a)²·∂²E/∂x² (a is the forward's input).
 * @example
 * ```ts
 * scaledTanhBackward2(tensor([1], [0]), tensor([1], [1])); // [1.1439²] ≈ [1.3086]
 * ```
 */
export function scaledTanhBackward2(a: Tensor, d2y: Tensor): Tensor {
  expectShape("scaledTanhBackward2 d2y", d2y, a.shape);
  const d2a = zeros(a.shape, a.data); // a's shape
  for (let i = 0; i < a.data.length; i++) {
    const slope = scaledTanhDerivative(a.data[i]);
    d2a.data[i] = slope * slope * d2y.data[i];
  }
  return d2a;
}
