/**
 * One digit in, one prediction out: {@link digitToInput} turns a 28×28 MNIST-form digit into the
 * input a model expects, and {@link predictionFrom} reads the model's 10 outputs the paper's way
 * (the RBF unit with the smallest distance, Section II-C) or the modern way (the largest logit),
 * with a score per digit.
 *
 * Input shape: a digit [28, 28] (0 background … 255 ink); outputs [10].
 * Output shape: the model's input, row-major; a {@link Prediction} with 10 scores.
 */
import type { ModelSpec } from "../models/registry";
import { toNetworkInput } from "../data/preprocess";

/**
 * A 28×28 MNIST-form digit (0 background … 255 ink) → the input `spec`'s model expects: the
 * paper's 32×32 field and levels for the LeNet-5s, 28×28 standardised for `modern`.
 *
 * Input shape: [28, 28] (784 bytes, row-major). Output shape: [32, 32] (1,024 values) or, for
 * `modern`, [28, 28] (784 values), row-major.
 * @example
 * ```ts
 * digitToInput(new Uint8Array(784), MODEL_SPECS.historical)[0]; // -0.1, the paper's background
 * ```
 */
export function digitToInput(digit: Uint8Array, spec: ModelSpec): Float32Array {
  return toNetworkInput(digit, 1, { size: spec.inputSize, normalisation: spec.normalisation });
}

/** What a model says about one digit. */
export interface Prediction {
  /** The predicted digit. */
  readonly digit: number;
  /** One score per digit, summing to 1: softmax of −distance (RBF) or of the logits. */
  readonly scores: readonly number[];
  /** The raw outputs: squared distances (RBF, smaller is closer) or logits. */
  readonly outputs: readonly number[];
}

/**
 * Reads a model's 10 outputs: the argmin of RBF distances (the paper's rule) or the argmax of
 * logits. Scores are the softmax of −y (the paper's posterior reading of the RBF outputs,
 * Section II-C) or of the logits.
 *
 * Input shape: [10], one model output row. Output shape: a {@link Prediction} with 10 scores.
 * @example
 * ```ts
 * predictionFrom(Float32Array.of(9, 9, 1, 9, 9, 9, 9, 9, 9, 9), "rbf").digit; // 2
 * ```
 */
export function predictionFrom(outputs: ArrayLike<number>, kind: ModelSpec["output"]): Prediction {
  const values = Array.from(outputs);
  const evidence = kind === "rbf" ? values.map((v) => -v) : values;
  const top = Math.max(...evidence);
  const exps = evidence.map((v) => Math.exp(v - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return {
    digit: evidence.indexOf(top),
    scores: exps.map((e) => e / total),
    outputs: values,
  };
}
