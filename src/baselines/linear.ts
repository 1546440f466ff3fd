/**
 * The simplest classifier of the paper's comparison (Section III-C.1, Fig. 9's "Linear" row):
 * each pixel contributes to a weighted sum for each of the ten output units, and the unit with
 * the highest sum, bias included, names the digit. lenet5 trains it here with softmax
 * cross-entropy and plain minibatch SGD in a few seconds, as a baseline a chapter computes
 * itself beside the paper's numbers. The paper notes that sigmoid or linear units, gradient
 * descent or solving the linear system directly "gave similar results".
 *
 * Input: MNIST images as bytes (0 white … 255 ink), [count, 28·28] row-major; labels 0–9.
 * Output: a {@link LinearClassifier}, weights [pixels, 10] and biases [10].
 */
import { Rng } from "../rng";

/** A trained linear classifier: scores = x · weights + bias, x the pixels scaled to [0, 1]. */
export interface LinearClassifier {
  /** Pixels per image (784 for MNIST). */
  readonly pixels: number;
  /** Weights [pixels, 10], row-major: weights[p·10 + c] links pixel p to class c. */
  readonly weights: Float32Array;
  /** One bias per class [10]. */
  readonly bias: Float32Array;
}

/** How {@link trainLinearClassifier} trains. */
export interface LinearClassifierOptions {
  /** Passes through the training images (default 1). */
  readonly epochs?: number;
  /** SGD step size on the batch-averaged loss (default 0.5). */
  readonly learningRate?: number;
  /** Images per update (default 32). */
  readonly batchSize?: number;
  /** Seed of the shuffling (default 1); the weights start at 0. */
  readonly seed?: number;
}

const CLASSES = 10;

/** Softmax of one image's scores, in place. */
function softmaxInPlace(scores: Float64Array): void {
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s);
  let sum = 0;
  for (let c = 0; c < CLASSES; c++) {
    scores[c] = Math.exp(scores[c] - max);
    sum += scores[c];
  }
  for (let c = 0; c < CLASSES; c++) scores[c] /= sum;
}

/** The ten scores x · W + b of image `n`, pixels scaled to [0, 1]. */
function scoresOf(
  classifier: LinearClassifier,
  images: ArrayLike<number>,
  n: number,
  out: Float64Array,
): Float64Array {
  const { pixels, weights, bias } = classifier;
  for (let c = 0; c < CLASSES; c++) out[c] = bias[c];
  const offset = n * pixels;
  for (let p = 0; p < pixels; p++) {
    const x = images[offset + p] / 255;
    if (x === 0) continue; // most MNIST pixels are background: skip their zero products
    const row = p * CLASSES;
    for (let c = 0; c < CLASSES; c++) out[c] += x * weights[row + c];
  }
  return out;
}

/**
 * Trains a linear classifier on the first `count` images with softmax cross-entropy and SGD.
 * @example
 * ```ts
 * const train = loadMnist({ split: "train" });
 * const linear = trainLinearClassifier(train.images, train.labels, 60000, { epochs: 1 });
 * const predicted = linearPredict(linear, test.images, 10000);
 * ```
 */
export function trainLinearClassifier(
  images: ArrayLike<number>,
  labels: ArrayLike<number>,
  count: number,
  options: LinearClassifierOptions = {},
): LinearClassifier {
  const { epochs = 1, learningRate = 0.5, batchSize = 32, seed = 1 } = options;
  const pixels = images.length / labels.length;
  if (!Number.isInteger(pixels) || count > labels.length || count < 1)
    throw new Error(
      `trainLinearClassifier: ${images.length} pixels and ${labels.length} labels do not make ${count} images`,
    );
  const classifier: LinearClassifier = {
    pixels,
    weights: new Float32Array(pixels * CLASSES),
    bias: new Float32Array(CLASSES),
  };
  const rng = new Rng(seed);
  const gradWeights = new Float64Array(pixels * CLASSES);
  const gradBias = new Float64Array(CLASSES);
  const probabilities = new Float64Array(CLASSES);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = rng.permutation(count);
    for (let start = 0; start < count; start += batchSize) {
      const end = Math.min(count, start + batchSize);
      gradWeights.fill(0);
      gradBias.fill(0);
      for (let i = start; i < end; i++) {
        const n = order[i];
        softmaxInPlace(scoresOf(classifier, images, n, probabilities));
        probabilities[labels[n]] -= 1; // ∂L/∂score = p − one-hot
        const offset = n * pixels;
        for (let p = 0; p < pixels; p++) {
          const x = images[offset + p] / 255;
          if (x === 0) continue;
          const row = p * CLASSES;
          for (let c = 0; c < CLASSES; c++) gradWeights[row + c] += x * probabilities[c];
        }
        for (let c = 0; c < CLASSES; c++) gradBias[c] += probabilities[c];
      }
      const step = learningRate / (end - start);
      for (let k = 0; k < gradWeights.length; k++) classifier.weights[k] -= step * gradWeights[k];
      for (let c = 0; c < CLASSES; c++) classifier.bias[c] -= step * gradBias[c];
    }
  }
  return classifier;
}

/**
 * The class of the highest score for each of the first `count` images.
 * @example
 * ```ts
 * const predicted = linearPredict(linear, test.images, 10000); // Uint8Array of 10,000 digits
 * ```
 */
export function linearPredict(
  classifier: LinearClassifier,
  images: ArrayLike<number>,
  count: number,
): Uint8Array {
  const predicted = new Uint8Array(count);
  const scores = new Float64Array(CLASSES);
  for (let n = 0; n < count; n++) {
    scoresOf(classifier, images, n, scores);
    let best = 0;
    for (let c = 1; c < CLASSES; c++) if (scores[c] > scores[best]) best = c;
    predicted[n] = best;
  }
  return predicted;
}

/**
 * The fraction of `predicted` that differ from `labels` (over `predicted.length` items).
 * @example
 * ```ts
 * errorRate(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4)); // 1/3
 * ```
 */
export function errorRate(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  let wrong = 0;
  for (let n = 0; n < predicted.length; n++) if (predicted[n] !== labels[n]) wrong++;
  return wrong / predicted.length;
}
