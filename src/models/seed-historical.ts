/**
 * `seed-historical`: the `HistoricalLeNet5` of the seed tutorial this project started from, kept
 * to show what its shortcuts cost. Same skeleton as the paper's net, but:
 * - C3 is fully connected to S2 (2,416 parameters instead of Table I's 1,516);
 * - S2/S4 multiply the 2×2 AVERAGE (not sum) by a coefficient starting at 1, bias at 0;
 * - weights start normal with σ = 1/√fan_in, biases at 0 (the paper: uniform ±2.4/F_i);
 * - the output is a plain linear layer 84→10 giving logits for softmax cross-entropy (the paper:
 *   fixed RBF prototypes and its own loss).
 * The scaled tanh follows C1, S2, C3, S4, C5 and F6, as in the seed code.
 *
 * Input shape: [N, 32, 32, 1]. Output shape: [N, 10] logits. 61,750 trainable parameters.
 */
import * as tf from "@tensorflow/tfjs";
import { INPUT_SIZE } from "../paper";
import { conv2dLayer } from "../layers/conv2d";
import { denseLayer } from "../layers/dense";
import { ScaledTanh } from "../layers/scaled-tanh";
import { Subsampling } from "../layers/subsampling";
import { weightSeeds } from "../layers/paper-uniform";
import type { ModelOptions } from "./historical";

/**
 * Builds the seed page's `HistoricalLeNet5`.
 *
 * Input shape: [N, 32, 32, 1]. Output shape: [N, 10] logits; the prediction is the argmax.
 * @example
 * ```ts
 * const model = createSeedHistorical({ seed: 1 });
 * model.countParams(); // 61750
 * ```
 * @param options - The seed of its initial weights.
 */
export function createSeedHistorical({ seed = 0 }: ModelOptions = {}): tf.Sequential {
  const [c1, c3, c5, f6, out] = weightSeeds(seed, 5);
  const init = "seedNormal" as const;
  const subsampling = { reduce: "average", init: "identity" } as const;
  return tf.sequential({
    name: "seed-historical",
    layers: [
      conv2dLayer({
        name: "C1",
        filters: 6,
        kernelSize: 5,
        inputShape: [INPUT_SIZE, INPUT_SIZE, 1],
        init,
        seed: c1,
      }), // [N, 28, 28, 6]
      new ScaledTanh({ name: "C1_tanh" }),
      new Subsampling({ name: "S2", ...subsampling }), // [N, 14, 14, 6]
      new ScaledTanh({ name: "S2_tanh" }),
      conv2dLayer({ name: "C3", filters: 16, kernelSize: 5, inChannels: 6, init, seed: c3 }), // [N, 10, 10, 16]
      new ScaledTanh({ name: "C3_tanh" }),
      new Subsampling({ name: "S4", ...subsampling }), // [N, 5, 5, 16]
      new ScaledTanh({ name: "S4_tanh" }),
      conv2dLayer({ name: "C5", filters: 120, kernelSize: 5, inChannels: 16, init, seed: c5 }), // [N, 1, 1, 120]
      new ScaledTanh({ name: "C5_tanh" }),
      tf.layers.flatten({ name: "C5_flatten" }), // [N, 120]
      denseLayer({ name: "F6", units: 84, inputUnits: 120, init, seed: f6 }), // [N, 84]
      new ScaledTanh({ name: "F6_tanh" }),
      denseLayer({ name: "OUTPUT", units: 10, inputUnits: 84, init, seed: out }), // [N, 10] logits
    ],
  });
}
