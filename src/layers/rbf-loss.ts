/**
 * LeNet-5's loss on RBF outputs as a tfjs function (Section II-C, eq. 9), the maximum a
 * posteriori criterion, averaged over the batch:
 *
 *   E = (1/P) Σ_p ( y_{D_p} + log( e^{−j} + Σ_i e^{−y_i} ) )
 *
 * y are the RBF distances (smaller = more alike), D_p the correct class. The first term pulls the
 * correct distance down; the competitive second term pushes the others up until they pass the
 * "rubbish class" level e^{−j}. The log-sum-exp runs over the U + 1 scores [−y, −j] through
 * tf.logSumExp, which factors out the largest term, so no exponential over- or underflows.
 * tfjs differentiates it: ∂E/∂y_k = ([k = D] − e^{−y_k} / (e^{−j} + Σ_i e^{−y_i})) / P.
 * Twin of src/scratch/rbf-loss.ts. On the wasm and cpu backends, once `initBackend()` registered
 * them, the loss and that gradient are two host kernels running the scratch twin's loops
 * (../kernels/rbf-loss.ts) inside one custom-gradient op: two kernel calls instead of some
 * twenty.
 *
 * Input shape: labels [N] (int32 class indices), y [N, U]. Output shape: a scalar.
 * Departure from the paper: the paper leaves j unspecified ("a positive constant"); the default
 * is lenet5's DEFAULT_RBF_LOSS_J = 0.1 (src/scratch/rbf-loss.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { DEFAULT_RBF_LOSS_J } from "../scratch/rbf-loss";
import { RBF_LOSS, RBF_LOSS_GRAD } from "../kernels/rbf-loss";
import { kernelsRegistered } from "../kernels/wasm-kernel";

/** Options of {@link rbfLoss}. */
export interface RbfLossOptions {
  /** The positive constant j of eq. 9 (default DEFAULT_RBF_LOSS_J = 0.1). */
  j?: number;
}

/**
 * The paper's eq. 9 loss, averaged over the batch, as a differentiable tfjs scalar.
 *
 * Input shape: labels [N] (int32 class indices), y [N, U] (RBF distances; U = 10). Output shape:
 * a scalar [].
 * @example
 * ```ts
 * const e = rbfLoss(tf.tensor1d([0], "int32"), tf.tensor2d([[0, 1]]), { j: 1 });
 * // 0 + log(e^−1 + e^0 + e^−1) = log(1 + 2/e) ≈ 0.5514
 * ```
 */
export function rbfLoss(
  labels: tf.Tensor1D,
  y: tf.Tensor2D,
  options: RbfLossOptions = {},
): tf.Scalar {
  const j = options.j ?? DEFAULT_RBF_LOSS_J;
  if (!(j > 0)) throw new RangeError(`rbfLoss: j must be positive, got ${j}`);
  if (y.rank !== 2 || labels.rank !== 1 || labels.shape[0] !== y.shape[0]) {
    throw new Error(
      `rbfLoss: labels [${labels.shape}] and y [${y.shape}] should be [N] and [N, U]`,
    );
  }
  if (kernelsRegistered(RBF_LOSS, RBF_LOSS_GRAD)) return hostRbfLoss(labels, y, j);
  return rbfLossOps(labels, y, j);
}

/**
 * The host path (file header): the loss and gradient kernels as one custom-gradient op.
 * labels [N], y [N, U] → a scalar.
 */
function hostRbfLoss(labels: tf.Tensor1D, y: tf.Tensor2D, j: number): tf.Scalar {
  const loss = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [distances, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    save([distances, labels]);
    const value = tf.engine().runKernel(RBF_LOSS, { y: distances, labels }, { j }) as tf.Scalar; // []
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedY, savedLabels] = saved;
      const inputs = { y: savedY, labels: savedLabels };
      const dDistances = tf.engine().runKernel(RBF_LOSS_GRAD, inputs, { j }) as tf.Tensor; // [N, U]
      return tf.mul(dy, dDistances); // [N, U]
    };
    return { value, gradFunc };
  });
  return loss(y) as tf.Scalar;
}

/**
 * {@link rbfLoss} as tfjs ops with the constant j (what runs where the host kernels are not
 * registered, or the backend is neither wasm nor cpu); tfjs differentiates it.
 *
 * Input shape: labels [N] (int32 class indices), y [N, U]. Output shape: a scalar [].
 * @example
 * ```ts
 * // All ten distances 0: E = 0 + log(e^−0.1 + 10) ≈ 2.3913
 * rbfLossOps(tf.tensor1d([3], "int32"), tf.zeros([1, 10]), 0.1);
 * ```
 */
export function rbfLossOps(labels: tf.Tensor1D, y: tf.Tensor2D, j: number): tf.Scalar {
  return tf.tidy(() => {
    const [batch, units] = y.shape;
    // oneHot(…, "float32") on wasm 4.22 writes int32 bits (1 → 1.4e−45): make int32, then cast.
    const target = tf.cast(tf.oneHot(tf.cast(labels, "int32"), units), "float32"); // [N, U]
    const correct = tf.sum(tf.mul(y, target), 1); // [N]: y_D
    const rubbish = tf.fill([batch, 1], -j); // [N, 1]: the score −j
    const scores = tf.concat([tf.neg(y), rubbish], 1); // [N, U + 1]
    const competitive = tf.logSumExp(scores, 1); // [N]: log(e^−j + Σ e^−y_i)
    return tf.mean(tf.add(correct, competitive)) as tf.Scalar; // []
  });
}

/**
 * Predicted class per row: the RBF unit with the smallest distance (the first on ties).
 *
 * Input shape: y [N, U] (RBF distances). Output shape: [N], int32 class indices.
 * @example
 * ```ts
 * rbfPredict(tf.tensor2d([[5, 1, 7], [0, 2, 2]])); // int32 [1, 0]
 * ```
 */
export function rbfPredict(y: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.argMin(y, 1) as tf.Tensor1D); // [N], int32
}
