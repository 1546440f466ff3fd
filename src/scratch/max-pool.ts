/**
 * 2×2 max pooling, stride 2: the modern net's replacement for trainable subsampling (not in
 * the paper, whose S2/S4 are subsampling.ts):
 *
 *   y[n, oy, ox, c] = max_{dy, dx ∈ {0, 1}} x[n, 2·oy + dy, 2·ox + dx, c]
 *
 * The gradient flows only to the input that was the maximum. On a tie the first maximum in
 * row-major order within the block wins — top-left, top-right, bottom-left, bottom-right — and
 * gets the whole gradient.
 *
 * Second derivatives: d2y goes to the block's maximum, like the gradient (the op is linear there).
 *
 * Input shape: x [N, H, W, C] with H and W even. Output shape: [N, H/2, W/2, C].
 * Departure from the paper: the paper averages (sums) with trainable coefficients; this serves
 * the modern twin.
 */
import { Tensor, expectShape, zeros } from "./tensor";

function checkInput(op: string, x: Tensor): void {
  expectShape(`${op} x`, x, [null, null, null, null]);
  if (x.shape[1] % 2 !== 0 || x.shape[2] % 2 !== 0) {
    throw new RangeError(
      `${op}: x [${x.shape.join(", ")}] needs an even height and width for 2×2 blocks`,
    );
  }
}

/**
 * Index into x of the block's maximum for channel c; strict `>` keeps the first on ties.
 * `top` is the index of the block's top-left element for that channel.
 */
function argmaxOfBlock(
  xs: Tensor["data"],
  top: number,
  channels: number,
  rowStride: number,
): number {
  const topRight = top + channels;
  const bottomLeft = top + rowStride;
  const bottomRight = bottomLeft + channels;
  let best = top;
  if (xs[topRight] > xs[best]) best = topRight;
  if (xs[bottomLeft] > xs[best]) best = bottomLeft;
  if (xs[bottomRight] > xs[best]) best = bottomRight;
  return best;
}

/**
 * Forward 2×2 max pooling with stride 2.
 *
 * Input shape: x [N, H, W, C] (H, W even). Output shape: [N, H/2, W/2, C]. Modern net:
 * [N, 28, 28, 6] → [N, 14, 14, 6].
 * @example
 * ```ts
 * const x = tensor([1, 2, 2, 1], [1, 4, 3, 2]);
 * const y = maxPool(x); // [1, 1, 1, 1]: [4]
 * ```
 */
export function maxPool(x: Tensor): Tensor {
  checkInput("maxPool", x);
  const [batch, height, width, channels] = x.shape;
  const outHeight = height / 2;
  const outWidth = width / 2;
  const y = zeros([batch, outHeight, outWidth, channels], x.data); // [N, H/2, W/2, C]
  const rowStride = width * channels;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const xBase = ((n * height + 2 * oy) * width + 2 * ox) * channels;
        const yBase = ((n * outHeight + oy) * outWidth + ox) * channels;
        for (let c = 0; c < channels; c++) {
          y.data[yBase + c] = x.data[argmaxOfBlock(x.data, xBase + c, channels, rowStride)];
        }
      }
    }
  }
  return y;
}

/**
 * Backward of {@link maxPool}: each dy goes to its block's maximum (the first one on ties);
 * the other three inputs get 0.
 *
 * Input shape: x [N, H, W, C], dy [N, H/2, W/2, C]. Output shape: dx [N, H, W, C].
 * @example
 * ```ts
 * const x = tensor([1, 2, 2, 1], [5, 5, 1, 2]); // a tie between the top two
 * const dx = maxPoolBackward(x, tensor([1, 1, 1, 1], [3])); // [3, 0, 0, 0]: top-left wins
 * ```
 */
export function maxPoolBackward(x: Tensor, dy: Tensor): Tensor {
  checkInput("maxPoolBackward", x);
  const [batch, height, width, channels] = x.shape;
  const outHeight = height / 2;
  const outWidth = width / 2;
  expectShape(`maxPoolBackward dy for x [${x.shape.join(", ")}]`, dy, [
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
          dx.data[argmaxOfBlock(x.data, xBase + c, channels, rowStride)] = dy.data[yBase + c];
        }
      }
    }
  }
  return dx;
}

/**
 * Second derivatives back through {@link maxPool}: each block's output is its maximum input
 * times 1, so d2y goes to that input unchanged (1² = 1), as the gradient does.
 *
 * Input shape: x [N, H, W, C], d2y [N, H/2, W/2, C]. Output shape: d2x, the same as x.
 * @example
 * ```ts
 * const d2x = maxPoolBackward2(tensor([1, 2, 2, 1], [1, 4, 3, 2]), tensor([1, 1, 1, 1], [7]));
 * // [0, 7, 0, 0]
 * ```
 */
export function maxPoolBackward2(x: Tensor, d2y: Tensor): Tensor {
  return maxPoolBackward(x, d2y); // a 0/1 routing: its square is itself
}
