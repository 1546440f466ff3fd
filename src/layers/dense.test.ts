// Parity of denseLayer (tfjs's dense with lenet5's init) with src/scratch/dense.ts, on wasm and cpu.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as scratch from "../scratch/dense";
import { PAPER_LAYER_COUNTS } from "../paper";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";
import {
  assertLayerMatchesScratch,
  assertNoTensorLeak,
  randomTensor,
  saveAndLoad,
  testOnBackends,
  toTf,
  assertTrainingDescends,
} from "../test-support/parity";
import { denseLayer } from "./dense";

// Sums of 120 products (forward, F6) and N = 4 products (weight gradient) of magnitude ≤ 1.
const tolerance = { atol: 1e-4, rtol: 1e-4 };

testOnBackends("denseLayer (F6 shape): output, input and weight gradients match scratch", () => {
  assertLayerMatchesScratch({
    layer: denseLayer({ units: 84, inputUnits: 120 }),
    seed: 66,
    inputShape: [4, 120],
    weights: { weight: [120, 84], bias: [84] },
    forward: (x, { weight, bias }) => scratch.dense(x, weight, bias),
    backward: (x, { weight }, dy) => scratch.denseBackward(x, weight, dy),
    trainable: ["dWeight", "dBias"],
    tolerance,
  });
});

testOnBackends("denseLayer: F6's 10,164 parameters; paper init in ±2.4/120", () => {
  // The @example.
  const f6 = denseLayer({ units: 84, inputShape: [120], seed: 6 });
  const model = tf.sequential({ layers: [f6] });
  assert.equal(model.countParams(), 10164);
  assert.equal(model.countParams(), PAPER_LAYER_COUNTS.find((l) => l.name === "F6")?.params);
  const bound = 2.4 / 120; // 0.02, kernel and bias alike
  const values = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
  const largest = Math.max(...values.map(Math.abs));
  assert.ok(largest <= bound && largest > 0.99 * bound, `largest |w| ${largest}, bound ${bound}`);
  model.dispose();
  assert.throws(() => denseLayer({ units: 3 }), /needs the layer's input size/);
  const modern = tf.sequential({
    layers: [denseLayer({ units: 3, inputShape: [4], init: "glorotUniform", seed: 1 })],
  });
  assert.deepEqual(Array.from(modern.getWeights()[1].dataSync()), [0, 0, 0]); // zero biases
  modern.dispose();
});

testOnBackends("denseLayer: serialisation round trip; SGD lowers the loss, no leaks", async () => {
  const model = tf.sequential({ layers: [denseLayer({ units: 3, inputShape: [5], seed: 3 })] });
  const loaded = await saveAndLoad(model);
  const x = toTf(randomTensor([2, 5], new Rng(9)));
  const before = model.predict(x) as tf.Tensor;
  const after = loaded.predict(x) as tf.Tensor;
  assertClose(await after.data(), await before.data(), { atol: 0, rtol: 0, label: "reloaded" });
  assertNoTensorLeak(() => {
    model.predict(x);
  });
  const target = tf.zeros([2, 3]);
  assertTrainingDescends(model, x, target);
  tf.dispose([x, before, after, target]);
  model.dispose();
  loaded.dispose();
});
