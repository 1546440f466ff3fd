/**
 * Exercise check for notebook 02 (C1, Section II-B of the paper): the learner computes one
 * output value of a valid convolution and this function tries it.
 *
 *   y[0, oy, ox, co] = b[co] + Σ_{ky, kx, ci} x[0, oy + ky, ox + kx, ci] · k[ky, kx, ci, co]
 *
 * Input: the learner's function. Output: an {@link ExerciseResult}, printed. The reference is
 * the library's `scratch` conv2d; on a wrong answer the message names the usual slip. The check
 * never throws.
 */
import { Rng } from "../rng";
import { conv2d } from "../scratch/conv2d";
import { randomTensor } from "../scratch/gradcheck";
import type { Tensor } from "../scratch/tensor";
import { type ExerciseResult, exerciseResult, tryLearnerCode } from "./result";

/** What the learner writes in notebook 02: one output value y[0, oy, ox, co] of a valid conv. */
export type ConvPixelFunction = (
  x: Tensor,
  kernel: Tensor,
  bias: Tensor,
  oy: number,
  ox: number,
  co: number,
) => number;

/** How a wrong one-pixel computation may have gone: each variant is a usual slip. */
interface PixelVariant {
  readonly flip: boolean;
  readonly transpose: boolean;
  readonly withBias: boolean;
  readonly firstChannelOnly: boolean;
}

/** y[0, oy, ox, co] computed with the given slips (none: the right value). */
function pixelVariant(
  x: Tensor,
  kernel: Tensor,
  bias: Tensor,
  at: readonly [number, number, number],
  v: PixelVariant,
): number {
  const [, height, width, cin] = x.shape;
  const [kh, kw, , cout] = kernel.shape;
  const [oy, ox, co] = at;
  let sum = v.withBias ? bias.data[co] : 0;
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      const iy = v.transpose ? ox + kx : oy + ky;
      const ix = v.transpose ? oy + ky : ox + kx;
      if (iy >= height || ix >= width) continue;
      const ty = v.flip ? kh - 1 - ky : ky;
      const tx = v.flip ? kw - 1 - kx : kx;
      for (let ci = 0; ci < (v.firstChannelOnly ? 1 : cin); ci++) {
        sum +=
          x.data[(iy * width + ix) * cin + ci] *
          kernel.data[((ty * kw + tx) * cin + ci) * cout + co];
      }
    }
  }
  return sum;
}

const PIXEL_SLIPS: readonly [Partial<PixelVariant>, string][] = [
  [{ withBias: false }, "the bias b[co] is missing"],
  [
    { flip: true },
    "that flips the kernel (true convolution); LeNet-5, tfjs and PyTorch use cross-correlation: " +
      "x[oy + ky, ox + kx] · k[ky, kx]",
  ],
  [
    { transpose: true },
    "rows and columns are swapped: oy moves down the rows (height), ox along a row",
  ],
  [{ firstChannelOnly: true }, "only input channel 0 is summed; sum over every ci < Cin"],
];

/**
 * Checks the learner's one-output-value function against the library's `scratch.conv2d` on
 * random 2-channel 8×8 inputs with 3×3×2×3 kernels (corners and middle, every output map); a
 * wrong answer names the slip (missing bias, flipped kernel, rows/columns swapped, one channel).
 * @example
 * ```ts
 * const result = checkC1Pixel((x, kernel, bias, oy, ox, co) => {
 *   const [, , width, cin] = x.shape;
 *   const [kh, kw, , cout] = kernel.shape;
 *   let sum = bias.data[co];
 *   for (let ky = 0; ky < kh; ky++)
 *     for (let kx = 0; kx < kw; kx++)
 *       for (let ci = 0; ci < cin; ci++)
 *         sum += x.data[((oy + ky) * width + ox + kx) * cin + ci] * kernel.data[((ky * kw + kx) * cin + ci) * cout + co];
 *   return sum;
 * });
 * result.ok; // true — prints "✓ …"
 * ```
 */
export function checkC1Pixel(convPixel: ConvPixelFunction): ExerciseResult {
  const rng = new Rng(2024);
  const x = randomTensor(rng, [1, 8, 8, 2]); // [1, 8, 8, 2]
  const kernel = randomTensor(rng, [3, 3, 2, 3]); // [3, 3, 2, 3]
  const bias = randomTensor(rng, [3]); // [3]
  const y = conv2d(x, kernel, bias); // [1, 6, 6, 3]
  const positions: [number, number, number][] = [
    [0, 0, 0],
    [0, 5, 1],
    [5, 0, 2],
    [2, 3, 1],
    [5, 4, 0],
  ];
  const none: PixelVariant = {
    flip: false,
    transpose: false,
    withBias: true,
    firstChannelOnly: false,
  };
  for (const at of positions) {
    const [oy, ox, co] = at;
    const call = `convPixel(x, kernel, bias, ${oy}, ${ox}, ${co})`;
    // Copies, so a learner's function that writes into its arguments cannot spoil the check.
    const run = tryLearnerCode("convPixel", () =>
      convPixel(
        { shape: [...x.shape], data: x.data.slice() },
        { shape: [...kernel.shape], data: kernel.data.slice() },
        { shape: [...bias.shape], data: bias.data.slice() },
        oy,
        ox,
        co,
      ),
    );
    if (!run.ok) return exerciseResult(false, run.error);
    const value = run.value;
    if (typeof value !== "number" || Number.isNaN(value)) {
      return exerciseResult(false, `${call} returned ${String(value)}, not a number`);
    }
    const expected = y.data[(oy * 6 + ox) * 3 + co];
    if (Math.abs(value - expected) > 1e-9 * Math.max(1, Math.abs(expected))) {
      const close = (v: number): boolean => Math.abs(value - v) <= 1e-9 * Math.max(1, Math.abs(v));
      const slip = PIXEL_SLIPS.find(([change]) =>
        close(pixelVariant(x, kernel, bias, at, { ...none, ...change })),
      );
      const why =
        value === 0
          ? "still the starter: write the triple sum"
          : (slip?.[1] ??
            "y = b[co] + Σ_{ky, kx, ci} x[0, oy + ky, ox + kx, ci] · k[ky, kx, ci, co]");
      return exerciseResult(
        false,
        `${call} returned ${value.toFixed(6)}; scratch.conv2d gives ${expected.toFixed(6)} — ${why}`,
      );
    }
  }
  return exerciseResult(
    true,
    `all ${positions.length} output values match scratch.conv2d (x [1, 8, 8, 2], kernel [3, 3, 2, 3]): ` +
      "cross-correlation plus bias, NHWC",
  );
}
