import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend";
import { assignHistoricalParams, createHistorical, historicalParams } from "./historical";
import { summarizeModel } from "./summary";
import { PAPER_LAYER_COUNTS } from "../paper";
import { Rng } from "../rng";
import { zeros } from "../scratch/tensor";
import { rbfLoss } from "../layers/rbf-loss";
import { assertClose } from "../test-support/assert-close";
import { randomTensor, saveAndLoad, testOnBackends, toTf } from "../test-support/parity";

before(() => initBackend());

test("every layer's parameters and connections are the paper's (Section II-B)", () => {
  const model = createHistorical({ seed: 1 });
  const summary = summarizeModel("historical", model, "test");
  assert.deepEqual(
    summary.layers.map(({ name, params, connections }) => ({ name, params, connections })),
    PAPER_LAYER_COUNTS.map(({ name, params, connections }) => ({ name, params, connections })),
  );
  // The totals the paper prints: 60,000 trainable parameters, 340,908 connections.
  assert.equal(summary.totalParams, 60_000);
  assert.equal(summary.totalConnections, 340_908);
  assert.deepEqual(
    summary.layers.map((l) => l.outputShape),
    [[28, 28, 6], [14, 14, 6], [10, 10, 16], [5, 5, 16], [120], [84], [10]],
  );
  model.dispose();
});

test("doc example: createHistorical output shape", () => {
  const model = createHistorical({ seed: 1 });
  assert.deepEqual(model.outputShape, [null, 10]);
  model.dispose();
});

test("the same seed gives the same weights, another seed others", () => {
  const [a, b, c] = [1, 1, 2].map((seed) => createHistorical({ seed }));
  const weights = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
  assert.deepEqual(weights(a), weights(b));
  assert.notDeepEqual(weights(a), weights(c));
  // Paper init: C1's 25-input units start inside ±2.4/25.
  const c1 = a.getLayer("C1").getWeights()[0].dataSync();
  assert.ok(c1.every((w) => Math.abs(w) <= 2.4 / 25));
  [a, b, c].forEach((m) => m.dispose());
});

test("historicalParams and assignHistoricalParams: the record goes out and back unchanged", () => {
  const [source, target] = [1, 2].map((seed) => createHistorical({ seed }));
  const params = historicalParams(source);
  assert.deepEqual(params.c3.kernel.shape, [5, 5, 60]);
  assert.deepEqual(params.prototypes.shape, [10, 84]);
  assignHistoricalParams(target, params);
  const weights = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
  assert.deepEqual(weights(target), weights(source));
  const wrong = { ...params, f6: { ...params.f6, bias: zeros([83]) } };
  assert.throws(() => assignHistoricalParams(target, wrong), /F6 weight 1 is \[84\], got \[83\]/);
  [source, target].forEach((m) => m.dispose());
});

testOnBackends("a training step with the paper's loss lowers it and leaks no tensor", () => {
  const model = createHistorical({ seed: 4 });
  const rng = new Rng(8);
  const x = toTf(randomTensor([8, 32, 32, 1], rng, -0.1, 1.175));
  const labels = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], "int32");
  const optimizer = tf.train.sgd(0.01);
  const step = () =>
    tf.tidy(
      () =>
        optimizer
          .minimize(() => rbfLoss(labels, model.apply(x) as tf.Tensor2D), true)!
          .dataSync()[0],
    );
  const first = step(); // creates the optimizer's state
  const before = tf.memory().numTensors;
  let last = first;
  for (let i = 0; i < 3; i++) last = step();
  assert.equal(tf.memory().numTensors, before, "tensors leaked across training steps");
  assert.ok(last < first, `loss ${first} → ${last} should fall`);
  tf.dispose([x, labels]);
  optimizer.dispose();
  model.dispose();
});

test("the whole model survives a save/load round trip", async () => {
  await tf.setBackend("cpu");
  const model = createHistorical({ seed: 6 });
  const loaded = await saveAndLoad(model);
  const x = toTf(randomTensor([2, 32, 32, 1], new Rng(1)));
  assertClose(
    (loaded.predict(x) as tf.Tensor).dataSync(),
    (model.predict(x) as tf.Tensor).dataSync(),
    {
      atol: 0,
      rtol: 0,
      label: "reloaded historical",
    },
  );
  assert.equal(loaded.getLayer("OUTPUT").trainableWeights.length, 0, "RBF prototypes stay fixed");
});
