/**
 * How large the signal is at each layer of the paper's net, forward and backward: for C1, S2,
 * C3, S4, C5 and F6, the spread (standard deviation) of the layer's weighted sums, of its outputs
 * f(a), and of the gradient of the loss (eq. 9) with respect to its trainable weights. Appendix
 * A of the paper sizes the initial weights (uniform ±2.4/F_i) so that the sums start in f's
 * linear middle; with that range a weight has std 2.4/(√3·F_i), and a sum of F_i inputs has std
 * about 1.39·rms(input)/√F_i: it shrinks as 1/√F_i, layer after layer. This measures it.
 *
 * Input: the scratch parameter record of a historical net, inputs [N, 32, 32, 1], labels [N].
 * Output: one {@link LayerSpread} per layer, input side first.
 */
import type { HistoricalParams } from "../scratch/historical";
import { historicalBackward, historicalForward } from "../scratch/historical";
import type { Tensor } from "../scratch/tensor";

/** The paper's layers with weighted sums, in order from the input. */
export const SPREAD_LAYERS = ["C1", "S2", "C3", "S4", "C5", "F6"] as const;

/** One of {@link SPREAD_LAYERS}. */
export type SpreadLayer = (typeof SPREAD_LAYERS)[number];

/** The spread of one layer's signal over a batch. */
export interface LayerSpread {
  /** The layer's name (C1 … F6). */
  readonly layer: SpreadLayer;
  /** Standard deviation of its weighted sums a over every unit and example. */
  readonly sumStd: number;
  /** Largest |a| over every unit and example. */
  readonly sumLargest: number;
  /** Standard deviation of its outputs f(a). */
  readonly activationStd: number;
  /** Standard deviation of dE/dw over all its trainable weights (kernel or coefficients, and biases). */
  readonly gradientStd: number;
}

/** Standard deviation of the numbers of one or more arrays, taken together. */
function std(...parts: ArrayLike<number>[]): number {
  let count = 0;
  let sum = 0;
  let squares = 0;
  for (const part of parts)
    for (let i = 0; i < part.length; i++) {
      sum += part[i];
      squares += part[i] * part[i];
      count++;
    }
  if (count === 0) return 0;
  const mean = sum / count;
  return Math.sqrt(Math.max(0, squares / count - mean * mean));
}

/** Largest absolute value of an array. */
function largestAbs(values: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i]));
  return largest;
}

/** A layer's trainable weight tensors in the gradient record. */
function layerWeights(grads: ReturnType<typeof historicalBackward>, layer: SpreadLayer): Tensor[] {
  switch (layer) {
    case "C1":
      return [grads.c1.kernel, grads.c1.bias];
    case "S2":
      return [grads.s2.coefficient, grads.s2.bias];
    case "C3":
      return [grads.c3.kernel, grads.c3.bias];
    case "S4":
      return [grads.s4.coefficient, grads.s4.bias];
    case "C5":
      return [grads.c5.kernel, grads.c5.bias];
    case "F6":
      return [grads.f6.weight, grads.f6.bias];
  }
}

/**
 * The spread of every layer's sums, outputs and weight gradients for one batch, by one forward
 * and one backward pass of the plain reference (scratch/historical.ts).
 * @example
 * ```ts
 * const params = historicalParams(createModel("historical", { seed: 1 }));
 * const x = scratch.tensor([100, 32, 32, 1], toNetworkInput(test.images.subarray(0, 78400), 100));
 * const rows = historicalLayerSpread(params, x, test.labels.subarray(0, 100));
 * rows.map((r) => r.activationStd); // shrinks from C1 to F6 at the paper's initialisation
 * ```
 */
export function historicalLayerSpread(
  params: HistoricalParams,
  inputs: Tensor,
  labels: ArrayLike<number>,
): LayerSpread[] {
  const acts = historicalForward(params, inputs);
  const grads = historicalBackward(params, acts, labels);
  return SPREAD_LAYERS.map((layer) => {
    const sums = acts[`${layer}Sum`].data;
    return {
      layer,
      sumStd: std(sums),
      sumLargest: largestAbs(sums),
      activationStd: std(acts[layer].data),
      gradientStd: std(...layerWeights(grads, layer).map((t) => t.data)),
    };
  });
}
