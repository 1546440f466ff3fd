/**
 * How well a model does: accuracy, error rate, per-class accuracy and the confusion matrix on a
 * labelled set, plus predictions with per-class scores. The paper reports test error rates
 * (Section III-C: 0.95% for LeNet-5 on MNIST); errorRate here is the same quantity.
 *
 *   prediction = argmin_i y_i   for "rbf" outputs (distances to the prototypes, Section II-B)
 *              = argmax_i z_i   for "logits" outputs
 *   probabilities: rbf    p_i = e^{−y_i} / (e^{−j} + Σ_k e^{−y_k})   (eq. 9's posterior; the
 *                                          remainder 1 − Σ p_i is the "rubbish" class)
 *                  logits p_i = softmax(z)_i
 *
 * Input shape: images [count, S, S, 1] (NHWC, the model's input), labels [count].
 * Output shape: digits [count], scores and probabilities [count, 10] row-major,
 * confusion [10][10] indexed [true][predicted].
 * Departures from the paper: none.
 */
import * as tf from "@tensorflow/tfjs";
import { MODEL_SPECS, type ModelName } from "../models/registry";
import { DEFAULT_RBF_LOSS_J } from "../scratch/rbf-loss";
import { rbfLoss } from "../layers/rbf-loss";
import { softmaxCrossEntropy } from "../layers/softmax-cross-entropy";
import { type LabeledImages, imageSide } from "./data";
import type { OutputKind } from "./hessian";
import { Engine } from "../engine/engine";
import { startNodeHelper } from "../engine/node-helper";
import { historicalParams } from "../models/historical";
import { modernParams } from "../models/modern";
import * as scratch from "../scratch";
import type { Tensor } from "../scratch/tensor";
import { engineFits, type TrainingEngine } from "./engine-fit";
import { interruptible, throwIfInterrupted } from "../interrupt";

/** Number of classes: the ten digits. */
export const CLASSES = 10;

/**
 * The training loss of a model kind, averaged over the batch: the paper's eq. 9 for "rbf",
 * softmax cross-entropy for "logits".
 * @example
 * ```ts
 * modelLoss("logits", tf.tensor1d([7], "int32"), tf.zeros([1, 10])); // log 10 ≈ 2.3026
 * ```
 */
export function modelLoss(
  kind: OutputKind,
  labels: tf.Tensor1D,
  outputs: tf.Tensor2D,
  j: number = DEFAULT_RBF_LOSS_J,
): tf.Scalar {
  return kind === "rbf" ? rbfLoss(labels, outputs, { j }) : softmaxCrossEntropy(labels, outputs);
}

/** What {@link evaluateModel} reports. */
export interface EvaluationResult {
  /** Fraction right, 0–1. */
  readonly accuracy: number;
  /** 1 − accuracy. */
  readonly errorRate: number;
  /** Accuracy on the images of each true class (NaN for a class with no image). */
  readonly perClass: number[];
  /** confusion[true][predicted]: image counts. */
  readonly confusion: number[][];
  /** Images evaluated. */
  readonly count: number;
  /** Mean loss (the model's training loss) over the images. */
  readonly loss: number;
}

/** Options of {@link evaluateModel} and {@link predictBatch}. */
export interface EvaluateOptions {
  /** Images per forward pass (default 1000). */
  readonly batchSize?: number;
  /** The constant j of the paper's loss (default DEFAULT_RBF_LOSS_J = 0.1). */
  readonly j?: number;
  /**
   * `evaluateModel` only: run the forward passes on lenet5's engine ("engine", two threads) or
   * tfjs ("tfjs"); "auto" (default): the engine where it runs the model (engineFits).
   */
  readonly engine?: TrainingEngine | "auto";
  /**
   * Stops {@link evaluateModel} between batches (it throws an InterruptedError); so do Ctrl-C and
   * Jupyter's Kernel → Interrupt while it runs (src/interrupt.ts).
   */
  readonly signal?: AbortSignal;
}

/** Predictions for a batch of images. */
export interface Predictions {
  /** Predicted digit per image, [count]. */
  readonly digits: Int32Array;
  /** The model's raw outputs, [count, 10]: RBF distances or logits. */
  readonly scores: Float32Array;
  /** Class probabilities, [count, 10] (see the file header). */
  readonly probabilities: Float32Array;
}

/** Copies images [from, from + n) into a tfjs batch [n, S, S, 1]. */
function batchTensor(images: Float32Array, side: number, from: number, n: number): tf.Tensor4D {
  const pixels = side * side;
  return tf.tensor4d(images.subarray(from * pixels, (from + n) * pixels), [n, side, side, 1]); // [n, S, S, 1]
}

/**
 * Predicted digits, raw scores and probabilities for `count` images (one forward pass; split
 * large sets yourself or use {@link evaluateModel}).
 * @example
 * ```ts
 * const model = createModel("historical", { seed: 1 });
 * const { digits, probabilities } = predictBatch(model, "historical", test.images.subarray(0, 2 * 1024), 2);
 * digits.length; // 2
 * ```
 */
export function predictBatch(
  model: tf.LayersModel,
  modelName: ModelName,
  images: Float32Array,
  count: number,
  options: EvaluateOptions = {},
): Predictions {
  const spec = MODEL_SPECS[modelName];
  const side = imageSide(
    { images, labels: { length: count } as ArrayLike<number>, count },
    spec.inputSize,
  );
  const j = options.j ?? DEFAULT_RBF_LOSS_J;
  return tf.tidy(() => {
    const outputs = model.predict(batchTensor(images, side, 0, count)) as tf.Tensor2D; // [N, 10]
    const rbfOutput = spec.output === "rbf";
    const digits = rbfOutput ? tf.argMin(outputs, 1) : tf.argMax(outputs, 1); // [N]
    const probabilities = rbfOutput
      ? tf.slice(
          tf.softmax(tf.concat([tf.neg(outputs), tf.fill([count, 1], -j)], 1)),
          [0, 0],
          [count, CLASSES],
        ) // [N, 10]
      : tf.softmax(outputs); // [N, 10]
    return {
      digits: Int32Array.from(digits.dataSync()),
      scores: Float32Array.from(outputs.dataSync()),
      probabilities: Float32Array.from(probabilities.dataSync()),
    };
  });
}

/** The outputs [n, 10] of images [from, from + n), on the engine or on tfjs. */
interface BatchForward {
  run(from: number, n: number): Float32Array;
  dispose(): void;
}

function batchForward(
  model: tf.LayersModel,
  modelName: ModelName,
  images: Float32Array,
  side: number,
  batchSize: number,
  asked: TrainingEngine | "auto" = "auto",
): BatchForward {
  const onEngine = asked === "engine" || (asked === "auto" && engineFits(model, modelName));
  const pixels = side * side;
  if (onEngine) {
    if (!engineFits(model, modelName)) {
      throw new Error(
        `evaluateModel: the engine does not run this ${modelName} model; use engine: "tfjs"`,
      );
    }
    const engine = Engine.create(modelName === "historical" ? "historical" : "modern", {
      maxBatch: batchSize,
      helper: startNodeHelper,
    });
    if (modelName === "historical") engine.setParams(historicalParams(model));
    else engine.setParams(modernParams(model) as never);
    return {
      run: (from, n) => engine.predict(images.subarray(from * pixels, (from + n) * pixels)),
      dispose: () => engine.dispose(),
    };
  }
  return {
    run: (from, n) =>
      tf.tidy(() => {
        const outputs = model.predict(batchTensor(images, side, from, n)) as tf.Tensor2D; // [n, 10]
        return Float32Array.from(outputs.dataSync());
      }),
    dispose: () => {},
  };
}

/** The index of each row's largest value (the logits' prediction). */
function argmaxRows(outputs: Tensor): Int32Array {
  const [n, classes] = outputs.shape;
  return Int32Array.from({ length: n }, (_, row) => {
    let best = 0;
    for (let c = 1; c < classes; c++) {
      if (outputs.data[row * classes + c] > outputs.data[row * classes + best]) best = c;
    }
    return best;
  });
}

/**
 * Accuracy, error rate, per-class accuracy, confusion matrix and mean loss of `model` on `data`,
 * in batches, on lenet5's engine where it runs the model (else tfjs; `engine` picks); yields to
 * the event loop between batches, where `signal`, Ctrl-C or Jupyter's Kernel → Interrupt stop it
 * with an InterruptedError.
 * @example
 * ```ts
 * const test = loadModelData("historical", "test", { limit: 500 });
 * const result = await evaluateModel(model, "historical", test);
 * console.log(result.errorRate, result.confusion[4][9]); // fours taken for nines
 * ```
 */
export async function evaluateModel(
  model: tf.LayersModel,
  modelName: ModelName,
  data: LabeledImages,
  options: EvaluateOptions = {},
): Promise<EvaluationResult> {
  return interruptible(options.signal, "evaluateModel", (signal) =>
    evaluate(model, modelName, data, { ...options, signal }),
  );
}

/** {@link evaluateModel} with the signal that also carries SIGINT. */
async function evaluate(
  model: tf.LayersModel,
  modelName: ModelName,
  data: LabeledImages,
  options: EvaluateOptions,
): Promise<EvaluationResult> {
  const spec = MODEL_SPECS[modelName];
  const side = imageSide(data, spec.inputSize);
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`evaluateModel: batchSize must be a positive integer, got ${batchSize}`);
  }
  const confusion = Array.from({ length: CLASSES }, () => new Array<number>(CLASSES).fill(0));
  const forward = batchForward(model, modelName, data.images, side, batchSize, options.engine);
  let lossSum = 0;
  try {
    for (let from = 0; from < data.count; from += batchSize) {
      throwIfInterrupted(options.signal, "evaluateModel");
      const n = Math.min(batchSize, data.count - from);
      const labels = Int32Array.from({ length: n }, (_, i) => data.labels[from + i]); // [n]
      for (let i = 0; i < n; i++) {
        if (!(labels[i] >= 0 && labels[i] < CLASSES)) {
          throw new RangeError(
            `evaluateModel: label ${labels[i]} of image ${from + i} is not a digit`,
          );
        }
      }
      const outputs: Tensor = { shape: [n, CLASSES], data: forward.run(from, n) }; // [n, 10]
      const rbfOutput = spec.output === "rbf";
      const predicted = rbfOutput ? scratch.rbfPredict(outputs) : argmaxRows(outputs);
      for (let i = 0; i < n; i++) confusion[labels[i]][predicted[i]]++;
      const j = options.j ?? DEFAULT_RBF_LOSS_J;
      const loss = rbfOutput
        ? scratch.rbfLoss(outputs, labels, { j })
        : scratch.softmaxCrossEntropy(outputs, labels);
      lossSum += loss * n;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    forward.dispose();
  }
  let right = 0;
  for (let c = 0; c < CLASSES; c++) right += confusion[c][c];
  const perClass = confusion.map((row, c) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? NaN : row[c] / total;
  });
  const accuracy = right / data.count;
  return {
    accuracy,
    errorRate: 1 - accuracy,
    perClass,
    confusion,
    count: data.count,
    loss: lossSum / data.count,
  };
}
