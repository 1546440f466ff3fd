import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend";
import { createModern } from "./modern";
import { summarizeModel } from "./summary";
import { Rng } from "../rng";
import { softmaxCrossEntropy } from "../layers/softmax-cross-entropy";
import { randomTensor, testOnBackends, toTf } from "../test-support/parity";

before(() => initBackend());

test("doc example: 61,706 parameters without batch norm, 61,750 with it", () => {
  // conv 156 + conv 2,416 + conv 48,120 + dense 10,164 + dense 850 = 61,706 (the seed page's count)
  assert.equal(createModern({ seed: 1 }).countParams(), 61_706);
  const withOptions = createModern({ seed: 1, batchNorm: true, dropout: 0.5 });
  const trainable = summarizeModel("modern", withOptions, "test").totalParams;
  assert.equal(trainable, 61_706 + 2 * (6 + 16)); // γ and β per channel after C1 and C3
  assert.equal(withOptions.countParams(), trainable + 2 * (6 + 16)); // + moving mean and variance
});

test("shapes: 28×28 in, C1 'same' keeps 28×28, C5 is 1×1×120, 10 logits out", () => {
  const summary = summarizeModel("modern", createModern(), "test");
  assert.deepEqual(
    summary.layers.map((l) => [l.name, l.outputShape]),
    [
      ["C1", [28, 28, 6]],
      ["S2", [14, 14, 6]],
      ["C3", [10, 10, 16]],
      ["S4", [5, 5, 16]],
      ["C5", [120]],
      ["F6", [84]],
      ["OUTPUT", [10]],
    ],
  );
  // Max pooling reads 4 inputs per unit and has no weights.
  assert.deepEqual(summary.layers[1], {
    name: "S2",
    outputShape: [14, 14, 6],
    params: 0,
    connections: 14 * 14 * 6 * 4,
  });
});

test("He-normal (fan_out) weights, zero biases", () => {
  const model = createModern({ seed: 2 });
  const [kernel, bias] = model.getLayer("C5").getWeights();
  const values = kernel.dataSync() as Float32Array;
  const std = Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
  const expected = Math.sqrt(2 / (5 * 5 * 120)); // fan_out = K·K·Cout
  assert.ok(Math.abs(std - expected) / expected < 0.02, `std ${std} vs ${expected}`);
  assert.ok(bias.dataSync().every((b) => b === 0));
});

test("a dropout rate outside [0, 1) is refused", () => {
  assert.throws(() => createModern({ dropout: 1 }), /dropout must be in \[0, 1\)/);
});

testOnBackends("training steps with batch norm and dropout lower the loss and leak nothing", () => {
  const model = createModern({ seed: 3, batchNorm: true, dropout: 0.25 });
  const x = toTf(randomTensor([16, 28, 28, 1], new Rng(4)));
  const labels = tf.tensor1d(
    Array.from({ length: 16 }, (_, i) => i % 10),
    "int32",
  );
  const optimizer = tf.train.adam(1e-2);
  const step = () =>
    tf.tidy(() => {
      const loss = optimizer.minimize(
        () => softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor2D),
        true,
      );
      return loss!.dataSync()[0];
    });
  const first = step();
  const before = tf.memory().numTensors;
  let last = first;
  for (let i = 0; i < 5; i++) last = step();
  assert.equal(tf.memory().numTensors, before, "tensors leaked across training steps");
  assert.ok(last < first, `loss ${first} → ${last} should fall`);
  tf.dispose([x, labels]);
  optimizer.dispose();
  model.dispose();
});
