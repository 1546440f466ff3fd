/**
 * 2-D convolution layer factory: LeNet-5's C1 and C5 (Section II-B) and the modern net's convs,
 * as tfjs's own `tf.layers.conv2d` (stride 1, NHWC, bias) with lenet5's initialisation:
 *
 *   y[n, oy, ox, co] = b[co] + Σ_{ky, kx, ci} x̃[n, oy + ky, ox + kx, ci] · k[ky, kx, ci, co]
 *
 * x̃ is x zero-padded for "same" (K odd: (K − 1)/2 on each side, the scratch twin's padding).
 * Twin of src/scratch/conv2d.ts. With `init: "paper"` kernel and bias start uniform in
 * ±2.4/F_i, F_i = K·K·Cin; the bias range needs Cin, so give `inputShape` or `inChannels`.
 * On wasm it trains once `initBackend()` registered the filter-gradient kernel tfjs 4.22 lacks
 * (../kernels/conv2d-backprop-filter.ts).
 *
 * Input shape: [N, H, W, Cin]. Output shape: "valid" [N, H − K + 1, W − K + 1, filters],
 * "same" [N, H, W, filters]. C1: [N, 32, 32, 1] → [N, 28, 28, 6] (156 parameters);
 * C5: [N, 5, 5, 16] → [N, 1, 1, 120] (48,120 parameters).
 * Departures from the paper: none for C1/C5 ("same" padding serves the modern net only).
 */
import * as tf from "@tensorflow/tfjs";
import { type InitScale, type WeightInit, layerInitializers } from "./paper-uniform";

/** Options of {@link conv2dLayer}. */
export interface Conv2dLayerOptions {
  /** Output feature maps (Cout). */
  filters: number;
  /** Kernel side K (square kernels). */
  kernelSize: number;
  /** "valid" (no padding, the paper's) or "same" (output as large as the input). Default "valid". */
  padding?: "valid" | "same";
  /** Initialisation (default "paper": uniform ±2.4/(K·K·Cin)). */
  init?: WeightInit;
  /** Seed of the initialisation (default 0); kernel and bias draw from seeds derived from it. */
  seed?: number;
  /** With `init: "paper"`: the range rule (default ±2.4/F_i; see {@link InitScale}). */
  initScale?: InitScale;
  /** Layer name (tfjs makes one up if omitted). */
  name?: string;
  /** Input shape [H, W, Cin] when this is a model's first layer. */
  inputShape?: [number, number, number];
  /** Input channels Cin, for the paper init's bias range when `inputShape` is not given. */
  inChannels?: number;
}

/**
 * A tfjs conv2d layer (stride 1, with bias, no activation) initialised the lenet5 way.
 *
 * Input shape: [N, H, W, Cin]. Output shape: [N, H − K + 1, W − K + 1, filters] ("valid") or
 * [N, H, W, filters] ("same"). C1: [N, 32, 32, 1] → [N, 28, 28, 6]; C5: [N, 5, 5, 16] →
 * [N, 1, 1, 120].
 * @example
 * ```ts
 * const c1 = conv2dLayer({ filters: 6, kernelSize: 5, inputShape: [32, 32, 1], seed: 1 });
 * const model = tf.sequential({ layers: [c1] });
 * model.outputShape; // [null, 28, 28, 6]
 * model.countParams(); // 156, C1's count in the paper
 * ```
 */
export function conv2dLayer(options: Conv2dLayerOptions): tf.layers.Layer {
  const { filters, kernelSize, padding = "valid", init = "paper", seed = 0, name } = options;
  const inChannels = options.inChannels ?? options.inputShape?.[2];
  const fanIn = inChannels === undefined ? undefined : kernelSize * kernelSize * inChannels;
  const initializers = layerInitializers(init, seed, fanIn, "conv2dLayer", options.initScale);
  return tf.layers.conv2d({
    filters,
    kernelSize,
    strides: 1,
    padding,
    dataFormat: "channelsLast",
    useBias: true,
    ...initializers,
    ...(name === undefined ? {} : { name }),
    ...(options.inputShape === undefined ? {} : { inputShape: options.inputShape }),
  });
}
