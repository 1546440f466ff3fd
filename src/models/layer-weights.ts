/**
 * Moving weights between a tfjs model and a scratch parameter record (src/scratch/historical.ts,
 * src/scratch/modern.ts): read a layer's weights as plain tensors, or write them back. The
 * record's layouts are tfjs's own, so nothing is transposed; only the data is copied.
 */
import * as tf from "@tensorflow/tfjs";
import type { Tensor } from "../scratch/tensor";

/**
 * A copy of each weight of the layer `name` (trainable and fixed, in the layer's order) as a
 * float32 scratch tensor.
 *
 * Input shape: any layer. Output shape: one tensor per weight, in its tfjs shape.
 * @example
 * ```ts
 * const [kernel, bias] = readLayerWeights(createHistorical(), "C1"); // [5, 5, 1, 6], [6]
 * ```
 */
export function readLayerWeights(model: tf.LayersModel, name: string): Tensor[] {
  return model
    .getLayer(name)
    .getWeights()
    .map((w) => ({ shape: w.shape, data: Float32Array.from(w.dataSync()) }));
}

/**
 * Writes tensors into the named layers' weights (all of each layer's weights, in order), after
 * checking every shape: a RangeError names the first weight that does not fit.
 *
 * Input shape: per layer, tensors in the shapes of `layer.getWeights()`.
 * @example
 * ```ts
 * assignLayerWeights(model, [["C1", [kernel, bias]]]);
 * ```
 */
export function assignLayerWeights(
  model: tf.LayersModel,
  layers: readonly (readonly [string, readonly Tensor[]])[],
): void {
  const updates = layers.map(([name, tensors]) => {
    const layer = model.getLayer(name);
    const current = layer.getWeights();
    if (current.length !== tensors.length) {
      throw new RangeError(
        `assignLayerWeights: layer ${name} has ${current.length} weights, got ${tensors.length}`,
      );
    }
    current.forEach((w, i) => {
      const shape = tensors[i].shape;
      if (shape.length !== w.shape.length || shape.some((d, k) => d !== w.shape[k])) {
        throw new RangeError(
          `assignLayerWeights: ${name} weight ${i} is [${w.shape.join(", ")}], got [${shape.join(", ")}]`,
        );
      }
    });
    return { layer, tensors };
  });
  for (const { layer, tensors } of updates) {
    const values = tensors.map((t) => tf.tensor(Float32Array.from(t.data), [...t.shape]));
    layer.setWeights(values);
    tf.dispose(values);
  }
}
