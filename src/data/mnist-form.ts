/**
 * A gray picture of one digit → the 28×28 form the models were trained on: MNIST's own
 * preparation of a digit, redone. Pure arithmetic on arrays, so the browser (the site's
 * playground, which draws on a canvas) and Node (`predict`, via image-file.ts) share it.
 *
 * MNIST's preparation (the MNIST page; the paper, Section III-A, describes the set): each NIST
 * digit's bounding box was scaled to fit a 20×20 box preserving its aspect ratio, anti-aliased
 * into gray levels, then placed in a 28×28 field so its centre of mass sits at the centre.
 * Here, step by step (gray levels 0 black … 1 white; image-file.ts turns files into them):
 *   1. polarity: MNIST stores ink light (255) on a dark (0) background. The background is taken
 *      to be what fills the image's one-pixel border: if the border's median gray is above the
 *      image's mean, the background is the light part and the digit is "dark-on-light" (ink on
 *      paper), otherwise "light-on-dark"; a uniform image counts as dark-on-light when light.
 *   2. ink = how far each pixel is from the border's median towards the ink side, stretched so
 *      the strongest ink is 1; ink below INK_THRESHOLD (noise, paper grain) counts as none.
 *   3. the ink's bounding box is scaled so its longer side is 20 pixels (area averaging when
 *      shrinking, bilinear when enlarging), then stretched again so its strongest pixel is 255.
 *   4. the 20-box is placed in 28×28 at the whole-pixel offset that brings its centre of mass
 *      nearest to pixel (14, 14), kept inside the field.
 * Assumptions: one digit per picture, on a fairly even background. Pixel (14, 14) is MNIST's own
 * convention: the training images' centre of mass averages (x, y) = (14.007, 13.996) in pixel
 * indices (measured over all 60,000).
 *
 * Input shape: gray levels [height, width], any size, either polarity.
 * Output shape: `imageToMnist` → Uint8Array [28, 28] (0 background, 255 ink), ready for
 * `toNetworkInput(digit, 1, { size, normalisation })`.
 */
import { MNIST_SIDE } from "./preprocess";

/** Side of the box MNIST scales each digit's bounding box into: 20 pixels. */
export const MNIST_BOX = 20;
/** Pixel index (row and column) where MNIST puts a digit's centre of mass: 14. */
export const MNIST_CENTRE = 14;
/** Ink (0…1, after stretching) below which a pixel counts as background noise. */
export const INK_THRESHOLD = 0.1;

/**
 * Smallest side, in pixels, of a picture a digit is read from: 8. Not MNIST's: below it there is
 * no room for a stroke to have a shape (MNIST's digits are 20 pixels tall).
 */
export const MIN_DIGIT_SIDE = 8;

/** Which way round a picture is: MNIST itself is "light-on-dark". */
export type Polarity = "dark-on-light" | "light-on-dark";

/** Median of the one-pixel border of a width×height gray image. */
function borderMedian(gray: ArrayLike<number>, width: number, height: number): number {
  const border: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (y === 0 || y === height - 1 || x === 0 || x === width - 1)
        border.push(gray[y * width + x]);
    }
  }
  border.sort((a, b) => a - b);
  const middle = border.length >> 1;
  return border.length % 2 === 1 ? border[middle] : (border[middle - 1] + border[middle]) / 2;
}

/**
 * Which way round a gray picture is: "dark-on-light" when its border (taken as background) is
 * lighter than the picture's mean, "light-on-dark" (MNIST's way) when darker; a uniform picture
 * is "dark-on-light" when light.
 * @example
 * ```ts
 * const page = new Float32Array(9).fill(1);
 * page[4] = 0; // one black pixel on white
 * detectPolarity(page, 3, 3); // "dark-on-light"
 * ```
 */
export function detectPolarity(gray: ArrayLike<number>, width: number, height: number): Polarity {
  checkSize(gray, width, height, "detectPolarity");
  const background = borderMedian(gray, width, height);
  let sum = 0;
  for (let i = 0; i < width * height; i++) sum += gray[i];
  const mean = sum / (width * height);
  if (Math.abs(background - mean) > 1e-6)
    return background > mean ? "dark-on-light" : "light-on-dark";
  return background >= 0.5 ? "dark-on-light" : "light-on-dark";
}

/** Why a picture holds no digit to read: too small, uniform, or nothing stands out. */
export interface DigitWarning {
  /** For programs: "too-small", "uniform" (one gray level) or "no-ink" (nothing stands out). */
  readonly kind: "too-small" | "uniform" | "no-ink";
  /** For people: what is wrong, starting with "the picture". */
  readonly message: string;
}

/**
 * Why `gray` cannot be read as a digit, or null when it can: a picture smaller than
 * {@link MIN_DIGIT_SIDE} on a side, one of a single gray level (blank white, black, any flat
 * colour), or one where nothing stands out from the background. A model given such a picture
 * still answers — often "1" at 99.9% — so callers show this instead of a confident answer.
 * @example
 * ```ts
 * digitWarning(new Float32Array(28 * 28).fill(1), 28, 28)?.kind; // "uniform": a white page
 * ```
 */
export function digitWarning(
  gray: ArrayLike<number>,
  width: number,
  height: number,
  options: MnistFormOptions = {},
): DigitWarning | null {
  checkSize(gray, width, height, "digitWarning");
  if (width < MIN_DIGIT_SIDE || height < MIN_DIGIT_SIDE) {
    return {
      kind: "too-small",
      message: `the picture is only ${width}×${height} pixels; a digit needs at least ${MIN_DIGIT_SIDE}×${MIN_DIGIT_SIDE}`,
    };
  }
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < width * height; i++) {
    low = Math.min(low, gray[i]);
    high = Math.max(high, gray[i]);
  }
  if (!(high - low > 1e-6)) {
    return {
      kind: "uniform",
      message: "the picture is uniform (a single gray level): no digit to read",
    };
  }
  const polarity = options.polarity ?? detectPolarity(gray, width, height);
  if (!inkMap(gray, width, height, polarity).some((v) => v > 0)) {
    return {
      kind: "no-ink",
      message: "nothing in the picture stands out from its background: no digit to read",
    };
  }
  return null;
}

/** Options of {@link imageToMnist}. */
export interface MnistFormOptions {
  /** The picture's polarity if known (e.g. from readImageFile); detected otherwise. */
  readonly polarity?: Polarity;
}

/**
 * Brings a gray picture of one digit to MNIST's form: ink only, bounding box scaled into 20×20
 * preserving aspect ratio (anti-aliased), centred by centre of mass in 28×28, 0 background and
 * 255 ink (see the header for each step). A picture with no ink gives 784 zeros.
 * @example
 * ```ts
 * // A black vertical bar ("1") on a white 100×60 canvas …
 * const canvas = new Float32Array(100 * 60).fill(1);
 * for (let y = 10; y < 50; y++) for (let x = 48; x < 52; x++) canvas[y * 100 + x] = 0;
 * const digit = imageToMnist(canvas, 100, 60); // … becomes a 2×20 bar of 255s in rows 5–24
 * ```
 */
export function imageToMnist(
  gray: ArrayLike<number>,
  width: number,
  height: number,
  options: MnistFormOptions = {},
): Uint8Array {
  checkSize(gray, width, height, "imageToMnist");
  const polarity = options.polarity ?? detectPolarity(gray, width, height);
  const ink = inkMap(gray, width, height, polarity); // [h, w], 0…1
  const out = new Uint8Array(MNIST_SIDE * MNIST_SIDE); // [28, 28]

  let x0 = width;
  let x1 = -1;
  let y0 = height;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] > 0) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  if (x1 < 0) return out; // no ink at all
  const boxWidth = x1 - x0 + 1;
  const boxHeight = y1 - y0 + 1;
  const factor = MNIST_BOX / Math.max(boxWidth, boxHeight);
  const outWidth = clamp(Math.round(boxWidth * factor), 1, MNIST_BOX);
  const outHeight = clamp(Math.round(boxHeight * factor), 1, MNIST_BOX);

  const crop = new Float32Array(boxWidth * boxHeight); // [boxHeight, boxWidth]
  for (let y = 0; y < boxHeight; y++) {
    for (let x = 0; x < boxWidth; x++) crop[y * boxWidth + x] = ink[(y0 + y) * width + x0 + x];
  }
  const box = resample(crop, boxWidth, boxHeight, outWidth, outHeight); // [outHeight, outWidth]

  let peak = 0;
  let mass = 0;
  let massX = 0;
  let massY = 0;
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      const v = box[y * outWidth + x];
      peak = Math.max(peak, v);
      mass += v;
      massX += v * x;
      massY += v * y;
    }
  }
  if (peak === 0) return out;
  const offsetX = clamp(Math.round(MNIST_CENTRE - massX / mass), 0, MNIST_SIDE - outWidth);
  const offsetY = clamp(Math.round(MNIST_CENTRE - massY / mass), 0, MNIST_SIDE - outHeight);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      // Stretch so the strongest ink is 255: MNIST digits are full contrast.
      const level = Math.round((255 * box[y * outWidth + x]) / peak);
      out[(offsetY + y) * MNIST_SIDE + offsetX + x] = level;
    }
  }
  return out;
}

/**
 * Ink per pixel, 0…1: distance from the border's median gray towards the ink side, stretched so
 * the strongest ink is 1, with values under INK_THRESHOLD set to 0.
 */
function inkMap(
  gray: ArrayLike<number>,
  width: number,
  height: number,
  polarity: Polarity,
): Float32Array {
  const pixels = width * height;
  const raw = new Float32Array(pixels); // [h, w]: ink before stretching
  for (let i = 0; i < pixels; i++) raw[i] = polarity === "dark-on-light" ? 1 - gray[i] : gray[i];
  const background = borderMedian(raw, width, height);
  let peak = -Infinity;
  for (let i = 0; i < pixels; i++) peak = Math.max(peak, raw[i]);
  const ink = new Float32Array(pixels); // [h, w]
  const range = peak - background;
  if (!(range > 1e-6)) return ink; // nothing stands out from the background
  for (let i = 0; i < pixels; i++) {
    const v = (raw[i] - background) / range;
    ink[i] = v >= INK_THRESHOLD ? Math.min(v, 1) : 0;
  }
  return ink;
}

/**
 * Resampling weights along one axis from `sizeIn` to `sizeOut` samples: the source indices and
 * weights of each output sample (area averaging when shrinking, bilinear when enlarging).
 */
function axisWeights(sizeIn: number, sizeOut: number): { index: number[]; weight: number[] }[] {
  const result: { index: number[]; weight: number[] }[] = [];
  const ratio = sizeIn / sizeOut;
  for (let j = 0; j < sizeOut; j++) {
    const index: number[] = [];
    const weight: number[] = [];
    if (sizeOut < sizeIn) {
      // Output pixel j covers source [j·ratio, (j+1)·ratio): weight = overlap / ratio.
      const start = j * ratio;
      const end = (j + 1) * ratio;
      for (let i = Math.floor(start); i < Math.ceil(end) && i < sizeIn; i++) {
        const overlap = Math.min(end, i + 1) - Math.max(start, i);
        if (overlap > 0) {
          index.push(i);
          weight.push(overlap / ratio);
        }
      }
    } else {
      // Pixel centres aligned: output j sits at source (j + ½)·ratio − ½, clamped to the image.
      const at = clamp((j + 0.5) * ratio - 0.5, 0, sizeIn - 1);
      const i0 = Math.floor(at);
      const f = at - i0;
      index.push(i0);
      weight.push(1 - f);
      if (f > 0) {
        index.push(i0 + 1);
        weight.push(f);
      }
    }
    result.push({ index, weight });
  }
  return result;
}

/** Separable resampling of a [heightIn, widthIn] image to [heightOut, widthOut]. */
function resample(
  image: Float32Array,
  widthIn: number,
  heightIn: number,
  widthOut: number,
  heightOut: number,
): Float32Array {
  const across = axisWeights(widthIn, widthOut);
  const down = axisWeights(heightIn, heightOut);
  const rows = new Float32Array(heightIn * widthOut); // [heightIn, widthOut]
  for (let y = 0; y < heightIn; y++) {
    for (let x = 0; x < widthOut; x++) {
      const { index, weight } = across[x];
      let v = 0;
      for (let k = 0; k < index.length; k++) v += weight[k] * image[y * widthIn + index[k]];
      rows[y * widthOut + x] = v;
    }
  }
  const out = new Float32Array(heightOut * widthOut); // [heightOut, widthOut]
  for (let y = 0; y < heightOut; y++) {
    const { index, weight } = down[y];
    for (let x = 0; x < widthOut; x++) {
      let v = 0;
      for (let k = 0; k < index.length; k++) v += weight[k] * rows[index[k] * widthOut + x];
      out[y * widthOut + x] = v;
    }
  }
  return out;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function checkSize(gray: ArrayLike<number>, width: number, height: number, caller: string): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`${caller}: bad size ${width}×${height}`);
  }
  if (gray.length !== width * height) {
    throw new RangeError(
      `${caller}: ${width}×${height} needs ${width * height} values, got ${gray.length}`,
    );
  }
}
