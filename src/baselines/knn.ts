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

/**
 * Squared Euclidean distance between image `a` of `as` and image `b` of `bs`: the definition,
 * against which the search's faster identity is tested.
 * @example
 * ```ts
 * squaredDistance(Uint8Array.of(0, 0, 3, 4), 0, Uint8Array.of(0, 0, 3, 4), 1, 2); // 25
 * ```
 */
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
 *
 * The search uses ‖q − t‖² = ‖q‖² + ‖t‖² − 2 q·t, the same number as {@link squaredDistance}
 * (exactly, for byte pixels): ‖t‖² is computed once per training image, and q·t needs only the
 * query's ink pixels, about a fifth of an MNIST digit, so each comparison costs a fifth of the
 * definition's. Equal distances keep the earlier training image first.
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
  // One typed copy of the training images: the inner loop then reads a single array type (fast in V8).
  const train = Float32Array.from({ length: trainCount * pixels }, (_, i) => trainImages[i]);
  const blank = new Float32Array(pixels);
  const trainNorms = new Float64Array(trainCount); // ‖t‖², t's distance to a blank image
  for (let t = 0; t < trainCount; t++) trainNorms[t] = squaredDistance(train, t, blank, 0, pixels);
  const inkAt = new Int32Array(pixels); // the query's non-zero pixels: where, and how dark
  const ink = new Float64Array(pixels);
  const predicted = new Uint8Array(queryCount);
  for (let q = 0; q < queryCount; q++) {
    let inkCount = 0;
    let queryNorm = 0;
    for (let p = 0; p < pixels; p++) {
      const value = queryImages[q * pixels + p];
      if (value === 0) continue;
      inkAt[inkCount] = p;
      ink[inkCount++] = value;
      queryNorm += value * value;
    }
    // The k nearest so far, nearest first: insertion into a short sorted list.
    const best: { index: number; distance: number }[] = [];
    for (let t = 0; t < trainCount; t++) {
      const offset = t * pixels;
      let dot = 0;
      for (let i = 0; i < inkCount; i++) dot += ink[i] * train[offset + inkAt[i]];
      const distance = queryNorm + trainNorms[t] - 2 * dot;
      if (best.length === k && distance >= best[k - 1].distance) continue;
      let at = best.length;
      while (at > 0 && best[at - 1].distance > distance) at--;
      best.splice(at, 0, { index: t, distance });
      if (best.length > k) best.pop();
    }
    predicted[q] = vote(
      best.map((b) => b.index),
      trainLabels,
    );
  }
  return predicted;
}
