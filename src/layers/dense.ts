/**
 * Fully connected layer factory: LeNet-5's F6 (Section II-B, eq. 5's weighted sum a_i) and the
 * modern net's dense layers, as tfjs's own `tf.layers.dense` with lenet5's initialisation:
 *
 *   y[n, o] = b[o] + Σ_i x[n, i] · w[i, o]
 *
 * Twin of src/scratch/dense.ts (weights [In, Out], as tfjs stores them). With `init: "paper"`
 * weights and bias start uniform in ±2.4/In; the bias range needs In, so give `inputShape` or
 * `inputUnits`.
 *
 * Input shape: [N, In]. Output shape: [N, units]. F6: [N, 120] → [N, 84] (10,164 parameters).
 * Departures from the paper: none (F6's squashing is a separate ScaledTanh layer).
 */
import * as tf from "@tensorflow/tfjs";
import { type InitScale, type WeightInit, layerInitializers } from "./paper-uniform";

/** Options of {@link denseLayer}. */
export interface DenseLayerOptions {
  /** Output units. */
  units: number;
  /** Initialisation (default "paper": uniform ±2.4/In). */
  init?: WeightInit;
  /** Seed of the initialisation (default 0); kernel and bias draw from seeds derived from it. */
  seed?: number;
  /** With `init: "paper"`: the range rule (default ±2.4/F_i; see {@link InitScale}). */
  initScale?: InitScale;
  /** Layer name (tfjs makes one up if omitted). */
  name?: string;
  /** Input shape [In] when this is a model's first layer. */
  inputShape?: [number];
  /** Input units In, for the paper init's bias range when `inputShape` is not given. */
  inputUnits?: number;
}

/**
 * A tfjs dense layer (with bias, no activation) initialised the lenet5 way.
 *
 * Input shape: [N, In]. Output shape: [N, units]. F6: [N, 120] → [N, 84].
 * @example
 * ```ts
 * const f6 = denseLayer({ units: 84, inputShape: [120], seed: 6 });
 * tf.sequential({ layers: [f6] }).countParams(); // 10164, F6's count in the paper
 * ```
 */
export function denseLayer(options: DenseLayerOptions): tf.layers.Layer {
  const { units, init = "paper", seed = 0, name } = options;
  const fanIn = options.inputUnits ?? options.inputShape?.[0];
  const initializers = layerInitializers(init, seed, fanIn, "denseLayer", options.initScale);
  return tf.layers.dense({
    units,
    useBias: true,
    ...initializers,
    ...(name === undefined ? {} : { name }),
    ...(options.inputShape === undefined ? {} : { inputShape: options.inputShape }),
  });
}
