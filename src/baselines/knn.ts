/**
 * The paper's baseline nearest-neighbour classifier (Section III-C.2, Fig. 9's "K-NN
 * Euclidean" row): a test image takes the majority label of the k training images nearest to it
 * in plain Euclidean distance between pixel vectors. No training, "no brain on the part of the
 * designer", but every training image must be kept and compared at run time. lenet5 runs it on
 * a subset so that a chapter can compute it in seconds.
 *
 * Input: MNIST images as bytes [count, 28·28] row-major; labels 0–9.
 * Output: the predicted digit of each query image.
 */

/** How {@link nearestNeighbourPredict} votes. */
export interface NearestNeighbourOptions {
  /** Neighbours that vote (default 3, as the paper's deslanted run); ties go to the nearer. */
  readonly k?: number;
}

/** Squared Euclidean distance between image `a` of `as` and image `b` of `bs`. */
export function squaredDistance(
  as: ArrayLike<number>,
  a: number,
  bs: ArrayLike<number>,
  b: number,
  pixels: number,
): number {
  let sum = 0;
  const offsetA = a * pixels;
  const offsetB = b * pixels;
  for (let p = 0; p < pixels; p++) {
    const d = as[offsetA + p] - bs[offsetB + p];
    sum += d * d;
  }
  return sum;
}

/** The k nearest training indices to query `q`, nearest first. */
function nearest(
  train: Float32Array,
  trainCount: number,
  queries: Float32Array,
  q: number,
  pixels: number,
  k: number,
): number[] {
  const best: { index: number; distance: number }[] = [];
  for (let t = 0; t < trainCount; t++) {
    const distance = squaredDistance(queries, q, train, t, pixels);
    if (best.length === k && distance >= best[k - 1].distance) continue;
    let at = best.length;
    while (at > 0 && best[at - 1].distance > distance) at--;
    best.splice(at, 0, { index: t, distance });
    if (best.length > k) best.pop();
  }
  return best.map((b) => b.index);
}

/** The label with most votes among `neighbours` (nearest first); a tie goes to the nearest one's. */
function vote(neighbours: readonly number[], labels: ArrayLike<number>): number {
  const votes = new Map<number, number>();
  for (const n of neighbours) votes.set(labels[n], (votes.get(labels[n]) ?? 0) + 1);
  const most = Math.max(...votes.values());
  return labels[neighbours.find((n) => votes.get(labels[n]) === most) ?? neighbours[0]];
}

/**
 * Predicts each of the first `queryCount` query images by the majority of its k nearest
 * neighbours among the first `trainCount` training images.
 * @example
 * ```ts
 * const predicted = nearestNeighbourPredict(train.images, train.labels, 5000, test.images, 500);
 * errorRate(predicted, test.labels.subarray(0, 500));
 * ```
 */
export function nearestNeighbourPredict(
  trainImages: ArrayLike<number>,
  trainLabels: ArrayLike<number>,
  trainCount: number,
  queryImages: ArrayLike<number>,
  queryCount: number,
  options: NearestNeighbourOptions = {},
): Uint8Array {
  const { k = 3 } = options;
  const pixels = trainImages.length / trainLabels.length;
  if (
    !Number.isInteger(pixels) ||
    trainCount > trainLabels.length ||
    queryCount * pixels > queryImages.length
  )
    throw new Error(
      `nearestNeighbourPredict: ${trainCount} training or ${queryCount} query images are more than given`,
    );
  if (!(k >= 1 && k <= trainCount))
    throw new Error(`nearestNeighbourPredict: k must be 1 … ${trainCount}, got ${k}`);
  // One typed copy of each: the distance loop then reads a single array type (fast in V8).
  const train = Float32Array.from({ length: trainCount * pixels }, (_, i) => trainImages[i]);
  const queries = Float32Array.from({ length: queryCount * pixels }, (_, i) => queryImages[i]);
  const predicted = new Uint8Array(queryCount);
  for (let q = 0; q < queryCount; q++)
    predicted[q] = vote(nearest(train, trainCount, queries, q, pixels, k), trainLabels);
  return predicted;
}
