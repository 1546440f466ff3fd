/**
 * 2×2 max pooling, stride 2, layer factory: the modern net's replacement for trainable
 * subsampling (not in the paper, whose S2/S4 are subsampling.ts). A thin wrapper over tfjs's
 * built-in `tf.layers.maxPooling2d`, here so that every scratch op has a tfjs twin
 * (src/scratch/max-pool.ts):
 *
 *   y[n, oy, ox, c] = max_{dy, dx ∈ {0, 1}} x[n, 2·oy + dy, 2·ox + dx, c]
 *
 * The gradient flows only to the block's maximum (the first one on ties). On wasm that holds once
 * `initBackend()` replaced wasm's faulty MaxPoolGrad kernel (../kernels/max-pool-grad.ts).
 *
 * Input shape: [N, H, W, C] (an odd last row/column is dropped, as tfjs's "valid" pooling does;
 * the scratch twin rejects odd sizes). Output shape: [N, ⌊H/2⌋, ⌊W/2⌋, C].
 * Departure from the paper: the paper sums with trainable coefficients; this serves the modern twin.
 */
import * as tf from "@tensorflow/tfjs";

/** Options of {@link maxPoolLayer}. */
export interface MaxPoolLayerOptions {
  /** Layer name (tfjs makes one up if omitted). */
  name?: string;
  /** Input shape [H, W, C] when this is a model's first layer. */
  inputShape?: [number, number, number];
}

/**
 * tfjs's 2×2, stride-2, "valid" max-pooling layer.
 *
 * Input shape: [N, H, W, C]. Output shape: [N, ⌊H/2⌋, ⌊W/2⌋, C] (an odd last row or column is
 * dropped). Modern net: [N, 28, 28, 6] → [N, 14, 14, 6].
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [maxPoolLayer({ inputShape: [28, 28, 6] })] });
 * model.outputShape; // [null, 14, 14, 6]
 * ```
 */
export function maxPoolLayer(options: MaxPoolLayerOptions = {}): tf.layers.Layer {
  return tf.layers.maxPooling2d({
    poolSize: 2,
    strides: 2,
    padding: "valid",
    dataFormat: "channelsLast",
    ...options,
  });
}
