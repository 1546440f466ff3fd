// Test-only helper (not part of the package): a whole net's loss and gradients from the scratch
// pass (src/scratch/historical.ts, modern.ts) against tfjs autograd on the tfjs model with the
// same weights.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { namedTensors, type Tensor } from "../scratch/tensor";
import { assertClose } from "./assert-close";
import { toTf } from "./parity";

/**
 * tf.variableGrads of `loss(labels, model(x))` over the model's trainable weights against the
 * scratch pass's `expected` loss and gradient record (the same order as the weights): the loss
 * to rtol 1e-5, each gradient to rtol 1e-3 and atol 1e-4 of its largest value.
 */
export function assertMatchesAutograd(
  model: tf.LayersModel,
  loss: (labels: tf.Tensor1D, outputs: tf.Tensor2D) => tf.Scalar,
  x: Tensor,
  labels: readonly number[],
  expected: { readonly loss: number; readonly gradients: object },
): void {
  const grads = namedTensors(expected.gradients);
  const xt = toTf(x);
  const labelsT = tf.tensor1d([...labels], "int32");
  const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads: autograd } = tf.variableGrads(
    () => loss(labelsT, model.apply(xt) as tf.Tensor2D),
    weights,
  );
  try {
    assertClose([value.dataSync()[0]], [expected.loss], { rtol: 1e-5, label: "loss" });
    assert.equal(weights.length, grads.length);
    weights.forEach((w, i) => {
      const [name, grad] = grads[i];
      const scale = Math.max(...Array.from(grad.data, Math.abs));
      assertClose(autograd[w.name].dataSync(), grad.data, {
        rtol: 1e-3,
        atol: 1e-4 * scale,
        label: `d${name} (${model.trainableWeights[i].originalName})`,
      });
    });
  } finally {
    tf.dispose([xt, labelsT, value, ...Object.values(autograd)]);
  }
}
