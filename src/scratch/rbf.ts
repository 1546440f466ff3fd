/**
 * Euclidean radial basis function output layer of LeNet-5 (Section II-B, eq. 7): output unit i
 * measures the squared distance between F6's 84-vector x and its own parameter vector w_i,
 *
 *   y[n, i] = Σ_j (x[n, j] − w[i, j])²
 *
 * so the smaller y_i, the more the input looks like digit i. In LeNet-5 the prototypes w are
 * fixed ±1 bitmaps (`rbfPrototypes()` in paper.ts, row i = unit i); the gradient with respect to
 * them exists all the same and is returned for completeness.
 *
 * Second derivatives (Gauss–Newton): ∂²E/∂x_j² ≈ Σ_i (2(x_j − w_ij))²·∂²E/∂y_i². LeNet-5 does
 * not use it: the net's SDLM pass takes the RBF layer and its loss together, exactly
 * (rbfLossBackward2 in rbf-loss.ts).
 *
 * Input shape: x [N, D], prototypes [U, D] (LeNet-5: D = 84, U = 10).
 * Output shape: [N, U].
 * Departures from the paper: none.
 */
import { Tensor, expectShape, zeros } from "./tensor";

/** Gradients of an RBF loss with respect to its inputs and its prototypes. */
export interface RbfGradients {
  /** dLoss/dx, the shape of x: [N, D]. */
  dx: Tensor;
  /** dLoss/dprototypes, the shape of the prototypes: [U, D]. */
  dPrototypes: Tensor;
}

function shapeText(t: Tensor): string {
  return `[${t.shape.join(", ")}]`;
}

/**
 * Squared Euclidean distance from each row of x to each prototype row.
 *
 * Input shape: x [N, D], prototypes [U, D] (LeNet-5: D = 84, U = 10). Output shape: [N, U].
 * @example
 * ```ts
 * const prototypes = tensor([10, 84], rbfPrototypes());
 * const x = tensor([1, 84], prototypes.data.subarray(3 * 84, 4 * 84)); // exactly digit 3's bitmap
 * const y = rbf(x, prototypes); // [1, 10]; y.data[3] === 0
 * ```
 */
export function rbf(x: Tensor, prototypes: Tensor): Tensor {
  expectShape("rbf x", x, [null, null]);
  const [batch, features] = x.shape;
  expectShape(`rbf prototypes for x ${shapeText(x)}`, prototypes, [null, features]);
  const units = prototypes.shape[0];
  const y = zeros([batch, units], x.data); // [N, U]
  for (let n = 0; n < batch; n++) {
    for (let i = 0; i < units; i++) {
      let distance = 0;
      for (let j = 0; j < features; j++) {
        const diff = x.data[n * features + j] - prototypes.data[i * features + j];
        distance += diff * diff;
      }
      y.data[n * units + i] = distance;
    }
  }
  return y;
}

/**
 * Backward of {@link rbf}: ∂y_i/∂x_j = 2(x_j − w_ij) and ∂y_i/∂w_ij = −2(x_j − w_ij).
 *
 * Input shape: x [N, D], prototypes [U, D], dy [N, U]. Output shape: dx [N, D], dPrototypes
 * [U, D].
 * @example
 * ```ts
 * const x = tensor([1, 1], [3]);
 * const w = tensor([2, 1], [1, 0]); // two 1-D prototypes
 * const { dx, dPrototypes } = rbfBackward(x, w, tensor([1, 2], [1, 1]));
 * // dx = [2·(3−1) + 2·(3−0)] = [10], dPrototypes = [−4, −6]
 * ```
 */
export function rbfBackward(x: Tensor, prototypes: Tensor, dy: Tensor): RbfGradients {
  expectShape("rbfBackward x", x, [null, null]);
  const [batch, features] = x.shape;
  expectShape(`rbfBackward prototypes for x ${shapeText(x)}`, prototypes, [null, features]);
  const units = prototypes.shape[0];
  expectShape(`rbfBackward dy for x ${shapeText(x)} and prototypes ${shapeText(prototypes)}`, dy, [
    batch,
    units,
  ]);
  const dx = zeros(x.shape, x.data); // [N, D]
  const dPrototypes = zeros(prototypes.shape, x.data); // [U, D]
  for (let n = 0; n < batch; n++) {
    for (let i = 0; i < units; i++) {
      const twiceD = 2 * dy.data[n * units + i];
      for (let j = 0; j < features; j++) {
        const g = twiceD * (x.data[n * features + j] - prototypes.data[i * features + j]);
        dx.data[n * features + j] += g;
        dPrototypes.data[i * features + j] -= g;
      }
    }
  }
  return { dx, dPrototypes };
}

/**
 * Second derivatives back through {@link rbf}, Gauss–Newton style (the 2·∂E/∂y term of the exact
 * second derivative dropped): ∂²E/∂x_j² ≈ Σ_i (2(x_j − w_ij))²·∂²E/∂y_i². The faithful net's
 * SDLM pass does not use it — it takes the RBF layer and its loss together, exactly
 * (`rbfLossBackward2`) — but a net with another criterion on the distances would.
 *
 * Input shape: x [N, D], prototypes [U, D], d2y [N, U]. Output shape: d2x [N, D].
 * @example
 * ```ts
 * const d2x = rbfBackward2(tensor([1, 1], [3]), tensor([2, 1], [1, 0]), tensor([1, 2], [1, 1]));
 * // [(2·2)² + (2·3)²] = [52]
 * ```
 */
export function rbfBackward2(x: Tensor, prototypes: Tensor, d2y: Tensor): Tensor {
  expectShape("rbfBackward2 x", x, [null, null]);
  const [batch, features] = x.shape;
  expectShape(`rbfBackward2 prototypes for x ${shapeText(x)}`, prototypes, [null, features]);
  const units = prototypes.shape[0];
  expectShape("rbfBackward2 d2y", d2y, [batch, units]);
  const d2x = zeros(x.shape, x.data); // [N, D]
  for (let n = 0; n < batch; n++) {
    for (let i = 0; i < units; i++) {
      const d2 = d2y.data[n * units + i];
      for (let j = 0; j < features; j++) {
        const slope = 2 * (x.data[n * features + j] - prototypes.data[i * features + j]);
        d2x.data[n * features + j] += slope * slope * d2;
      }
    }
  }
  return d2x;
}
