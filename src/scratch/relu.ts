/**
 * Rectified linear unit, the modern net's activation (not in the paper, which uses the scaled
 * tanh of scaled-tanh.ts):
 *
 *   relu(x) = max(0, x),   relu'(x) = 1 if x > 0 else 0
 *
 * The derivative at exactly 0 is taken as 0, as tfjs and PyTorch do.
 *
 * Second derivatives (Gauss–Newton): relu'(x)²·d2y = [x > 0]·d2y.
 *
 * Input shape: any. Output shape: the same (element-wise).
 * Departure from the paper: the paper has no ReLU; this serves the modern twin.
 */
import { Tensor, expectShape, zeros } from "./tensor";

/**
 * Element-wise max(0, x).
 *
 * Input shape: any. Output shape: the same as x.
 * @example
 * ```ts
 * const y = relu(tensor([3], [-2, 0, 3])); // [0, 0, 3]
 * ```
 */
export function relu(x: Tensor): Tensor {
  const y = zeros(x.shape, x.data); // same shape as x
  // NaN stays NaN (as in tfjs and PyTorch), so a diverged input is not hidden as a 0.
  for (let i = 0; i < x.data.length; i++)
    y.data[i] = x.data[i] > 0 || x.data[i] !== x.data[i] ? x.data[i] : 0;
  return y;
}

/**
 * Backward of {@link relu}: dy passes where x > 0 and is stopped (0) where x ≤ 0.
 *
 * Input shape: x any, dy the same as x. Output shape: dx, the same as x.
 * @example
 * ```ts
 * const dx = reluBackward(tensor([3], [-2, 0, 3]), tensor([3], [5, 5, 5])); // [0, 0, 5]
 * ```
 */
export function reluBackward(x: Tensor, dy: Tensor): Tensor {
  expectShape(`reluBackward dy for x [${x.shape.join(", ")}]`, dy, x.shape);
  const dx = zeros(x.shape, x.data); // same shape as x
  for (let i = 0; i < x.data.length; i++) dx.data[i] = x.data[i] > 0 ? dy.data[i] : 0;
  return dx;
}

/**
 * Second derivatives back through {@link relu}, Gauss–Newton style: relu'(x)²·d2y. The slope is
 * 0 or 1, so its square is itself and d2y travels exactly as a gradient does.
 *
 * Input shape: x any, d2y the same as x. Output shape: d2x, the same as x.
 * @example
 * ```ts
 * const d2x = reluBackward2(tensor([3], [-2, 0, 3]), tensor([3], [5, 5, 5])); // [0, 0, 5]
 * ```
 */
export function reluBackward2(x: Tensor, d2y: Tensor): Tensor {
  return reluBackward(x, d2y); // [0, 1]² = [0, 1]
}
