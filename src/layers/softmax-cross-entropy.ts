/**
 * Softmax cross-entropy, the modern net's loss (not in the paper, which uses the RBF loss of
 * rbf-loss.ts), as a tfjs function, averaged over the batch:
 *
 *   softmax(z)_i = e^{z_i} / Σ_k e^{z_k},   E = −(1/N) Σ_n log softmax(z_n)_{label_n}
 *                                             = (1/N) Σ_n ( logΣexp(z_n) − z_{n, label_n} )
 *
 * tf.logSumExp subtracts the row maximum first, so it is stable for any logits. tfjs
 * differentiates it: ∂E/∂z = (softmax(z) − onehot(label)) / N. Twin of
 * src/scratch/softmax-cross-entropy.ts.
 *
 * On the wasm and cpu backends, whose data JavaScript reads synchronously for free, and once
 * `initBackend()` registered them, the loss and its gradient are two host kernels running the
 * scratch twin's own loops (../kernels/softmax-cross-entropy.ts), wrapped as one custom-gradient
 * op: two kernel calls instead of some fifteen per training step (docs/speed.md). Elsewhere
 * (webgl, tfjs-node, or before `initBackend()`) tfjs's ops compute it.
 *
 * Input shape: labels [N] (int32 class indices), logits [N, C]. Output shape: a scalar.
 * Departure from the paper: the paper has no softmax output; this serves the modern twin.
 */
import * as tf from "@tensorflow/tfjs";
import {
  SOFTMAX_CROSS_ENTROPY,
  SOFTMAX_CROSS_ENTROPY_GRAD,
} from "../kernels/softmax-cross-entropy";
import { kernelsRegistered } from "../kernels/wasm-kernel";

/**
 * The host path (file header): the loss and gradient kernels as one custom-gradient op.
 * labels [N], logits [N, C] → a scalar whose gradient is (softmax − onehot)/N, [N, C].
 */
function hostSoftmaxCrossEntropy(labels: tf.Tensor1D, logits: tf.Tensor2D): tf.Scalar {
  const loss = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [z, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    save([z, labels]);
    const value = tf
      .engine()
      .runKernel(SOFTMAX_CROSS_ENTROPY, { logits: z, labels }, {}) as tf.Scalar; // []
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const inputs = { logits: saved[0], labels: saved[1] };
      const dz = tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY_GRAD, inputs, {}) as tf.Tensor; // [N, C]
      return tf.mul(dy, dz); // [N, C]
    };
    return { value, gradFunc };
  });
  return loss(logits) as tf.Scalar;
}

/**
 * Mean cross-entropy between softmax(logits) and the labels, as a differentiable tfjs scalar.
 *
 * Input shape: labels [N] (int32 class indices), logits [N, C] (C = 10). Output shape: a scalar [].
 * @example
 * ```ts
 * softmaxCrossEntropy(tf.tensor1d([7], "int32"), tf.zeros([1, 10])); // uniform: log 10 ≈ 2.3026
 * ```
 */
export function softmaxCrossEntropy(labels: tf.Tensor1D, logits: tf.Tensor2D): tf.Scalar {
  if (logits.rank !== 2 || labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new Error(
      `softmaxCrossEntropy: labels [${labels.shape}] and logits [${logits.shape}] should be [N] and [N, C]`,
    );
  }
  if (kernelsRegistered(SOFTMAX_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY_GRAD)) {
    return hostSoftmaxCrossEntropy(labels, logits);
  }
  return softmaxCrossEntropyOps(labels, logits);
}

/**
 * {@link softmaxCrossEntropy} as tfjs ops (what runs where the host kernels are not registered,
 * or the backend is neither wasm nor cpu); tfjs differentiates it.
 *
 * Input shape: labels [N] (int32 class indices), logits [N, C]. Output shape: a scalar [].
 * @example
 * ```ts
 * softmaxCrossEntropyOps(tf.tensor1d([3], "int32"), tf.zeros([1, 10])); // log 10 ≈ 2.3026
 * ```
 */
export function softmaxCrossEntropyOps(labels: tf.Tensor1D, logits: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const classes = logits.shape[1];
    // oneHot(…, "float32") on wasm 4.22 writes int32 bits (1 → 1.4e−45): make int32, then cast.
    const target = tf.cast(tf.oneHot(tf.cast(labels, "int32"), classes), "float32"); // [N, C]
    const correct = tf.sum(tf.mul(logits, target), 1); // [N]: z_label
    const normaliser = tf.logSumExp(logits, 1); // [N]: log Σ e^z
    return tf.mean(tf.sub(normaliser, correct)) as tf.Scalar; // []
  });
}

/**
 * Row-wise softmax of logits [N, C] (tfjs's own): positive rows that sum to 1.
 *
 * Input shape: logits [N, C]. Output shape: [N, C].
 * @example
 * ```ts
 * softmax(tf.tensor2d([[0, Math.log(3)]])); // [[0.25, 0.75]]
 * ```
 */
export function softmax(logits: tf.Tensor2D): tf.Tensor2D {
  return tf.softmax(logits); // [N, C]
}
