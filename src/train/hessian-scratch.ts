/**
 * The diagonal Gauss–Newton Hessian of LeNet-5, from scratch: the reference the fast tfjs version
 * (hessian.ts) is tested against, and the paper's recipe written out op by op (Appendix C).
 *
 * Second derivatives travel backwards like gradients, with squares where the gradient has plain
 * factors. For a unit a_i = Σ_j w_ij x_j + b_i followed by x_i = f(a_i):
 *
 *   ∂²E/∂a_i²  ≈ f'(a_i)² · ∂²E/∂x_i²                    (Gauss–Newton: the f''·∂E/∂x term dropped)
 *   ∂²E/∂x_j²  ≈ Σ_i w_ij² · ∂²E/∂a_i²                   (off-diagonal terms dropped)
 *   ∂²E/∂w_k²  ≈ Σ_{connections (i, j) sharing w_k} x_j² · ∂²E/∂a_i²      (bias: x_j = 1)
 *
 * Every term is ≥ 0, so the estimate never makes a learning rate negative.
 *
 * At the output, the RBF layer and the loss are taken together as the loss of F6's output x:
 * L(x) = E(y(x)) with y_i = Σ_d (x_d − w_id)² and E = y_D + log(e^{−j} + Σ_i e^{−y_i}) (eq. 9).
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
 * h_kk is the AVERAGE over the samples of the per-sample second derivatives of E^p (the paper:
 * a running average over 500 samples, Appendix C; lenet5 takes the plain mean).
 *
 * Input shape / Output shape: each `…Backward2` takes the forward's input x [like the forward],
 * its weights and d2y [the forward's output shape], and returns d2x [x's shape] and h for each
 * weight [that weight's shape]; h sums over the batch.
 * Departures from the paper: none known; the output derivation above is lenet5's (the paper
 * gives the rule for its mean-squared criterion only).
 */
import { TABLE_I } from "../paper";
import type { HistoricalParams } from "../models/historical";
import { DEFAULT_RBF_LOSS_J } from "../scratch/rbf-loss";
import { conv2d, type Conv2dOptions } from "../scratch/conv2d";
import { dense } from "../scratch/dense";
import { scaledTanh, scaledTanhDerivative } from "../scratch/scaled-tanh";
import { sparseConv2d, tableConnections } from "../scratch/sparse-conv2d";
import { subsampling } from "../scratch/subsampling";
import { Tensor, expectShape, zeros } from "../scratch/tensor";

/** Second-derivative backward of a layer with a kernel and a bias. */
export interface KernelBackward2 {
  /** ∂²E/∂x² (diagonal), x's shape. */
  d2x: Tensor;
  /** h for the kernel, the kernel's shape. */
  hKernel: Tensor;
  /** h for the bias, [Cout]. */
  hBias: Tensor;
}

/**
 * Second derivatives back through {@link conv2d}: a shared kernel tap sums x²·d2y over every
 * position it touches; each input collects k²·d2y from every output it feeds.
 * @example
 * ```ts
 * const x = tensor([1, 2, 2, 1], [1, 2, 3, 4]);
 * const k = tensor([1, 1, 1, 1], [3]);
 * const { d2x, hKernel, hBias } = conv2dBackward2(x, k, tensor([1, 2, 2, 1], [1, 1, 1, 1]));
 * // d2x = [9, 9, 9, 9] (3²), hKernel = [30] (1 + 4 + 9 + 16), hBias = [4]
 * ```
 */
export function conv2dBackward2(
  x: Tensor,
  kernel: Tensor,
  d2y: Tensor,
  options: Conv2dOptions = {},
): KernelBackward2 {
  const padding = options.padding ?? 0;
  expectShape("conv2dBackward2 x", x, [null, null, null, null]);
  const [batch, height, width, cin] = x.shape;
  expectShape("conv2dBackward2 kernel", kernel, [null, null, cin, null]);
  const [kernelHeight, kernelWidth, , cout] = kernel.shape;
  const outHeight = height + 2 * padding - kernelHeight + 1;
  const outWidth = width + 2 * padding - kernelWidth + 1;
  expectShape("conv2dBackward2 d2y", d2y, [batch, outHeight, outWidth, cout]);
  const d2x = zeros(x.shape, x.data); // [N, H, W, Cin]
  const hKernel = zeros(kernel.shape, x.data); // [KH, KW, Cin, Cout]
  const hBias = zeros([cout], x.data); // [Cout]
  const ks = kernel.data;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const yBase = ((n * outHeight + oy) * outWidth + ox) * cout;
        for (let co = 0; co < cout; co++) hBias.data[co] += d2y.data[yBase + co];
        for (let ky = 0; ky < kernelHeight; ky++) {
          const iy = oy + ky - padding;
          if (iy < 0 || iy >= height) continue;
          for (let kx = 0; kx < kernelWidth; kx++) {
            const ix = ox + kx - padding;
            if (ix < 0 || ix >= width) continue;
            const xBase = ((n * height + iy) * width + ix) * cin;
            const kBase = (ky * kernelWidth + kx) * cin * cout;
            for (let ci = 0; ci < cin; ci++) {
              const xv = x.data[xBase + ci];
              const kRow = kBase + ci * cout;
              let sum = 0;
              for (let co = 0; co < cout; co++) {
                const d2 = d2y.data[yBase + co];
                sum += ks[kRow + co] * ks[kRow + co] * d2;
                hKernel.data[kRow + co] += xv * xv * d2;
              }
              d2x.data[xBase + ci] += sum;
            }
          }
        }
      }
    }
  }
  return { d2x, hKernel, hBias };
}

/**
 * Second derivatives back through the sparse C3 convolution (Table I): as {@link conv2dBackward2},
 * but only along the table's connections; the kernel is packed, [KH, KW, connections].
 * @example
 * ```ts
 * const x = zeros([1, 14, 14, 6]); // S2's output
 * const { hKernel } = sparseConv2dBackward2(x, zeros([5, 5, 60]), zeros([1, 10, 10, 16]));
 * hKernel.shape; // [5, 5, 60]
 * ```
 */
export function sparseConv2dBackward2(
  x: Tensor,
  kernel: Tensor,
  d2y: Tensor,
  table: readonly (readonly number[])[] = TABLE_I,
): KernelBackward2 {
  const links = tableConnections(table);
  const connections = links.inMap.length;
  expectShape("sparseConv2dBackward2 x", x, [null, null, null, links.inChannels]);
  expectShape("sparseConv2dBackward2 kernel", kernel, [null, null, connections]);
  const [batch, height, width, cin] = x.shape;
  const [kernelHeight, kernelWidth] = kernel.shape;
  const outHeight = height - kernelHeight + 1;
  const outWidth = width - kernelWidth + 1;
  const cout = links.outChannels;
  expectShape("sparseConv2dBackward2 d2y", d2y, [batch, outHeight, outWidth, cout]);
  const d2x = zeros(x.shape, x.data); // [N, H, W, Cin]
  const hKernel = zeros(kernel.shape, x.data); // [KH, KW, connections]
  const hBias = zeros([cout], x.data); // [Cout]
  const ks = kernel.data;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const yBase = ((n * outHeight + oy) * outWidth + ox) * cout;
        for (let j = 0; j < cout; j++) hBias.data[j] += d2y.data[yBase + j];
        for (let ky = 0; ky < kernelHeight; ky++) {
          for (let kx = 0; kx < kernelWidth; kx++) {
            const xBase = ((n * height + oy + ky) * width + ox + kx) * cin;
            const kBase = (ky * kernelWidth + kx) * connections;
            for (let c = 0; c < connections; c++) {
              const d2 = d2y.data[yBase + links.outMap[c]];
              const xi = xBase + links.inMap[c];
              const k = ks[kBase + c];
              d2x.data[xi] += k * k * d2;
              hKernel.data[kBase + c] += x.data[xi] * x.data[xi] * d2;
            }
          }
        }
      }
    }
  }
  return { d2x, hKernel, hBias };
}

/** What {@link subsamplingBackward2} returns. */
export interface SubsamplingBackward2 {
  /** ∂²E/∂x² (diagonal), x's shape [N, H, W, C]. */
  d2x: Tensor;
  /** h for the per-map coefficients, [C], summed over the batch. */
  hCoefficient: Tensor;
  /** h for the per-map biases, [C], summed over the batch. */
  hBias: Tensor;
}

/**
 * Second derivatives back through trainable subsampling (S2/S4): a unit's four inputs share one
 * coefficient c, so h_c sums x²·d2y over all four, and each input gets c²·d2y.
 * @example
 * ```ts
 * const x = tensor([1, 2, 2, 1], [1, 2, 3, 4]);
 * const { d2x, hCoefficient } = subsamplingBackward2(x, tensor([1], [0.5]), tensor([1, 1, 1, 1], [2]));
 * // d2x = [0.5, 0.5, 0.5, 0.5] (0.25·2), hCoefficient = [60] ((1 + 4 + 9 + 16)·2)
 * ```
 */
export function subsamplingBackward2(
  x: Tensor,
  coefficient: Tensor,
  d2y: Tensor,
): SubsamplingBackward2 {
  expectShape("subsamplingBackward2 x", x, [null, null, null, null]);
  const [batch, height, width, channels] = x.shape;
  expectShape("subsamplingBackward2 coefficient", coefficient, [channels]);
  const outHeight = height / 2;
  const outWidth = width / 2;
  expectShape("subsamplingBackward2 d2y", d2y, [batch, outHeight, outWidth, channels]);
  const d2x = zeros(x.shape, x.data); // [N, H, W, C]
  const hCoefficient = zeros([channels], x.data); // [C]
  const hBias = zeros([channels], x.data); // [C]
  const xs = x.data;
  const rowStride = width * channels;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const xBase = ((n * height + 2 * oy) * width + 2 * ox) * channels;
        const yBase = ((n * outHeight + oy) * outWidth + ox) * channels;
        for (let c = 0; c < channels; c++) {
          const d2 = d2y.data[yBase + c];
          const block = [xBase + c, xBase + c + channels, xBase + c + rowStride];
          block.push(block[2] + channels);
          let squares = 0;
          for (const i of block) squares += xs[i] * xs[i];
          hCoefficient.data[c] += squares * d2;
          hBias.data[c] += d2;
          const d2Input = coefficient.data[c] * coefficient.data[c] * d2;
          for (const i of block) d2x.data[i] = d2Input; // blocks do not overlap
        }
      }
    }
  }
  return { d2x, hCoefficient, hBias };
}

/** What {@link denseBackward2} returns. */
export interface DenseBackward2 {
  /** ∂²E/∂x² (diagonal), x's shape [N, In]. */
  d2x: Tensor;
  /** h for the weight matrix, [In, Out], summed over the batch. */
  hWeight: Tensor;
  /** h for the bias, [Out], summed over the batch. */
  hBias: Tensor;
}

/**
 * Second derivatives back through a full connection y = x·W + b: h_W = (x²)ᵀ·d2y,
 * d2x = d2y·(W²)ᵀ.
 * @example
 * ```ts
 * const { d2x, hWeight } = denseBackward2(tensor([1, 2], [1, 2]), tensor([2, 1], [3, 4]), tensor([1, 1], [2]));
 * // d2x = [18, 32] (9·2, 16·2), hWeight = [2, 8] (1·2, 4·2)
 * ```
 */
export function denseBackward2(x: Tensor, weight: Tensor, d2y: Tensor): DenseBackward2 {
  expectShape("denseBackward2 x", x, [null, null]);
  const [batch, inUnits] = x.shape;
  expectShape("denseBackward2 weight", weight, [inUnits, null]);
  const outUnits = weight.shape[1];
  expectShape("denseBackward2 d2y", d2y, [batch, outUnits]);
  const d2x = zeros(x.shape, x.data); // [N, In]
  const hWeight = zeros(weight.shape, x.data); // [In, Out]
  const hBias = zeros([outUnits], x.data); // [Out]
  for (let n = 0; n < batch; n++) {
    for (let o = 0; o < outUnits; o++) hBias.data[o] += d2y.data[n * outUnits + o];
    for (let i = 0; i < inUnits; i++) {
      const xv = x.data[n * inUnits + i];
      let sum = 0;
      for (let o = 0; o < outUnits; o++) {
        const d2 = d2y.data[n * outUnits + o];
        const w = weight.data[i * outUnits + o];
        sum += w * w * d2;
        hWeight.data[i * outUnits + o] += xv * xv * d2;
      }
      d2x.data[n * inUnits + i] = sum;
    }
  }
  return { d2x, hWeight, hBias };
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

/**
 * h_kk of every trainable weight of the `historical` net: {@link HistoricalParams}' layout, each
 * tensor the shape of its weight (C1 kernel [5, 5, 1, 6] … F6 weight [120, 84]), without the
 * fixed prototypes.
 */
export type HistoricalHessian = Omit<HistoricalParams, "prototypes">;

function scaled(t: Tensor, factor: number): Tensor {
  const out = zeros(t.shape, t.data); // t's shape
  for (let i = 0; i < t.data.length; i++) out.data[i] = t.data[i] * factor;
  return out;
}

/**
 * The SDLM Hessian estimate of the `historical` net on the examples `x`: the per-example
 * diagonal Gauss–Newton second derivatives of the loss, averaged over the examples. The forward
 * pass is the scratch ops' (as `historicalForwardScratch`), keeping each layer's pre-activation.
 * @example
 * ```ts
 * const params = historicalParams(createHistorical({ seed: 1 }));
 * const h = historicalHessianScratch(params, zeros([2, 32, 32, 1], "float64"));
 * h.c3.kernel.shape; // [5, 5, 60]
 * ```
 */
export function historicalHessianScratch(
  params: HistoricalParams,
  x: Tensor,
  options: { j?: number } = {},
): HistoricalHessian {
  expectShape("historicalHessianScratch x", x, [null, 32, 32, 1]);
  const n = x.shape[0];
  const cast = (t: Tensor): Tensor =>
    x.data instanceof Float64Array && !(t.data instanceof Float64Array)
      ? { shape: t.shape, data: Float64Array.from(t.data) }
      : t;
  const p = {
    c1k: cast(params.c1.kernel),
    c1b: cast(params.c1.bias),
    s2c: cast(params.s2.coefficient),
    s2b: cast(params.s2.bias),
    c3k: cast(params.c3.kernel),
    c3b: cast(params.c3.bias),
    s4c: cast(params.s4.coefficient),
    s4b: cast(params.s4.bias),
    c5k: cast(params.c5.kernel),
    c5b: cast(params.c5.bias),
    f6w: cast(params.f6.weight),
    f6b: cast(params.f6.bias),
    prototypes: cast(params.prototypes),
  };
  // Forward, keeping each layer's input (a: pre-activation, o: after the squashing).
  const aC1 = conv2d(x, p.c1k, p.c1b); // [N, 28, 28, 6]
  const oC1 = scaledTanh(aC1); // [N, 28, 28, 6]
  const aS2 = subsampling(oC1, p.s2c, p.s2b); // [N, 14, 14, 6]
  const oS2 = scaledTanh(aS2); // [N, 14, 14, 6]
  const aC3 = sparseConv2d(oS2, p.c3k, p.c3b); // [N, 10, 10, 16]
  const oC3 = scaledTanh(aC3); // [N, 10, 10, 16]
  const aS4 = subsampling(oC3, p.s4c, p.s4b); // [N, 5, 5, 16]
  const oS4 = scaledTanh(aS4); // [N, 5, 5, 16]
  const aC5 = conv2d(oS4, p.c5k, p.c5b); // [N, 1, 1, 120]
  const oC5: Tensor = { shape: [n, 120], data: scaledTanh(aC5).data }; // [N, 120]
  const aF6 = dense(oC5, p.f6w, p.f6b); // [N, 84]
  const oF6 = scaledTanh(aF6); // [N, 84]
  // Backward, second derivatives.
  const d2F6 = scaledTanhBackward2(aF6, rbfLossBackward2(oF6, p.prototypes, options)); // [N, 84]
  const f6 = denseBackward2(oC5, p.f6w, d2F6);
  const d2C5 = scaledTanhBackward2(aC5, { shape: aC5.shape, data: f6.d2x.data }); // [N, 1, 1, 120]
  const c5 = conv2dBackward2(oS4, p.c5k, d2C5);
  const s4 = subsamplingBackward2(oC3, p.s4c, scaledTanhBackward2(aS4, c5.d2x));
  const c3 = sparseConv2dBackward2(oS2, p.c3k, scaledTanhBackward2(aC3, s4.d2x));
  const s2 = subsamplingBackward2(oC1, p.s2c, scaledTanhBackward2(aS2, c3.d2x));
  const c1 = conv2dBackward2(x, p.c1k, scaledTanhBackward2(aC1, s2.d2x));
  const mean = (t: Tensor) => scaled(t, 1 / n);
  return {
    c1: { kernel: mean(c1.hKernel), bias: mean(c1.hBias) },
    s2: { coefficient: mean(s2.hCoefficient), bias: mean(s2.hBias) },
    c3: { kernel: mean(c3.hKernel), bias: mean(c3.hBias) },
    s4: { coefficient: mean(s4.hCoefficient), bias: mean(s4.hBias) },
    c5: { kernel: mean(c5.hKernel), bias: mean(c5.hBias) },
    f6: { weight: mean(f6.hWeight), bias: mean(f6.hBias) },
  };
}
