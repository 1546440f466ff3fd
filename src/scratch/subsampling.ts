/**
 * Trainable subsampling: LeNet-5's S2 and S4 (Section II-B). Each unit adds the four inputs of
 * its non-overlapping 2×2 block, multiplies the sum by a trainable coefficient and adds a
 * trainable bias, one coefficient and one bias per feature map:
 *
 *   y[n, oy, ox, c] = coefficient[c] · Σ_{dy, dx ∈ {0, 1}} x[n, 2·oy + dy, 2·ox + dx, c] + bias[c]
 *
 * The paper then passes the result through the sigmoid (the scaled tanh); here that is a
 * separate op (scaled-tanh.ts), so this layer is linear.
 *
 * Second derivatives (SDLM's Gauss–Newton pass, Appendix C): the four inputs share one
 * coefficient, so h_c = Σ_block x²·d2y, and each input gets c²·d2y.
 *
 * Input shape: x [N, H, W, C] with H and W even, coefficient [C], bias [C].
 * Output shape: [N, H/2, W/2, C]; for LeNet-5, S2 [N, 28, 28, 6] → [N, 14, 14, 6] and
 * S4 [N, 10, 10, 16] → [N, 5, 5, 16].
 * Departures from the paper: none (the squashing is split off, not dropped).
 */
import { Tensor, expectShape, zeros } from "./tensor";

/** Gradients of a subsampling loss with respect to its three inputs. */
export interface SubsamplingGradients {
  /** dLoss/dx, the shape of x: [N, H, W, C]. */
  dx: Tensor;
  /** dLoss/dcoefficient: [C]. */
  dCoefficient: Tensor;
  /** dLoss/dbias: [C]. */
  dBias: Tensor;
}

function shapeText(t: Tensor): string {
  return `[${t.shape.join(", ")}]`;
}

function checkInput(op: string, x: Tensor, coefficient: Tensor): void {
  expectShape(`${op} x`, x, [null, null, null, null]);
  const [, height, width, channels] = x.shape;
  if (height % 2 !== 0 || width % 2 !== 0) {
    throw new RangeError(`${op}: x ${shapeText(x)} needs an even height and width for 2×2 blocks`);
  }
  expectShape(`${op} coefficient for x ${shapeText(x)}`, coefficient, [channels]);
}

/**
 * Forward trainable subsampling: coefficient × (sum of each 2×2 block) + bias, per channel.
 *
 * Input shape: x [N, H, W, C] (H, W even), coefficient [C], bias [C]. Output shape:
 * [N, H/2, W/2, C]. S2: [N, 28, 28, 6] → [N, 14, 14, 6]; S4: [N, 10, 10, 16] → [N, 5, 5, 16].
 * @example
 * ```ts
 * const x = tensor([1, 2, 2, 1], [1, 2, 3, 4]);
 * const y = subsampling(x, tensor([1], [0.5]), tensor([1], [1])); // [1, 1, 1, 1]: 0.5·10 + 1 = 6
 * ```
 */
export function subsampling(x: Tensor, coefficient: Tensor, bias: Tensor): Tensor {
  checkInput("subsampling", x, coefficient);
  const [batch, height, width, channels] = x.shape;
  expectShape(`subsampling bias for x ${shapeText(x)}`, bias, [channels]);
  const outHeight = height / 2;
  const outWidth = width / 2;
  const y = zeros([batch, outHeight, outWidth, channels], x.data); // [N, H/2, W/2, C]
  const xs = x.data;
  const rowStride = width * channels; // one step down in x
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const xBase = ((n * height + 2 * oy) * width + 2 * ox) * channels;
        const yBase = ((n * outHeight + oy) * outWidth + ox) * channels;
        for (let c = 0; c < channels; c++) {
          const top = xBase + c;
          const blockSum =
            xs[top] + xs[top + channels] + xs[top + rowStride] + xs[top + rowStride + channels];
          y.data[yBase + c] = coefficient.data[c] * blockSum + bias.data[c];
        }
      }
    }
  }
  return y;
}

/**
 * Backward of {@link subsampling}: each of a block's four inputs gets coefficient · dy; the
 * coefficient collects Σ dy · (block sum) and the bias Σ dy.
 *
 * Input shape: x [N, H, W, C], coefficient [C], dy [N, H/2, W/2, C]. Output shape: dx
 * [N, H, W, C], dCoefficient [C], dBias [C].
 * @example
 * ```ts
 * const x = tensor([1, 2, 2, 1], [1, 2, 3, 4]);
 * const dy = tensor([1, 1, 1, 1], [2]);
 * const { dx, dCoefficient, dBias } = subsamplingBackward(x, tensor([1], [0.5]), dy);
 * // dx = [1, 1, 1, 1] (0.5 · 2 each), dCoefficient = [20] (2 · 10), dBias = [2]
 * ```
 */
export function subsamplingBackward(
  x: Tensor,
  coefficient: Tensor,
  dy: Tensor,
): SubsamplingGradients {
  checkInput("subsamplingBackward", x, coefficient);
  const [batch, height, width, channels] = x.shape;
  const outHeight = height / 2;
  const outWidth = width / 2;
  expectShape(`subsamplingBackward dy for x ${shapeText(x)}`, dy, [
    batch,
    outHeight,
    outWidth,
    channels,
  ]);
  const dx = zeros(x.shape, x.data); // [N, H, W, C]
  const dCoefficient = zeros([channels], x.data); // [C]
  const dBias = zeros([channels], x.data); // [C]
  const xs = x.data;
  const rowStride = width * channels;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const xBase = ((n * height + 2 * oy) * width + 2 * ox) * channels;
        const yBase = ((n * outHeight + oy) * outWidth + ox) * channels;
        for (let c = 0; c < channels; c++) {
          const d = dy.data[yBase + c];
          const top = xBase + c;
          const blockSum =
            xs[top] + xs[top + channels] + xs[top + rowStride] + xs[top + rowStride + channels];
          dCoefficient.data[c] += d * blockSum;
          dBias.data[c] += d;
          const dInput = coefficient.data[c] * d;
          dx.data[top] = dInput; // blocks do not overlap: each x gets exactly one term
          dx.data[top + channels] = dInput;
          dx.data[top + rowStride] = dInput;
          dx.data[top + rowStride + channels] = dInput;
        }
      }
    }
  }
  return { dx, dCoefficient, dBias };
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
