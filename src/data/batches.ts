/**
 * Mini-batches built straight from typed arrays. The paper updates the weights after every
 * single example (stochastic gradient, Appendix B) over 20 passes of the training set
 * (Section III-B); lenet5 groups examples into mini-batches — a departure, batchSize 1 restores
 * the paper's one-example updates.
 *
 * Why typed arrays and not tf.slice: on the wasm backend slicing a large tensor copies the whole
 * source each time (~1 s per batch on 60,000 images), while copying B images out of a
 * Float32Array costs microseconds.
 *
 * Input shape: inputs [count, S, S, 1], labels [count].
 * Output shape (per batch): inputs [B, S, S, 1], labels [B], indices [B]; B = batchSize except a
 * smaller last batch (unless dropLast).
 */
import type { Rng } from "../rng";

/** A whole data set in network layout. */
export interface BatchSource {
  /** [count, imageSize, imageSize, 1] (NHWC). */
  readonly inputs: Float32Array;
  /** Class of each image, [count]. */
  readonly labels: Uint8Array;
  /** Number of images (and labels). */
  readonly count: number;
  /** Side S of each square single-channel image. */
  readonly imageSize: number;
}

/** One mini-batch; every array is a fresh copy the caller may keep or modify. */
export interface Batch {
  /** [B, S, S, 1] (NHWC). */
  readonly inputs: Float32Array;
  /** [B], int32 as tf.oneHot and sparse losses want. */
  readonly labels: Int32Array;
  /** [B], the position of each example in the source. */
  readonly indices: Int32Array;
}

/** Options of {@link batches}. */
export interface BatchOptions {
  /** Examples per batch (the last may be smaller). */
  readonly batchSize: number;
  /** Shuffle with this generator (one permutation per call of `batches`); in order without. */
  readonly rng?: Rng;
  /** Skip a last batch smaller than batchSize. Default false. */
  readonly dropLast?: boolean;
}

/**
 * Number of batches {@link batches} yields for `count` examples.
 * @example
 * ```ts
 * batchCount(10, 4); // 3 (4 + 4 + 2)
 * batchCount(10, 4, true); // 2
 * ```
 */
export function batchCount(count: number, batchSize: number, dropLast = false): number {
  return dropLast ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
}

/**
 * One epoch of mini-batches. With `rng`, the order is a permutation drawn from it when iteration
 * starts (same seed → same batches); without, examples come in order.
 * @example
 * ```ts
 * const data = {
 *   inputs: new Float32Array(10 * 32 * 32),
 *   labels: new Uint8Array(10),
 *   count: 10,
 *   imageSize: 32,
 * };
 * for (const batch of batches(data, { batchSize: 4, rng: new Rng(1) })) {
 *   console.log(batch.indices.length); // 4, 4, 2
 * }
 * ```
 */
export function* batches(data: BatchSource, options: BatchOptions): Generator<Batch> {
  const { inputs, labels, count, imageSize } = data;
  const { batchSize, rng, dropLast = false } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batches: batchSize must be a positive integer, got ${batchSize}`);
  }
  const pixelsPerImage = imageSize * imageSize; // one channel
  if (inputs.length !== count * pixelsPerImage) {
    throw new RangeError(
      `batches: inputs hold ${inputs.length} values, expected ${count}×${imageSize}×${imageSize}×1 = ${count * pixelsPerImage}`,
    );
  }
  if (labels.length !== count) {
    throw new RangeError(`batches: ${labels.length} labels for ${count} inputs`);
  }

  const order = rng ? rng.permutation(count) : null; // [count]
  const total = batchCount(count, batchSize, dropLast);
  for (let b = 0; b < total; b++) {
    const start = b * batchSize;
    const size = Math.min(batchSize, count - start);
    const batchInputs = new Float32Array(size * pixelsPerImage); // [B, S, S, 1]
    const batchLabels = new Int32Array(size); // [B]
    const indices = new Int32Array(size); // [B]
    for (let i = 0; i < size; i++) {
      const index = order ? order[start + i] : start + i;
      indices[i] = index;
      batchLabels[i] = labels[index];
      const from = index * pixelsPerImage;
      batchInputs.set(inputs.subarray(from, from + pixelsPerImage), i * pixelsPerImage);
    }
    yield { inputs: batchInputs, labels: batchLabels, indices };
  }
}
