// Tests of trainingForward: the same outputs and the same weight gradients as
// model.apply(x, { training: true }) for every lenet5 model, without C1's input gradient.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend";
import { MODEL_NAMES, MODEL_SPECS, createModel } from "../models/registry";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";
import { trainingForward } from "./training-forward";

before(() => initBackend("wasm"));

test("doc example: trainingForward gives the model's output shape", () => {
  const model = createModel("modern", { seed: 1 });
  const logits = tf.tidy(() => trainingForward(model, tf.zeros([2, 28, 28, 1])));
  assert.deepEqual(logits.shape, [2, 10]);
  logits.dispose();
  model.dispose();
});

for (const name of MODEL_NAMES) {
  test(`${name}: same outputs and weight gradients as model.apply`, () => {
    const side = MODEL_SPECS[name].inputSize;
    const rng = new Rng(8);
    const model = createModel(name, { seed: 3 });
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const x = tf.tensor4d(
      Float32Array.from({ length: 3 * side * side }, () => rng.normal()),
      [3, side, side, 1],
    ); // [3, S, S, 1]
    const r = tf.tensor2d(
      Float32Array.from({ length: 30 }, () => rng.normal()),
      [3, 10],
    ); // [3, 10]
    const run = (forward: () => tf.Tensor) =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(forward(), r)), variables);
        return {
          value: value.dataSync()[0],
          grads: variables.map((v) => grads[v.name].dataSync() as Float32Array),
        };
      });
    const reference = run(() => model.apply(x, { training: true }) as tf.Tensor);
    const plain = run(() => trainingForward(model, x));
    assert.ok(Math.abs(plain.value - reference.value) <= 1e-4 * (1 + Math.abs(reference.value)));
    plain.grads.forEach((g, i) =>
      assertClose(g, reference.grads[i], { atol: 1e-4, rtol: 1e-4, label: variables[i].name }),
    );
    tf.dispose([x, r]);
    model.dispose();
  });
}

test("no gradient is computed for the input images (one Conv2DBackpropInput fewer)", async () => {
  const model = createModel("modern", { seed: 1 });
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const x = tf.zeros([2, 28, 28, 1]) as tf.Tensor4D;
  const count = async (forward: () => tf.Tensor) => {
    const profile = await tf.profile(() =>
      tf.tidy(() => {
        tf.dispose(tf.variableGrads(() => tf.sum(forward()), variables).grads);
      }),
    );
    return profile.kernels.filter((k) => k.name === "Conv2DBackpropInput").length;
  };
  // modern: C1, C3, C5 convolutions; only C3's and C5's inputs lead back to a weight.
  assert.equal(await count(() => model.apply(x, { training: true }) as tf.Tensor), 3);
  assert.equal(await count(() => trainingForward(model, x)), 2);
  x.dispose();
  model.dispose();
});

test("modern on wasm: each ReLU + max pool pair runs as the fused op, forward and backward", async () => {
  const model = createModel("modern", { seed: 1 });
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const x = tf.zeros([2, 28, 28, 1]) as tf.Tensor4D;
  const profile = await tf.profile(() =>
    tf.tidy(() => {
      tf.dispose(tf.variableGrads(() => tf.sum(trainingForward(model, x)), variables).grads);
    }),
  );
  const calls = (name: string) => profile.kernels.filter((k) => k.name === name).length;
  // C1 → S2 and C3 → S4 fused; only C5's and F6's ReLUs remain as layers.
  assert.equal(calls("Lenet5ReluMaxPool2x2"), 2);
  assert.equal(calls("Lenet5ReluMaxPool2x2Grad"), 2);
  assert.equal(calls("MaxPool"), 0);
  assert.equal(calls("MaxPoolGrad"), 0);
  assert.equal(calls("Relu"), 2);
  x.dispose();
  model.dispose();
});
