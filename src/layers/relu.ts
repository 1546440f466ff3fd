/**
 * ReLU layer factory, max(0, x) element-wise: the modern net's activation (not in the paper,
 * whose units squash with the scaled tanh, scaled-tanh.ts). A thin wrapper over tfjs's built-in
 * `tf.layers.reLU`, here so that every scratch op has a tfjs twin (src/scratch/relu.ts).
 *
 * Input shape: any. Output shape: the same.
 * Departure from the paper: the paper uses f(a) = 1.7159·tanh(2a/3); this serves the modern twin.
 */
import * as tf from "@tensorflow/tfjs";

/** Options of {@link reluLayer}. */
export interface ReluLayerOptions {
  /** Layer name (tfjs makes one up if omitted). */
  name?: string;
  /** Input shape when this is a model's first layer. */
  inputShape?: number[];
}

/**
 * tfjs's ReLU layer: y = max(0, x); the gradient passes where x > 0.
 *
 * Input shape: any. Output shape: the same as the input.
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [reluLayer({ inputShape: [3] })] });
 * model.predict(tf.tensor2d([[-1, 0, 2]])); // [[0, 0, 2]]
 * ```
 */
export function reluLayer(options: ReluLayerOptions = {}): tf.layers.Layer {
  return tf.layers.reLU({ ...options });
}
