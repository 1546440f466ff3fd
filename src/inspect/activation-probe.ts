/**
 * Every paper layer's output in one forward pass: {@link paperLayers} finds, in any lenet5 model,
 * the tfjs layer that shows each of the paper's layers (C1 … C5, F6, OUTPUT), and
 * {@link activationProbe} wraps the model so that one `predict` returns all of them. What the
 * site's interactive LeNet-5 draws and the notebooks' feature maps read; no paper formula here.
 *
 * Input shape: one normalised input [size, size], size 32 (the LeNet-5s) or 28 (`modern`).
 * Output shape: per paper layer, the activation without its batch axis (C1 [28, 28, 6] … OUTPUT
 * [10]).
 */
import * as tf from "@tensorflow/tfjs";

/** One paper layer's output for one input. */
export interface LayerActivation {
  /** The paper's name: C1, S2, C3, S4, C5, F6 or OUTPUT. */
  readonly name: string;
  /** The tfjs layer it was read from (after the squashing function: "C1_tanh", "C1_relu", …). */
  readonly layer: string;
  /** Shape without the batch axis, e.g. [28, 28, 6]. */
  readonly shape: readonly number[];
  /** The activation values, row-major (NHWC without N); length = product of `shape`. */
  readonly data: Float32Array;
}

/** Runs a model once and returns every paper layer's output; see {@link activationProbe}. */
export interface ActivationProbe {
  /** The paper layers it reports, in order, with the tfjs layer each is read from. */
  readonly layers: readonly {
    /** The paper's name: C1, S2, C3, S4, C5, F6 or OUTPUT. */
    readonly name: string;
    /** The tfjs layer the output is read from. */
    readonly layer: string;
  }[];
  /** Input side the model expects (28 or 32). */
  readonly inputSize: number;
  /** One forward pass on one input [size, size] (row-major, already normalised). */
  run(input: Float32Array): LayerActivation[];
}

/** Layers that reshape or regularise but compute nothing worth showing. */
const PASS_THROUGH = new Set(["Flatten", "Dropout"]);

/**
 * Which tfjs layer shows each paper layer: layers are grouped by the name before "_" (C1,
 * C1_bn, C1_relu → C1) and each group is read at its last computing layer, i.e. after its
 * squashing function or ReLU, not after a Flatten or Dropout.
 * @example
 * ```ts
 * paperLayers(createModel("historical")).map((l) => l.layer);
 * // ["C1_tanh", "S2_tanh", "C3_tanh", "S4_tanh", "C5_tanh", "F6_tanh", "OUTPUT"]
 * ```
 */
export function paperLayers(model: tf.LayersModel): {
  /** The paper's name: C1, S2, C3, S4, C5, F6 or OUTPUT. */
  name: string;
  /** The tfjs layer that shows it (its group's last computing layer). */
  layer: string;
}[] {
  const chosen = new Map<string, string>();
  for (const layer of model.layers) {
    if (PASS_THROUGH.has(layer.getClassName())) continue;
    chosen.set(layer.name.split("_")[0], layer.name); // later layers of a group replace earlier
  }
  return [...chosen].map(([name, layer]) => ({ name, layer }));
}

/**
 * Wraps `model` in a multi-output model that returns every paper layer's output (see
 * {@link paperLayers}) from one forward pass; reading them back is synchronous. The probe shares
 * the model's layers and weights: dispose the model, not the probe.
 *
 * Input shape (of `run`): one normalised input [size, size], size 32 or 28 (`modern`). Output
 * shape: per paper layer, the activation without its batch axis (historical: C1 [28, 28, 6],
 * S2 [14, 14, 6], C3 [10, 10, 16], S4 [5, 5, 16], C5 [1, 1, 120], F6 [84], OUTPUT [10]).
 * @example
 * ```ts
 * const probe = activationProbe(createModel("historical"));
 * const [c1] = probe.run(new Float32Array(32 * 32).fill(-0.1));
 * c1.shape; // [28, 28, 6]
 * ```
 */
export function activationProbe(model: tf.LayersModel): ActivationProbe {
  const layers = paperLayers(model);
  const probe = tf.model({
    inputs: model.inputs,
    outputs: layers.map(({ layer }) => model.getLayer(layer).output as tf.SymbolicTensor),
  });
  const inputShape = model.inputs[0].shape; // [null, size, size, 1]
  const inputSize = inputShape[1] as number;
  return {
    layers,
    inputSize,
    run(input: Float32Array): LayerActivation[] {
      if (input.length !== inputSize * inputSize) {
        throw new RangeError(
          `activationProbe: input must hold ${inputSize}×${inputSize} values, got ${input.length}`,
        );
      }
      const outputs = tf.tidy(() => {
        const x = tf.tensor4d(input, [1, inputSize, inputSize, 1]); // [1, size, size, 1]
        return probe.predict(x) as tf.Tensor[]; // one [1, …] tensor per paper layer
      });
      try {
        return outputs.map((output, i) => ({
          ...layers[i],
          shape: output.shape.slice(1),
          data: output.dataSync() as Float32Array,
        }));
      } finally {
        tf.dispose(outputs);
      }
    },
  };
}
