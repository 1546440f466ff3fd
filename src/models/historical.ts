/**
 * `historical`: LeNet-5 as the paper builds it (Section II-B, Fig. 2).
 *
 *   INPUT 32×32 → C1 6@28×28 → S2 6@14×14 → C3 16@10×10 (Table I) → S4 16@5×5 → C5 120
 *   → F6 84 → OUTPUT 10 Euclidean RBF units
 *
 * The squashing function f(a) = 1.7159·tanh(2a/3) follows every C, S and F layer ("units in
 * layers up to F6", Section II-B); the RBF output is not squashed. Every weight starts uniform in
 * ±2.4/F_i (Appendix A). 60,000 trainable parameters, 340,908 connections.
 *
 * Input shape: [N, 32, 32, 1], the paper's normalisation (background −0.1, foreground 1.175).
 * Output shape: [N, 10] squared distances y_i to the ten prototypes; the prediction is the argmin.
 * Departures from the paper: the RBF bitmaps are drawn in the style of Fig. 3, not copied from it.
 */
import * as tf from "@tensorflow/tfjs";
import { INPUT_SIZE } from "../paper";
import { conv2dLayer } from "../layers/conv2d";
import { denseLayer } from "../layers/dense";
import { Rbf } from "../layers/rbf";
import { ScaledTanh } from "../layers/scaled-tanh";
import { SparseConv2D } from "../layers/sparse-conv2d";
import { Subsampling } from "../layers/subsampling";
import { weightSeeds } from "../layers/paper-uniform";
import type { HistoricalParams } from "../scratch/historical";
import { assignLayerWeights, readLayerWeights } from "./layer-weights";

/** Options shared by every model builder. */
export interface ModelOptions {
  /** Seed of the weight initialisation (default 0): same seed, same weights. */
  seed?: number;
}

/**
 * Builds the paper's LeNet-5 as a tfjs model with the paper's initialisation.
 *
 * Input shape: [N, 32, 32, 1] (the paper's normalisation: background −0.1, ink 1.175). Output
 * shape: [N, 10], the squared RBF distances to the ten prototypes; the prediction is the argmin.
 * @example
 * ```ts
 * const model = createHistorical({ seed: 1 });
 * model.outputShape; // [null, 10]
 * ```
 */
export function createHistorical({ seed = 0 }: ModelOptions = {}): tf.Sequential {
  const [c1, s2, c3, s4, c5, f6] = weightSeeds(seed, 6);
  return tf.sequential({
    name: "historical",
    layers: [
      conv2dLayer({
        name: "C1",
        filters: 6,
        kernelSize: 5,
        inputShape: [INPUT_SIZE, INPUT_SIZE, 1],
        seed: c1,
      }), // [N, 28, 28, 6]
      new ScaledTanh({ name: "C1_tanh" }),
      new Subsampling({ name: "S2", seed: s2 }), // [N, 14, 14, 6]
      new ScaledTanh({ name: "S2_tanh" }),
      new SparseConv2D({ name: "C3", seed: c3 }), // [N, 10, 10, 16]
      new ScaledTanh({ name: "C3_tanh" }),
      new Subsampling({ name: "S4", seed: s4 }), // [N, 5, 5, 16]
      new ScaledTanh({ name: "S4_tanh" }),
      conv2dLayer({ name: "C5", filters: 120, kernelSize: 5, inChannels: 16, seed: c5 }), // [N, 1, 1, 120]
      new ScaledTanh({ name: "C5_tanh" }),
      tf.layers.flatten({ name: "C5_flatten" }), // [N, 120]
      denseLayer({ name: "F6", units: 84, inputUnits: 120, seed: f6 }), // [N, 84]
      new ScaledTanh({ name: "F6_tanh" }),
      new Rbf({ name: "OUTPUT" }), // [N, 10]
    ],
  });
}

/**
 * Copies the weights out of a tfjs `historical` model into plain tensors (same layouts).
 *
 * Input shape: a model built by {@link createHistorical}. Output shape: see
 * {@link HistoricalParams} (e.g. C1's kernel [5, 5, 1, 6], C3's packed kernel [5, 5, 60]).
 * @example
 * ```ts
 * const params = historicalParams(createHistorical({ seed: 1 }));
 * params.c3.kernel.shape; // [5, 5, 60]: Table I's 60 connections
 * ```
 */
export function historicalParams(model: tf.LayersModel): HistoricalParams {
  const read = (name: string) => readLayerWeights(model, name);
  const [c1Kernel, c1Bias] = read("C1");
  const [s2Coefficient, s2Bias] = read("S2");
  const [c3Kernel, c3Bias] = read("C3");
  const [s4Coefficient, s4Bias] = read("S4");
  const [c5Kernel, c5Bias] = read("C5");
  const [f6Weight, f6Bias] = read("F6");
  const [prototypes] = read("OUTPUT");
  return {
    c1: { kernel: c1Kernel, bias: c1Bias },
    s2: { coefficient: s2Coefficient, bias: s2Bias },
    c3: { kernel: c3Kernel, bias: c3Bias },
    s4: { coefficient: s4Coefficient, bias: s4Bias },
    c5: { kernel: c5Kernel, bias: c5Bias },
    f6: { weight: f6Weight, bias: f6Bias },
    prototypes,
  };
}

/**
 * Writes a {@link HistoricalParams} record into a tfjs `historical` model (the inverse of
 * {@link historicalParams}; the fixed prototypes are written too). Throws a RangeError naming
 * the weight whose shape does not match.
 *
 * Input shape: a model built by {@link createHistorical} and a record in its layouts.
 * @example
 * ```ts
 * const model = createHistorical({ seed: 2 });
 * assignHistoricalParams(model, historicalParams(createHistorical({ seed: 1 })));
 * // model now computes what the seed-1 model computes
 * ```
 */
export function assignHistoricalParams(model: tf.LayersModel, params: HistoricalParams): void {
  assignLayerWeights(model, [
    ["C1", [params.c1.kernel, params.c1.bias]],
    ["S2", [params.s2.coefficient, params.s2.bias]],
    ["C3", [params.c3.kernel, params.c3.bias]],
    ["S4", [params.s4.coefficient, params.s4.bias]],
    ["C5", [params.c5.kernel, params.c5.bias]],
    ["F6", [params.f6.weight, params.f6.bias]],
    ["OUTPUT", [params.prototypes]],
  ]);
}
