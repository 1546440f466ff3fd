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
import type { ModernParams } from "../scratch/modern";
import type { ModelOptions } from "./historical";
import { assignLayerWeights, readLayerWeights } from "./layer-weights";

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
 * @param options - Seed, batch normalisation and dropout ({@link ModernOptions}).
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

/**
 * Copies the weights out of a tfjs `modern` model into the scratch record of
 * src/scratch/modern.ts (same layouts). Throws a RangeError for a model with batch
 * normalisation, which the scratch net does not have.
 *
 * Input shape: a model built by {@link createModern} without `batchNorm`. Output shape: see
 * `ModernParams` (C1's kernel [5, 5, 1, 6] … OUTPUT's weight [84, 10]).
 * @example
 * ```ts
 * modernParams(createModern({ seed: 1 })).c3.kernel.shape; // [5, 5, 6, 16]
 * ```
 */
export function modernParams(model: tf.LayersModel): ModernParams {
  rejectBatchNorm(model, "modernParams");
  const read = (name: string) => readLayerWeights(model, name);
  const [c1Kernel, c1Bias] = read("C1");
  const [c3Kernel, c3Bias] = read("C3");
  const [c5Kernel, c5Bias] = read("C5");
  const [f6Weight, f6Bias] = read("F6");
  const [outputWeight, outputBias] = read("OUTPUT");
  return {
    c1: { kernel: c1Kernel, bias: c1Bias },
    c3: { kernel: c3Kernel, bias: c3Bias },
    c5: { kernel: c5Kernel, bias: c5Bias },
    f6: { weight: f6Weight, bias: f6Bias },
    output: { weight: outputWeight, bias: outputBias },
  };
}

/**
 * Writes a `ModernParams` record into a tfjs `modern` model without batch normalisation (the
 * inverse of {@link modernParams}).
 *
 * Input shape: a model built by {@link createModern} and a record in its layouts.
 * @example
 * ```ts
 * assignModernParams(createModern({ seed: 2 }), modernParams(createModern({ seed: 1 })));
 * ```
 */
export function assignModernParams(model: tf.LayersModel, params: ModernParams): void {
  rejectBatchNorm(model, "assignModernParams");
  assignLayerWeights(model, [
    ["C1", [params.c1.kernel, params.c1.bias]],
    ["C3", [params.c3.kernel, params.c3.bias]],
    ["C5", [params.c5.kernel, params.c5.bias]],
    ["F6", [params.f6.weight, params.f6.bias]],
    ["OUTPUT", [params.output.weight, params.output.bias]],
  ]);
}

function rejectBatchNorm(model: tf.LayersModel, who: string): void {
  if (model.layers.some((layer) => layer.getClassName() === "BatchNormalization")) {
    throw new RangeError(`${who}: the scratch modern net has no batch normalisation`);
  }
}
