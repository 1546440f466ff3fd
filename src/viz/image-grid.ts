/**
 * Grey-scale images as charts: one digit ({@link digitImage}) or a grid of them
 * ({@link imageGrid}), e.g. MNIST's raw 28×28 bytes or the paper's 32×32 input field
 * (Section II-B: background −0.1, ink 1.175), with optional captions (true label, prediction).
 *
 * Colours: the value domain runs from white (low, background) to black (high, ink), as the paper
 * prints digits. Default domain: the smallest and largest value of the images shown.
 * Input shape: one image [H, W], [H, W, 1] or [1, H, W, 1]; a batch [N, H, W, 1] or [N, H, W]
 * (NHWC, one channel). Output shape: a Chart.
 */
import {
  chart,
  composeFigure,
  expectPositiveInteger,
  type Chart,
  type ChartOptions,
} from "./chart";
import { extent, grayRamp, nonEmptyDomain, rampIndices, rampLegend } from "./color-ramp";
import { rasterGrid, type RasterPanel } from "./raster-grid";

/** Pixels and their shape, row-major (a scratch `Tensor`, an MNIST split's bytes, …). */
export interface ImageInput {
  /** [H, W], [H, W, 1], [N, H, W] or [N, H, W, 1] (NHWC, one channel). */
  readonly shape: readonly number[];
  /** The pixel values in row-major order; length = product of `shape`. */
  readonly data: ArrayLike<number>;
}

/** Options of {@link digitImage}. */
export interface DigitImageOptions extends ChartOptions {
  /** Text above the image (e.g. "label 7"). */
  readonly caption?: string;
  /** Values drawn white and black (default: the image's own extent). */
  readonly domain?: readonly [number, number];
}

/** Options of {@link imageGrid}. */
export interface ImageGridOptions extends ChartOptions {
  /** First image of the batch to show (default 0). */
  readonly start?: number;
  /** How many images to show (default: all, at most 32). */
  readonly count?: number;
  /** Images per row (default: up to 8). */
  readonly columns?: number;
  /** True classes of the whole batch (indexed like the batch). */
  readonly labels?: ArrayLike<number>;
  /** Predicted classes of the whole batch; a caption differing from its label turns red. */
  readonly predictions?: ArrayLike<number>;
  /** Captions of the images shown (override labels/predictions). */
  readonly captions?: readonly string[];
  /** Values drawn white and black (default: the extent of the images shown). */
  readonly domain?: readonly [number, number];
  /** Screen width of one image in px (default 72). */
  readonly imageSize?: number;
}

/** Default number of images {@link imageGrid} shows. */
export const IMAGE_GRID_DEFAULT_COUNT = 32;

/** Batch size, height and width of a one-channel image batch; throws on any other shape. */
export function batchShape(what: string, images: ImageInput): [number, number, number] {
  const { shape } = images;
  let dims: [number, number, number];
  if (shape.length === 4 && shape[3] === 1) dims = [shape[0], shape[1], shape[2]];
  else if (shape.length === 3 && shape[2] === 1) dims = [1, shape[0], shape[1]];
  else if (shape.length === 3) dims = [shape[0], shape[1], shape[2]];
  else if (shape.length === 2) dims = [1, shape[0], shape[1]];
  else
    throw new RangeError(
      `${what}: expected [N, H, W, 1], [N, H, W], [H, W, 1] or [H, W], got [${shape.join(", ")}]`,
    );
  dims.forEach((d) => expectPositiveInteger(`${what}: shape [${shape.join(", ")}]`, d));
  const size = dims[0] * dims[1] * dims[2];
  if (images.data.length !== size)
    throw new RangeError(
      `${what}: shape [${shape.join(", ")}] holds ${size} values, got ${images.data.length}`,
    );
  return dims;
}

/** The pixels of image `index` of a batch, as a view or copy. */
function imagePixels(images: ImageInput, index: number, size: number): ArrayLike<number> {
  const { data } = images;
  if (ArrayBuffer.isView(data) && "subarray" in data)
    return (data as Float32Array).subarray(index * size, (index + 1) * size);
  return Array.from({ length: size }, (_, k) => data[index * size + k]);
}

/**
 * One grey-scale image, with pixel axes (column, row).
 * @example
 * ```ts
 * const image = { shape: [2, 2], data: [0, 1, 1, 0] }; // a 2×2 checkerboard
 * const svg = renderSvg(digitImage(image, { caption: "label 0" }));
 * ```
 */
export function digitImage(image: ImageInput, options: DigitImageOptions = {}): Chart {
  const [count, height, width] = batchShape("digitImage", image);
  if (count !== 1) throw new RangeError(`digitImage: one image expected, got ${count}`);
  const domain = nonEmptyDomain(options.domain ?? extent([image.data]));
  const ramp = grayRamp(domain);
  const panel: RasterPanel = {
    indices: rampIndices(image.data, domain, height * width),
    caption: options.caption,
  };
  const imageSize = Math.max(80, (options.width ?? 300) - 56);
  return chart((document) =>
    composeFigure(document, {
      title: options.title ?? `Digit image (${height}×${width} pixels)`,
      subtitle: options.subtitle,
      theme: options.theme,
      legend: { kind: "plot", svg: rampLegend(document, ramp, "pixel value", 260) },
      bodies: [
        rasterGrid(document, {
          panels: [panel],
          height,
          width,
          columns: 1,
          ramp,
          panelSize: imageSize,
          xLabel: "column (pixels) →",
          yLabel: "row (pixels)",
          description: "digit",
        }),
      ],
    }),
  );
}

/** Captions from labels and predictions: "7", "pred 3" or "7 → 3" (flagged when wrong). */
function captionOf(
  index: number,
  options: ImageGridOptions,
): Pick<RasterPanel, "caption" | "flagged"> {
  const label = options.labels?.[index];
  const prediction = options.predictions?.[index];
  if (label !== undefined && prediction !== undefined)
    return { caption: `${label} → ${prediction}`, flagged: label !== prediction };
  if (label !== undefined) return { caption: String(label) };
  if (prediction !== undefined) return { caption: `pred ${prediction}` };
  return {};
}

/**
 * A grid of grey-scale images from a batch, with optional captions: the true label, the
 * prediction, or "label → prediction" (red when wrong).
 * @example
 * ```ts
 * const batch = { shape: [3, 2, 2, 1], data: new Float32Array(12).fill(0.5) };
 * const svg = renderSvg(imageGrid(batch, { labels: [1, 2, 3], predictions: [1, 2, 4] }));
 * ```
 */
export function imageGrid(images: ImageInput, options: ImageGridOptions = {}): Chart {
  const [total, height, width] = batchShape("imageGrid", images);
  const start = options.start ?? 0;
  const count = options.count ?? Math.min(total - start, IMAGE_GRID_DEFAULT_COUNT);
  if (!(Number.isInteger(start) && start >= 0 && Number.isInteger(count) && count > 0))
    throw new RangeError(`imageGrid: bad start ${start} or count ${count}`);
  if (start + count > total)
    throw new RangeError(
      `imageGrid: images ${start}…${start + count - 1} asked, batch has ${total}`,
    );
  if (options.captions && options.captions.length !== count)
    throw new RangeError(`imageGrid: ${count} images but ${options.captions.length} captions`);
  const size = height * width;
  const pixels = Array.from({ length: count }, (_, i) => imagePixels(images, start + i, size));
  const domain = nonEmptyDomain(options.domain ?? extent(pixels));
  const ramp = grayRamp(domain);
  const panels: RasterPanel[] = pixels.map((values, i) => ({
    indices: rampIndices(values, domain, size),
    ...(options.captions ? { caption: options.captions[i] } : captionOf(start + i, options)),
  }));
  const hasBoth = options.labels !== undefined && options.predictions !== undefined;
  return chart((document) =>
    composeFigure(document, {
      title: options.title ?? `${count} images (${height}×${width} pixels each)`,
      subtitle:
        options.subtitle ??
        (hasBoth && !options.captions
          ? "caption: true label → prediction (red: wrong)"
          : undefined),
      theme: options.theme,
      legend: { kind: "plot", svg: rampLegend(document, ramp, "pixel value", 260) },
      bodies: [
        rasterGrid(document, {
          panels,
          height,
          width,
          columns: options.columns ?? Math.min(count, 8),
          ramp,
          panelSize: options.imageSize ?? 72,
          xLabel: "column (pixels) →",
          yLabel: "row (pixels)",
          description: "digit",
        }),
      ],
    }),
  );
}
