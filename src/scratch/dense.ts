/**
 * Full connection: LeNet-5's F6 (Section II-B, eq. 5 before the squashing) and the modern net's
 * linear layers:
 *
 *   y[n, o] = Σ_i x[n, i] · W[i, o] + b[o]      (y = x·W + b)
 *
 * The squashing is a separate op (scaled-tanh.ts).
 *
 * Second derivatives (SDLM's Gauss–Newton pass, Appendix C): h_W = (x²)ᵀ·d2y, h_b = Σ d2y,
 * d2x = d2y·(W²)ᵀ — the backward with every factor squared.
 *
 * Input shape: x [N, In], weight [In, Out] (tfjs layout), bias [Out].
 * Output shape: [N, Out]; for F6, [N, 120] → [N, 84].
 * Departures from the paper: none.
 */
import { Tensor, expectShape, zeros } from "./tensor";

/** Gradients of a dense loss with respect to its three inputs. */
export interface DenseGradients {
  /** dLoss/dx, the shape of x: [N, In]. */
  dx: Tensor;
  /** dLoss/dweight, the shape of the weight: [In, Out]. */
  dWeight: Tensor;
  /** dLoss/dbias: [Out]. */
  dBias: Tensor;
}

function shapeText(t: Tensor): string {
  return `[${t.shape.join(", ")}]`;
}

/**
 * Forward full connection y = x·W + b.
 *
 * Input shape: x [N, In], weight [In, Out], bias [Out]. Output shape: [N, Out]. F6: [N, 120] →
 * [N, 84].
 * @example
 * ```ts
 * const x = tensor([1, 2], [1, 2]);
 * const w = tensor([2, 3], [1, 0, 1, 0, 1, 1]); // columns: x0, x1, x0 + x1
 * const y = dense(x, w, tensor([3], [0, 0, 10])); // [1, 3]: [1, 2, 13]
 * ```
 */
export function dense(x: Tensor, weight: Tensor, bias: Tensor): Tensor {
  expectShape("dense x", x, [null, null]);
  const [batch, inUnits] = x.shape;
  expectShape(`dense weight for x ${shapeText(x)}`, weight, [inUnits, null]);
  const outUnits = weight.shape[1];
  expectShape(`dense bias for weight ${shapeText(weight)}`, bias, [outUnits]);
  const y = zeros([batch, outUnits], x.data); // [N, Out]
  const ws = weight.data;
  for (let n = 0; n < batch; n++) {
    const yBase = n * outUnits;
    for (let o = 0; o < outUnits; o++) y.data[yBase + o] = bias.data[o];
    for (let i = 0; i < inUnits; i++) {
      const xv = x.data[n * inUnits + i];
      const wRow = i * outUnits;
      for (let o = 0; o < outUnits; o++) y.data[yBase + o] += xv * ws[wRow + o];
    }
  }
  return y;
}

/**
 * Backward of {@link dense}: dx = dy·Wᵀ, dW = xᵀ·dy, db = Σ_n dy.
 *
 * Input shape: x [N, In], weight [In, Out], dy [N, Out]. Output shape: dx [N, In], dWeight
 * [In, Out], dBias [Out].
 * @example
 * ```ts
 * const x = tensor([1, 2], [1, 2]);
 * const w = tensor([2, 3], [1, 0, 1, 0, 1, 1]);
 * const { dx, dWeight, dBias } = denseBackward(x, w, tensor([1, 3], [1, 1, 1]));
 * // dx = [2, 2] (row sums of W), dWeight = [1, 1, 1, 2, 2, 2], dBias = [1, 1, 1]
 * ```
 */
export function denseBackward(x: Tensor, weight: Tensor, dy: Tensor): DenseGradients {
  expectShape("denseBackward x", x, [null, null]);
  const [batch, inUnits] = x.shape;
  expectShape(`denseBackward weight for x ${shapeText(x)}`, weight, [inUnits, null]);
  const outUnits = weight.shape[1];
  expectShape(`denseBackward dy for x ${shapeText(x)} and weight ${shapeText(weight)}`, dy, [
    batch,
    outUnits,
  ]);
  const dx = zeros(x.shape, x.data); // [N, In]
  const dWeight = zeros(weight.shape, x.data); // [In, Out]
  const dBias = zeros([outUnits], x.data); // [Out]
  const ws = weight.data;
  for (let n = 0; n < batch; n++) {
    const yBase = n * outUnits;
    for (let o = 0; o < outUnits; o++) dBias.data[o] += dy.data[yBase + o];
    for (let i = 0; i < inUnits; i++) {
      const xv = x.data[n * inUnits + i];
      const wRow = i * outUnits;
      let dxSum = 0;
      for (let o = 0; o < outUnits; o++) {
        const d = dy.data[yBase + o];
        dxSum += d * ws[wRow + o];
        dWeight.data[wRow + o] += xv * d;
      }
      dx.data[n * inUnits + i] = dxSum;
    }
  }
  return { dx, dWeight, dBias };
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
