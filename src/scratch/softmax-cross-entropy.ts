/**
 * Softmax cross-entropy, the modern net's output loss (not in the paper, which uses the RBF
 * loss of rbf-loss.ts):
 *
 *   softmax(z)_i = e^{z_i} / Σ_k e^{z_k},   E = −(1/N) Σ_n log softmax(z_n)_{label_n}
 *   ∂E/∂z_i = (softmax(z)_i − [i = label]) / N
 *
 * Computed stably: the row maximum is subtracted before exponentiating (softmax is unchanged).
 *
 * Second derivatives: ∂²E/∂z_i² = p_i(1 − p_i) per example, the diagonal of diag p − p pᵀ (the
 * exact Hessian diagonal; the label does not enter).
 *
 * Input shape: logits [N, C], labels of length N. Output shape: softmax [N, C]; the loss is a
 * number; its gradient [N, C].
 * Departure from the paper: the paper has no softmax output; this serves the modern twin.
 */
import { Tensor, expectShape, zeros } from "./tensor";

function checkLabels(op: string, logits: Tensor, labels: ArrayLike<number>): void {
  const [batch, classes] = logits.shape;
  if (labels.length !== batch) {
    throw new RangeError(
      `${op}: logits [${logits.shape.join(", ")}] has ${batch} rows, labels ${labels.length}`,
    );
  }
  for (let n = 0; n < batch; n++) {
    const label = labels[n];
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new RangeError(
        `${op}: label ${label} at index ${n} is not a class in 0..${classes - 1}`,
      );
    }
  }
}

/**
 * Row-wise softmax of logits [N, C]: each row becomes positive and sums to 1.
 *
 * Input shape: logits [N, C]. Output shape: [N, C].
 * @example
 * ```ts
 * const p = softmax(tensor([1, 2], [0, Math.log(3)])); // [1, 2]: [0.25, 0.75]
 * ```
 */
export function softmax(logits: Tensor): Tensor {
  expectShape("softmax logits", logits, [null, null]);
  const [batch, classes] = logits.shape;
  const p = zeros(logits.shape, logits.data); // [N, C]
  for (let n = 0; n < batch; n++) {
    const base = n * classes;
    let max = -Infinity;
    for (let i = 0; i < classes; i++) max = Math.max(max, logits.data[base + i]);
    let sum = 0;
    for (let i = 0; i < classes; i++) {
      const e = Math.exp(logits.data[base + i] - max); // ≤ 1: cannot overflow
      p.data[base + i] = e;
      sum += e;
    }
    for (let i = 0; i < classes; i++) p.data[base + i] /= sum;
  }
  return p;
}

/**
 * Mean cross-entropy between softmax(logits) and the labels.
 *
 * Input shape: logits [N, C], labels of length N. Output shape: a number.
 * @example
 * ```ts
 * softmaxCrossEntropy(tensor([1, 10], new Array(10).fill(0)), [7]); // uniform: log 10 ≈ 2.3026
 * ```
 */
export function softmaxCrossEntropy(logits: Tensor, labels: ArrayLike<number>): number {
  expectShape("softmaxCrossEntropy logits", logits, [null, null]);
  checkLabels("softmaxCrossEntropy", logits, labels);
  const [batch, classes] = logits.shape;
  let total = 0;
  for (let n = 0; n < batch; n++) {
    const base = n * classes;
    let max = -Infinity;
    for (let i = 0; i < classes; i++) max = Math.max(max, logits.data[base + i]);
    let sum = 0;
    for (let i = 0; i < classes; i++) sum += Math.exp(logits.data[base + i] - max);
    // −log softmax_label = log Σ e^{z} − z_label, with the max factored out of both.
    total += max + Math.log(sum) - logits.data[base + labels[n]];
  }
  return total / batch;
}

/**
 * Gradient of {@link softmaxCrossEntropy} with respect to the logits: (softmax − onehot) / N.
 *
 * Input shape: logits [N, C], labels of length N. Output shape: dz [N, C].
 * @example
 * ```ts
 * const dz = softmaxCrossEntropyBackward(tensor([1, 2], [0, Math.log(3)]), [1]); // [0.25, −0.25]
 * ```
 */
export function softmaxCrossEntropyBackward(logits: Tensor, labels: ArrayLike<number>): Tensor {
  expectShape("softmaxCrossEntropyBackward logits", logits, [null, null]);
  checkLabels("softmaxCrossEntropyBackward", logits, labels);
  const [batch, classes] = logits.shape;
  const dz = softmax(logits); // [N, C]
  for (let n = 0; n < batch; n++) {
    dz.data[n * classes + labels[n]] -= 1;
    for (let i = 0; i < classes; i++) dz.data[n * classes + i] /= batch;
  }
  return dz;
}

/**
 * The Gauss–Newton diagonal of softmax cross-entropy at the logits: p_i(1 − p_i) per example
 * (the label does not enter).
 * @example
 * ```ts
 * softmaxCrossEntropyBackward2(tensor([1, 2], [0, 0])); // p = [0.5, 0.5]: [0.25, 0.25]
 * ```
 */
export function softmaxCrossEntropyBackward2(logits: Tensor): Tensor {
  expectShape("softmaxCrossEntropyBackward2 logits", logits, [null, null]);
  const [batch, classes] = logits.shape;
  const d2z = zeros(logits.shape, logits.data); // [N, C]
  for (let n = 0; n < batch; n++) {
    const row = logits.data.subarray(n * classes, (n + 1) * classes);
    const top = Math.max(...row);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(row[c] - top);
    for (let c = 0; c < classes; c++) {
      const p = Math.exp(row[c] - top) / sum;
      d2z.data[n * classes + c] = p * (1 - p);
    }
  }
  return d2z;
}
