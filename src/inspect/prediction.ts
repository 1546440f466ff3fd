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
import { DEFAULT_RBF_LOSS_J } from "../scratch/rbf-loss";

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
  /**
   * One score per digit. RBF: the posterior of the paper's eq. 9, e^(−y_i) / (e^(−j) + Σ_k
   * e^(−y_k)), which sums with {@link Prediction.rubbish} to 1. Logits: their softmax, summing to 1.
   */
  readonly scores: readonly number[];
  /**
   * RBF only: the share eq. 9 keeps for "none of the ten" (its rubbish class, e^(−j) / (e^(−j) +
   * Σ_k e^(−y_k))) — near 1 when every prototype is far. Always 0 for logits.
   */
  readonly rubbish: number;
  /** The raw outputs: squared distances (RBF, smaller is closer) or logits. */
  readonly outputs: readonly number[];
}

/** Options of {@link predictionFrom}. */
export interface PredictionOptions {
  /** j of eq. 9, the rubbish class's constant (default 0.1, the value lenet5 trains with). */
  readonly j?: number;
}

/**
 * Reads a model's 10 outputs: the argmin of RBF distances (the paper's rule) or the argmax of
 * logits. RBF scores are the posterior of eq. 9 (Section II-C): e^(−y_i) over e^(−j) + Σ_k
 * e^(−y_k), where e^(−j) stands for "none of the ten" — so a digit far from every prototype
 * scores low everywhere, rather than the near-certain softmax of −y alone. Logit scores are their
 * softmax.
 *
 * Input shape: [10], one model output row. Output shape: a {@link Prediction} with 10 scores.
 * @example
 * ```ts
 * predictionFrom(Float32Array.of(9, 9, 1, 9, 9, 9, 9, 9, 9, 9), "rbf").digit; // 2
 * ```
 */
export function predictionFrom(
  outputs: ArrayLike<number>,
  kind: ModelSpec["output"],
  options: PredictionOptions = {},
): Prediction {
  const values = Array.from(outputs);
  const evidence = kind === "rbf" ? values.map((v) => -v) : values;
  // The rubbish class enters eq. 9 as one more evidence term, −j; logits have none.
  const rubbishEvidence = kind === "rbf" ? -(options.j ?? DEFAULT_RBF_LOSS_J) : -Infinity;
  const top = Math.max(...evidence, rubbishEvidence);
  const exps = evidence.map((v) => Math.exp(v - top));
  const rubbishExp = Math.exp(rubbishEvidence - top);
  const total = exps.reduce((a, b) => a + b, rubbishExp);
  const best = Math.max(...evidence);
  return {
    digit: evidence.indexOf(best),
    scores: exps.map((e) => e / total),
    rubbish: rubbishExp / total,
    outputs: values,
  };
}
