/**
 * LeNet-5's loss on RBF outputs (Section II-C, eq. 9): the maximum a posteriori criterion
 *
 *   E = (1/P) Σ_p ( y_{D_p}(Z^p) + log( e^{−j} + Σ_i e^{−y_i(Z^p)} ) )
 *
 * The first term pulls the correct unit's distance y_D down; the second, competitive term pushes
 * the other distances up. e^{−j} is the score of a "rubbish" class: once a wrong class's
 * distance is large (e^{−y_i} ≪ e^{−j}), the loss stops pushing it further up. The log-sum-exp
 * is computed stably by factoring out its largest term.
 *
 *   ∂E/∂y_k = (1/P) ( [k = D_p] − e^{−y_k} / (e^{−j} + Σ_i e^{−y_i}) )
 *
 * Second derivatives (SDLM, Appendix C): the RBF layer and this loss are taken together as the
 * loss of F6's output x, L(x) = E(y(x)) with y_i = Σ_d (x_d − w_id)² and E = y_D + log(e^{−j} + Σ_i e^{−y_i}) (eq. 9).
 * With p_i = e^{−y_i}/Z, p_rubbish = e^{−j}/Z (Z the sum in the log) and J_id = ∂y_i/∂x_d =
 * 2(x_d − w_id):
 *
 *   ∂L/∂x_d   = J_Dd − Σ_i p_i J_id
 *   ∂²L/∂x_d² = 2 − Σ_i (2 p_i + J_id ∂p_i/∂x_d),   ∂p_i/∂x_d = −p_i (J_id − m_d),  m_d = Σ_k p_k J_kd
 *             = 2·p_rubbish + Σ_i p_i J_id² − m_d²
 *             = 2·p_rubbish + Σ_i p_i (J_id − m_d)² + p_rubbish · m_d²
 *
 * — the variance of J_·d under the posterior (p_1…p_U, p_rubbish) with the rubbish class at
 * J = 0, plus 2·p_rubbish. This is the EXACT diagonal of ∂²L/∂x²: the full Hessian,
 * 2·p_rubbish·I + Jᵀ(diag p − p pᵀ)J, is positive semi-definite (diag p − p pᵀ is a principal
 * block of a softmax covariance), so no Gauss–Newton cut is needed at the output. It does not
 * depend on the label: y_D's own Hessian is the constant 2I. With the paper's plain mean-squared
 * criterion E = y_D it reduces to the familiar 2. The softmax models' GN diagonal at the logits
 * is p_i(1 − p_i), the diagonal of diag p − p pᵀ.
 *
 * Input shape: y [N, U] (RBF outputs: distances; LeNet-5 U = 10), labels of length N.
 * Output shape: a number (the loss); the gradient has shape [N, U].
 * Departure from the paper: the paper says only that j is positive; lenet5 chooses
 * {@link DEFAULT_RBF_LOSS_J} = 0.1.
 */
import { Tensor, expectShape, zeros } from "./tensor";

/**
 * The constant j of eq. 9. The paper gives no value ("a positive constant"); 0.1 is lenet5's
 * choice, not the paper's.
 */
export const DEFAULT_RBF_LOSS_J = 0.1;

/** Options of {@link rbfLoss} and {@link rbfLossBackward}. */
export interface RbfLossOptions {
  /** The positive constant j of eq. 9 (default {@link DEFAULT_RBF_LOSS_J}). */
  j?: number;
}

/** Checks y, labels and j; returns the sizes and j. */
function checkInputs(
  op: string,
  y: Tensor,
  labels: ArrayLike<number>,
  options: RbfLossOptions,
): { batch: number; units: number; j: number } {
  expectShape(`${op} y`, y, [null, null]);
  const [batch, units] = y.shape;
  if (labels.length !== batch) {
    throw new RangeError(
      `${op}: y [${y.shape.join(", ")}] has ${batch} rows, labels ${labels.length}`,
    );
  }
  for (let n = 0; n < batch; n++) {
    const label = labels[n];
    if (!Number.isInteger(label) || label < 0 || label >= units) {
      throw new RangeError(`${op}: label ${label} at index ${n} is not a class in 0..${units - 1}`);
    }
  }
  const j = options.j ?? DEFAULT_RBF_LOSS_J;
  if (!(j > 0)) throw new RangeError(`${op}: j must be positive, got ${j}`);
  return { batch, units, j };
}

/** The largest of −j and the −y_i of one row: the term the log-sum-exp factors out. */
function rowShift(ys: Tensor["data"], base: number, units: number, j: number): number {
  let shift = -j;
  for (let i = 0; i < units; i++) shift = Math.max(shift, -ys[base + i]);
  return shift;
}

/**
 * The paper's loss eq. 9, averaged over the batch.
 *
 * Input shape: y [N, U] (RBF distances; LeNet-5 U = 10), labels of length N. Output shape: a
 * number.
 * @example
 * ```ts
 * const y = tensor([1, 2], [0, 1]); // distances to unit 0 and unit 1; the label is 0
 * const e = rbfLoss(y, [0], { j: 1 }); // 0 + log(e^−1 + e^0 + e^−1) = log(1 + 2/e) ≈ 0.5514
 * ```
 */
export function rbfLoss(
  y: Tensor,
  labels: ArrayLike<number>,
  options: RbfLossOptions = {},
): number {
  const { batch, units, j } = checkInputs("rbfLoss", y, labels, options);
  let total = 0;
  for (let n = 0; n < batch; n++) {
    const base = n * units;
    const shift = rowShift(y.data, base, units, j);
    let sum = Math.exp(-j - shift);
    for (let i = 0; i < units; i++) sum += Math.exp(-y.data[base + i] - shift);
    total += y.data[base + labels[n]] + shift + Math.log(sum);
  }
  return total / batch;
}

/**
 * Gradient of {@link rbfLoss} with respect to y, the 1/N of the mean included.
 *
 * Input shape: y [N, U], labels of length N. Output shape: dy [N, U].
 * @example
 * ```ts
 * const dy = rbfLossBackward(tensor([1, 2], [0, 1]), [0], { j: 1 }); // [1, 2]
 * // s = e^−1 + 1 + e^−1: dy = [1 − 1/s, −e^−1/s] ≈ [0.4239, −0.2119]
 * ```
 */
export function rbfLossBackward(
  y: Tensor,
  labels: ArrayLike<number>,
  options: RbfLossOptions = {},
): Tensor {
  const { batch, units, j } = checkInputs("rbfLossBackward", y, labels, options);
  const dy = zeros(y.shape, y.data); // [N, U]
  for (let n = 0; n < batch; n++) {
    const base = n * units;
    const shift = rowShift(y.data, base, units, j);
    let sum = Math.exp(-j - shift);
    for (let i = 0; i < units; i++) sum += Math.exp(-y.data[base + i] - shift);
    for (let i = 0; i < units; i++) {
      const share = Math.exp(-y.data[base + i] - shift) / sum; // e^{−y_i} / (e^{−j} + Σ e^{−y})
      dy.data[base + i] = ((i === labels[n] ? 1 : 0) - share) / batch;
    }
  }
  return dy;
}

/**
 * The predicted class of each row: the RBF unit with the smallest distance (the first on ties).
 *
 * Input shape: y [N, U]. Output shape: an Int32Array of length N.
 * @example
 * ```ts
 * rbfPredict(tensor([2, 3], [5, 1, 7, 0, 2, 2])); // Int32Array [1, 0]
 * ```
 */
export function rbfPredict(y: Tensor): Int32Array {
  expectShape("rbfPredict y", y, [null, null]);
  const [batch, units] = y.shape;
  const predicted = new Int32Array(batch);
  for (let n = 0; n < batch; n++) {
    let best = 0;
    for (let i = 1; i < units; i++) if (y.data[n * units + i] < y.data[n * units + best]) best = i;
    predicted[n] = best;
  }
  return predicted;
}

/**
 * The exact diagonal of ∂²L/∂x² for L(x) = E(rbf(x)), the RBF layer and the paper's loss
 * (eq. 9) seen from F6's output x: 2·p_rubbish + the posterior variance of ∂y/∂x_d (see the
 * file header). Per example (no 1/N); the label does not enter.
 * @example
 * ```ts
 * // x exactly on one prototype, far from the other: p ≈ [1/(1 + e^−j), 0], so
 * // d2x = 2·p_rubbish + p_0·(1 − p_0)·0 + … = 2·e^−j/(1 + e^−j) per coordinate.
 * const d2x = rbfLossBackward2(tensor([1, 1], [0]), tensor([2, 1], [0, 100]), { j: 1 });
 * // ≈ [0.5379]
 * ```
 */
export function rbfLossBackward2(
  x: Tensor,
  prototypes: Tensor,
  options: { j?: number } = {},
): Tensor {
  const rubbish = options.j ?? DEFAULT_RBF_LOSS_J;
  expectShape("rbfLossBackward2 x", x, [null, null]);
  const [batch, features] = x.shape;
  expectShape("rbfLossBackward2 prototypes", prototypes, [null, features]);
  const units = prototypes.shape[0];
  const w = prototypes.data;
  const d2x = zeros(x.shape, x.data); // [N, D]
  const p = new Float64Array(units);
  for (let n = 0; n < batch; n++) {
    const xn = n * features;
    let shift = -rubbish; // the largest score, factored out of the exponentials
    for (let i = 0; i < units; i++) {
      let y = 0;
      for (let d = 0; d < features; d++) y += (x.data[xn + d] - w[i * features + d]) ** 2;
      p[i] = -y;
      shift = Math.max(shift, -y);
    }
    let z = Math.exp(-rubbish - shift);
    for (let i = 0; i < units; i++) z += p[i] = Math.exp(p[i] - shift);
    for (let i = 0; i < units; i++) p[i] /= z;
    const pRubbish = Math.exp(-rubbish - shift) / z;
    for (let d = 0; d < features; d++) {
      let mean = 0;
      for (let i = 0; i < units; i++) mean += p[i] * 2 * (x.data[xn + d] - w[i * features + d]);
      let variance = pRubbish * mean * mean;
      for (let i = 0; i < units; i++) {
        variance += p[i] * (2 * (x.data[xn + d] - w[i * features + d]) - mean) ** 2;
      }
      d2x.data[xn + d] = 2 * pRubbish + variance;
    }
  }
  return d2x;
}
