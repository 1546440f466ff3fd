/**
 * `modern`: the seed tutorial's `ModernLeNet5` — LeNet-5's skeleton with today's defaults:
 * ReLU instead of the scaled tanh, 2×2 max pooling instead of trainable subsampling, a full C3,
 * a linear output with softmax cross-entropy, He-normal ("fan_out") weights and zero biases;
 * batch normalisation after C1 and C3 and dropout before F6 and the output are options.
 *
 *   INPUT 28×28 → C1 6@28×28 ("same" padding 2) → S2 6@14×14 → C3 16@10×10 → S4 16@5×5
 *   → C5 120 → F6 84 → OUTPUT 10 logits
 *
 * Input shape: [N, 28, 28, 1] with the modern normalisation (mean 0.1307, std 0.3081).
 * Output shape: [N, 10] logits. 61,706 trainable parameters without batch norm (+ 44 with it).
 * Departures from the seed code: the seed's data pipeline resizes digits to 32×32 and its C1 pads
 * by 2, which would give C5 a 2×2 map and break its 120→84 layer; 28×28 input is the reading
 * under which the seed's own parameter count (61,706) holds. Dropout masks come from tfjs's
 * generator (seeded per layer), not from lenet5's Rng.
 */
import * as tf from "@tensorflow/tfjs";
import { conv2dLayer } from "../layers/conv2d";
import { denseLayer } from "../layers/dense";
import { maxPoolLayer } from "../layers/max-pool";
import { reluLayer } from "../layers/relu";
import { weightSeeds } from "../layers/paper-uniform";
import type { ModelOptions } from "./historical";

/** Input side of the modern net: MNIST's own 28×28. */
export const MODERN_INPUT_SIZE = 28;

/** Options of {@link createModern}. */
export interface ModernOptions extends ModelOptions {
  /** Batch normalisation after C1 and C3 (the seed's default: true; lenet5's default: false). */
  batchNorm?: boolean;
  /** Dropout rate before F6 and the output; 0 turns it off (the seed's default 0.5; lenet5's 0). */
  dropout?: number;
}

/**
 * Builds the seed page's `ModernLeNet5`.
 *
 * Input shape: [N, 28, 28, 1] (MNIST as is, modern normalisation: mean 0.1307, std 0.3081).
 * Output shape: [N, 10] logits; the prediction is the argmax.
 * @example
 * ```ts
 * createModern({ seed: 1 }).countParams(); // 61706
 * createModern({ seed: 1, batchNorm: true, dropout: 0.5 }).countParams(); // 61750 (+ moving stats)
 * ```
 */
export function createModern({
  seed = 0,
  batchNorm = false,
  dropout = 0,
}: ModernOptions = {}): tf.Sequential {
  if (!(dropout >= 0 && dropout < 1))
    throw new RangeError(`createModern: dropout must be in [0, 1), got ${dropout}`);
  const [c1, c3, c5, f6, out, drop1, drop2] = weightSeeds(seed, 7);
  const init = "heNormalFanOut" as const;
  const layers: tf.layers.Layer[] = [
    conv2dLayer({
      name: "C1",
      filters: 6,
      kernelSize: 5,
      padding: "same",
      inputShape: [MODERN_INPUT_SIZE, MODERN_INPUT_SIZE, 1],
      init,
      seed: c1,
    }), // [N, 28, 28, 6]
    ...(batchNorm ? [tf.layers.batchNormalization({ name: "C1_bn", axis: -1 })] : []),
    reluLayer({ name: "C1_relu" }),
    maxPoolLayer({ name: "S2" }), // [N, 14, 14, 6]
    conv2dLayer({ name: "C3", filters: 16, kernelSize: 5, inChannels: 6, init, seed: c3 }), // [N, 10, 10, 16]
    ...(batchNorm ? [tf.layers.batchNormalization({ name: "C3_bn", axis: -1 })] : []),
    reluLayer({ name: "C3_relu" }),
    maxPoolLayer({ name: "S4" }), // [N, 5, 5, 16]
    conv2dLayer({ name: "C5", filters: 120, kernelSize: 5, inChannels: 16, init, seed: c5 }), // [N, 1, 1, 120]
    reluLayer({ name: "C5_relu" }),
    tf.layers.flatten({ name: "C5_flatten" }), // [N, 120]
    ...(dropout > 0 ? [tf.layers.dropout({ name: "F6_dropout", rate: dropout, seed: drop1 })] : []),
    denseLayer({ name: "F6", units: 84, inputUnits: 120, init, seed: f6 }), // [N, 84]
    reluLayer({ name: "F6_relu" }),
    ...(dropout > 0
      ? [tf.layers.dropout({ name: "OUTPUT_dropout", rate: dropout, seed: drop2 })]
      : []),
    denseLayer({ name: "OUTPUT", units: 10, inputUnits: 84, init, seed: out }), // [N, 10] logits
  ];
  return tf.sequential({ name: "modern", layers });
}
