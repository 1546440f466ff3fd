/**
 * 2×2 average pooling, stride 2, as a tfjs layer: the tfjs twin of src/scratch/avg-pool.ts, one
 * of the `historical` net's ablation options for S2/S4 (the paper's are trainable subsampling,
 * ./subsampling.ts). No parameters; tfjs's AvgPool and AvgPoolGrad kernels compute it.
 *
 * Input shape: [N, H, W, C] (H, W even). Output shape: [N, H/2, W/2, C]. S2: [N, 28, 28, 6] →
 * [N, 14, 14, 6]; S4: [N, 10, 10, 16] → [N, 5, 5, 16].
 * Departure from the paper: the whole layer is one (a fixed average, no coefficient, no bias).
 */
import * as tf from "@tensorflow/tfjs";

/** Options of {@link avgPoolLayer}. */
export interface AvgPoolLayerOptions {
  /** Layer name (tfjs makes one up if omitted). */
  name?: string;
  /** Input shape [H, W, C] when this is a model's first layer. */
  inputShape?: [number, number, number];
}

/**
 * tfjs's 2×2, stride-2, "valid" average-pooling layer.
 *
 * Input shape: [N, H, W, C]. Output shape: [N, H/2, W/2, C].
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [avgPoolLayer({ inputShape: [28, 28, 6] })] });
 * model.outputShape; // [null, 14, 14, 6]
 * model.countParams(); // 0
 * ```
 */
export function avgPoolLayer(options: AvgPoolLayerOptions = {}): tf.layers.Layer {
  return tf.layers.averagePooling2d({
    poolSize: 2,
    strides: 2,
    padding: "valid",
    dataFormat: "channelsLast",
    ...options,
  });
}
