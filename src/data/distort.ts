/**
 * Random planar affine distortions of training images, the augmentation behind the paper's best
 * LeNet-5 result (Section III-B): 540,000 artificially distorted copies of the training digits,
 * combinations of planar affine transformations — horizontal and vertical translation, scaling,
 * squeezing (horizontal compression with vertical elongation, or the reverse) and horizontal
 * shearing — took the test error from 0.95% to 0.8%.
 *
 * Each image gets its own transform about the image centre c = ((S−1)/2, (S−1)/2):
 *
 *   A = [ s·q   0  ] · [ 1  h ]        s = 1 + scale,  q = 1 + squeeze,  h = shear
 *       [  0  s/q  ]   [ 0  1 ]
 *   out(p) = in( c + A⁻¹ (p − c − t) )   t = (tx, ty) translation in pixels
 *
 * so a point p_in of the source lands at c + A (p_in − c) + t. Samples are bilinear; a source
 * point off the image reads the `background` level (the normalised value of a blank pixel:
 * −0.1 for the paper's input). Squeezing keeps the area (s·q · s/q = s²).
 *
 * Input shape / Output shape: [N, S, S, 1] Float32Array (NHWC), changed in place.
 * Departure from the paper: the paper gives no ranges for the parameters; the defaults here
 * (translate ±2 px, scale ±10%, squeeze ±10%, shear ±0.15) are lenet5's modest choice. The paper
 * also generated its 540,000 distorted images once, beforehand; lenet5 distorts every batch afresh.
 */
import { INPUT_BACKGROUND } from "../paper";
import type { Rng } from "../rng";

/** Ranges of the random distortion: each parameter is drawn uniformly in [−max, +max]. */
export interface DistortionOptions {
  /** Largest horizontal and vertical translation, in pixels (default 2). */
  readonly maxTranslate?: number;
  /** Largest relative change of size: s = 1 + U(−maxScale, maxScale) (default 0.1). */
  readonly maxScale?: number;
  /** Largest squeeze: x scaled by 1 + u, y by 1/(1 + u), u in ±maxSqueeze (default 0.1). */
  readonly maxSqueeze?: number;
  /** Largest horizontal shear: x moves by shear·(y − centre) (default 0.15). */
  readonly maxShear?: number;
  /** Value read for points that fall outside the source image (default INPUT_BACKGROUND = −0.1, the paper's white). */
  readonly background?: number;
}

/** The parameters of one image's affine distortion. */
export interface DistortionParams {
  /** Horizontal shift in pixels (positive: to the right). */
  readonly translateX: number;
  /** Vertical shift in pixels (positive: down). */
  readonly translateY: number;
  /** Relative size change: the image is scaled by 1 + scale. */
  readonly scale: number;
  /** Squeeze: x scaled by 1 + squeeze, y by 1 / (1 + squeeze). */
  readonly squeeze: number;
  /** Horizontal shear: x moves by shear·(y − centre). */
  readonly shear: number;
}

/** lenet5's default ranges (the paper gives none; see the file header). */
export const DEFAULT_DISTORTION: Readonly<Required<Omit<DistortionOptions, "background">>> = {
  maxTranslate: 2,
  maxScale: 0.1,
  maxSqueeze: 0.1,
  maxShear: 0.15,
};

/** The parameters that leave an image unchanged. */
export const IDENTITY_DISTORTION: DistortionParams = {
  translateX: 0,
  translateY: 0,
  scale: 0,
  squeeze: 0,
  shear: 0,
};

/** The training loop's augmentation hook: changes `count` images of `size`×`size` in place. */
export type DistortHook = (images: Float32Array, count: number, size: number, rng: Rng) => void;

/**
 * Draws one image's distortion parameters from `rng`, always five draws in the order
 * translateX, translateY, scale, squeeze, shear (so equal states give equal parameters).
 * @example
 * ```ts
 * const params = randomDistortion(new Rng(1)); // e.g. { translateX: 0.83, …, shear: -0.04 }
 * ```
 */
export function randomDistortion(rng: Rng, options: DistortionOptions = {}): DistortionParams {
  const range = { ...DEFAULT_DISTORTION, ...withoutUndefined(options) };
  for (const [name, value] of Object.entries(range)) {
    if (name !== "background" && !(value >= 0 && Number.isFinite(value))) {
      throw new RangeError(`randomDistortion: ${name} must be a finite number ≥ 0, got ${value}`);
    }
  }
  if (range.maxScale >= 1 || range.maxSqueeze >= 1) {
    throw new RangeError("randomDistortion: maxScale and maxSqueeze must be below 1");
  }
  const symmetric = (max: number) => rng.uniform(-max, max);
  return {
    translateX: symmetric(range.maxTranslate),
    translateY: symmetric(range.maxTranslate),
    scale: symmetric(range.maxScale),
    squeeze: symmetric(range.maxSqueeze),
    shear: symmetric(range.maxShear),
  };
}

/**
 * The inverse of A (see the file header) as [a, b, c, d] for [[a, b], [c, d]]: it maps an output
 * offset from the centre back to the source.
 */
function inverseMatrix(params: DistortionParams): [number, number, number, number] {
  const s = 1 + params.scale;
  const q = 1 + params.squeeze;
  const sx = s * q;
  const sy = s / q;
  const h = params.shear;
  // A = [[sx, sx·h], [0, sy]]  ⇒  A⁻¹ = [[1/sx, −h/sy], [0, 1/sy]]
  return [1 / sx, -h / sy, 0, 1 / sy];
}

/**
 * Warps one `size`×`size` image with the given parameters into `target` (bilinear sampling,
 * `background` off the source). `source` and `target` must be different arrays.
 * @example
 * ```ts
 * const source = new Float32Array(9).fill(-0.1);
 * source[4] = 1; // centre of a 3×3 image
 * const target = new Float32Array(9);
 * warpImage(source, target, 3, { ...IDENTITY_DISTORTION, translateX: 1 }, -0.1);
 * target[5]; // 1: the dot moved one pixel right
 * ```
 */
export function warpImage(
  source: ArrayLike<number>,
  target: Float32Array,
  size: number,
  params: DistortionParams,
  background: number,
): void {
  if (source.length < size * size || target.length < size * size) {
    throw new RangeError(`warpImage: both images need ${size * size} values`);
  }
  const [a, b, c, d] = inverseMatrix(params);
  const centre = (size - 1) / 2;
  const pixel = (x: number, y: number) =>
    x >= 0 && x < size && y >= 0 && y < size ? source[y * size + x] : background;
  for (let y = 0; y < size; y++) {
    const dy = y - centre - params.translateY;
    for (let x = 0; x < size; x++) {
      const dx = x - centre - params.translateX;
      const sourceX = centre + a * dx + b * dy;
      const sourceY = centre + c * dx + d * dy;
      const x0 = Math.floor(sourceX);
      const y0 = Math.floor(sourceY);
      const fx = sourceX - x0;
      const fy = sourceY - y0;
      // A zero weight skips its neighbour, so an integer position copies the pixel exactly.
      let value = (1 - fx) * (1 - fy) * pixel(x0, y0);
      if (fx > 0) value += fx * (1 - fy) * pixel(x0 + 1, y0);
      if (fy > 0) value += (1 - fx) * fy * pixel(x0, y0 + 1);
      if (fx > 0 && fy > 0) value += fx * fy * pixel(x0 + 1, y0 + 1);
      target[y * size + x] = value;
    }
  }
}

/**
 * Distorts `count` images [count, size, size, 1] IN PLACE, each with its own random affine
 * transform drawn from `rng` (five draws per image, image 0 first): the same Rng state gives the
 * same output. Returns nothing; `images` holds the result.
 * @example
 * ```ts
 * const inputs = toNetworkInput(images, count); // [count, 32, 32, 1], paper levels
 * distortBatch(inputs, count, 32, new Rng(7), { background: -0.1 });
 * ```
 */
export function distortBatch(
  images: Float32Array,
  count: number,
  size: number,
  rng: Rng,
  options: DistortionOptions = {},
): void {
  const area = size * size;
  if (!Number.isInteger(size) || size < 1 || !Number.isInteger(count) || count < 0) {
    throw new RangeError(`distortBatch: bad count ${count} or size ${size}`);
  }
  if (images.length < count * area) {
    throw new RangeError(
      `distortBatch: ${count} images of ${size}×${size} need ${count * area} values, got ${images.length}`,
    );
  }
  const background = options.background ?? INPUT_BACKGROUND;
  const source = new Float32Array(area); // one image's copy: the warp reads it while writing back
  for (let n = 0; n < count; n++) {
    const image = images.subarray(n * area, (n + 1) * area);
    source.set(image);
    warpImage(source, image, size, randomDistortion(rng, options), background);
  }
}

/**
 * The paper's augmentation as a training-loop hook: {@link distortBatch} with lenet5's default
 * ranges (or `options`) and the given background level — pass the normalised value of a blank
 * pixel for the model's input (−0.1 for "paper", `normalisePixel(0, "modern")` for "modern").
 * @example
 * ```ts
 * const distort = paperDistortion(normalisePixel(0, "paper")); // background −0.1
 * distort(inputs, count, 32, new Rng(7)); // in place
 * ```
 */
export function paperDistortion(
  background: number,
  options: Omit<DistortionOptions, "background"> = {},
): DistortHook {
  return (images, count, size, rng) =>
    distortBatch(images, count, size, rng, { ...options, background });
}

/** `options` without keys whose value is undefined, so spreading it keeps the defaults. */
function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
