/**
 * 2×2 average pooling, stride 2, without parameters: one of the `historical` net's ablation
 * options for S2/S4 (not the paper's, whose subsampling multiplies the block sum by a trainable
 * coefficient, adds a trainable bias and squashes; see subsampling.ts):
 *
 *   y[n, oy, ox, c] = ¼ · Σ_{dy, dx ∈ {0, 1}} x[n, 2·oy + dy, 2·ox + dx, c]
 *
 * Backward: each of a block's four inputs gets ¼·dy. Second derivatives (SDLM's Gauss–Newton
 * pass, Appendix C): each input gets (¼)²·d2y = d2y/16 — the squared factor of the linear map.
 *
 * Input shape: x [N, H, W, C] with H and W even. Output shape: [N, H/2, W/2, C].
 * Departure from the paper: the whole op is one (a fixed average instead of trainable subsampling).
 */
import { Tensor, expectShape, zeros } from "./tensor";

/** The weight of each input in its block's average. */
const QUARTER = 0.25;

function checkInput(op: string, x: Tensor): void {
  expectShape(`${op} x`, x, [null, null, null, null]);
  if (x.shape[1] % 2 !== 0 || x.shape[2] % 2 !== 0) {
    throw new RangeError(
      `${op}: x [${x.shape.join(", ")}] needs an even height and width for 2×2 blocks`,
    );
  }
}

/**
 * Spreads `factor · y` of every output back over its 2×2 block: the one loop backward and
 * second-derivative passes share.
 */
function spreadOverBlocks(x: Tensor, y: Tensor, factor: number, what: string): Tensor {
  checkInput(what, x);
  const [batch, height, width, channels] = x.shape;
  const outHeight = height / 2;
  const outWidth = width / 2;
  expectShape(`${what} dy for x [${x.shape.join(", ")}]`, y, [
    batch,
    outHeight,
    outWidth,
    channels,
  ]);
  const dx = zeros(x.shape, x.data); // [N, H, W, C]
  const rowStride = width * channels;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const xBase = ((n * height + 2 * oy) * width + 2 * ox) * channels;
        const yBase = ((n * outHeight + oy) * outWidth + ox) * channels;
        for (let c = 0; c < channels; c++) {
          const share = factor * y.data[yBase + c];
          const top = xBase + c;
          dx.data[top] = share; // blocks do not overlap: each x gets exactly one term
          dx.data[top + channels] = share;
          dx.data[top + rowStride] = share;
          dx.data[top + rowStride + channels] = share;
        }
      }
    }
  }
  return dx;
}

/**
 * Forward 2×2 average pooling with stride 2.
 *
 * Input shape: x [N, H, W, C] (H, W even). Output shape: [N, H/2, W/2, C]. S2:
 * [N, 28, 28, 6] → [N, 14, 14, 6].
 * @example
 * ```ts
 * const y = avgPool(tensor([1, 2, 2, 1], [1, 2, 3, 6])); // [1, 1, 1, 1]: [3]
 * ```
 */
export function avgPool(x: Tensor): Tensor {
  checkInput("avgPool", x);
  const [batch, height, width, channels] = x.shape;
  const outHeight = height / 2;
  const outWidth = width / 2;
  const y = zeros([batch, outHeight, outWidth, channels], x.data); // [N, H/2, W/2, C]
  const xs = x.data;
  const rowStride = width * channels;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const xBase = ((n * height + 2 * oy) * width + 2 * ox) * channels;
        const yBase = ((n * outHeight + oy) * outWidth + ox) * channels;
        for (let c = 0; c < channels; c++) {
          const top = xBase + c;
          const sum =
            xs[top] + xs[top + channels] + xs[top + rowStride] + xs[top + rowStride + channels];
          y.data[yBase + c] = QUARTER * sum;
        }
      }
    }
  }
  return y;
}

/**
 * Backward of {@link avgPool}: each of a block's four inputs gets ¼·dy.
 *
 * Input shape: x [N, H, W, C], dy [N, H/2, W/2, C]. Output shape: dx [N, H, W, C].
 * @example
 * ```ts
 * const dx = avgPoolBackward(zeros([1, 2, 2, 1]), tensor([1, 1, 1, 1], [8])); // [2, 2, 2, 2]
 * ```
 */
export function avgPoolBackward(x: Tensor, dy: Tensor): Tensor {
  return spreadOverBlocks(x, dy, QUARTER, "avgPoolBackward");
}

/**
 * Second derivatives back through {@link avgPool}: each input gets (¼)²·d2y.
 *
 * Input shape: x [N, H, W, C], d2y [N, H/2, W/2, C]. Output shape: d2x, the same as x.
 * @example
 * ```ts
 * const d2x = avgPoolBackward2(zeros([1, 2, 2, 1]), tensor([1, 1, 1, 1], [16])); // [1, 1, 1, 1]
 * ```
 */
export function avgPoolBackward2(x: Tensor, d2y: Tensor): Tensor {
  return spreadOverBlocks(x, d2y, QUARTER * QUARTER, "avgPoolBackward2");
}
