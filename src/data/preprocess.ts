/**
 * Raw MNIST bytes → the network's input array.
 *
 * Paper (Section II-B): "The values of the input pixels are normalized so that the background
 * level (white) corresponds to a value of −0.1 and the foreground (black) corresponds to 1.175",
 * and the 28×28 digit sits centred in a 32×32 field, so the border is background.
 *   paper:  x = B·(1 − p/255) + F·(p/255),  B = INPUT_BACKGROUND, F = INPUT_FOREGROUND
 *           (MNIST's 0 is background, 255 full ink; linear in between — the paper gives only
 *           the two end levels, the linear ramp is lenet5's reading of it)
 *   modern: x = (p/255 − MNIST_MEAN) / MNIST_STD   (not from the paper; see MNIST_MEAN)
 *
 * Input shape: [count, 28, 28] raw bytes.  Output shape: [count, size, size, 1] (NHWC), size 28
 * or 32; at 32 the 2-pixel border holds the normalised background level, never a bare 0.
 */
import { INPUT_BACKGROUND, INPUT_FOREGROUND, INPUT_SIZE } from "../paper";

/** Side of an MNIST image: 28 pixels. */
export const MNIST_SIDE = 28;

/**
 * Mean of the MNIST training set's pixel values scaled to [0, 1] (all 60,000 × 784 pixels).
 * Not from the paper: the usual constant of modern MNIST pipelines (e.g. PyTorch's examples);
 * a test recomputes it from the training set.
 */
export const MNIST_MEAN = 0.1307;
/**
 * Standard deviation of the MNIST training set's pixel values scaled to [0, 1] (population std
 * over all pixels). Not from the paper; a test recomputes it from the training set.
 */
export const MNIST_STD = 0.3081;

/** How pixels become input values: the paper's −0.1…1.175 or the modern zero-mean, unit-std. */
export type Normalisation = "paper" | "modern";

/** Options of {@link toNetworkInput}. */
export interface NetworkInputOptions {
  /** Output side: 32 (the paper's input field, default) or 28 (no border). */
  readonly size?: 28 | 32;
  /** Pixel mapping; default "paper". */
  readonly normalisation?: Normalisation;
}

/**
 * The input value of one raw pixel (0 background … 255 ink).
 * @example
 * ```ts
 * normalisePixel(0, "paper"); // -0.1
 * normalisePixel(255, "paper"); // 1.175
 * ```
 */
export function normalisePixel(pixel: number, normalisation: Normalisation): number {
  const ink = pixel / 255;
  if (normalisation === "paper") {
    // Interpolating this way keeps both ends exact: 0 → B, 255 → F.
    return INPUT_BACKGROUND * (1 - ink) + INPUT_FOREGROUND * ink;
  }
  return (ink - MNIST_MEAN) / MNIST_STD;
}

/**
 * Converts raw images [count, 28, 28] to network input [count, size, size, 1] (NHWC,
 * Float32Array), centring each digit in a `size`×`size` background field.
 * @example
 * ```ts
 * const { images, count } = loadMnist({ split: "test" });
 * const inputs = toNetworkInput(images, count); // [10000, 32, 32, 1], paper levels
 * inputs[0]; // -0.1, a border pixel
 * ```
 */
export function toNetworkInput(
  images: Uint8Array,
  count: number,
  options: NetworkInputOptions = {},
): Float32Array {
  const size = options.size ?? INPUT_SIZE;
  const normalisation = options.normalisation ?? "paper";
  if (size !== 28 && size !== 32) {
    throw new RangeError(`toNetworkInput: size must be 28 or 32, got ${size}`);
  }
  const imageArea = MNIST_SIDE * MNIST_SIDE;
  if (!Number.isInteger(count) || count < 0 || images.length !== count * imageArea) {
    throw new RangeError(
      `toNetworkInput: ${count} images of 28×28 need ${count * imageArea} bytes, got ` +
        `${images.length} (pass images.subarray(0, count * 784) to convert the first count)`,
    );
  }
  const levels = new Float32Array(256); // one input value per possible byte
  for (let p = 0; p < 256; p++) levels[p] = normalisePixel(p, normalisation);

  const offset = (size - MNIST_SIDE) / 2; // 2 at size 32: the paper's centring
  const out = new Float32Array(count * size * size).fill(levels[0]); // [count, size, size, 1]
  for (let n = 0; n < count; n++) {
    const src = n * imageArea;
    const dst = n * size * size;
    for (let y = 0; y < MNIST_SIDE; y++) {
      const srcRow = src + y * MNIST_SIDE;
      const dstRow = dst + (y + offset) * size + offset;
      for (let x = 0; x < MNIST_SIDE; x++) out[dstRow + x] = levels[images[srcRow + x]];
    }
  }
  return out;
}
