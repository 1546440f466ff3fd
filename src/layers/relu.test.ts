// Parity of reluLayer (tfjs's built-in ReLU) with src/scratch/relu.ts, on wasm and cpu.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as scratch from "../scratch/relu";
import {
  assertLayerMatchesScratch,
  assertNoTensorLeak,
  saveAndLoad,
  testOnBackends,
} from "../test-support/parity";
import { reluLayer } from "./relu";

testOnBackends("reluLayer: the hand-checked example and the gradient at 0", async () => {
  // The @example: [[-1, 0, 2]] → [[0, 0, 2]].
  const model = tf.sequential({ layers: [reluLayer({ inputShape: [3] })] });
  const y = model.predict(tf.tensor2d([[-1, 0, 2]])) as tf.Tensor; // [[0, 0, 2]]
  assert.deepEqual(Array.from(await y.data()), [0, 0, 2]);
  // Like the scratch twin, no gradient passes at x = 0: dy = [5, 5, 5] → dx = [0, 0, 5].
  const x = tf.tensor2d([[-2, 0, 3]]);
  const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(model.apply(input) as tf.Tensor, 5)))(x);
  assert.deepEqual(Array.from(await dx.data()), [0, 0, 5]);
  tf.dispose([y, x, dx]);
  model.dispose();
});

testOnBackends("reluLayer: output and input gradient match scratch", () => {
  assertLayerMatchesScratch({
    layer: reluLayer(),
    seed: 77,
    inputShape: [2, 4, 4, 3],
    forward: (x) => scratch.relu(x),
    backward: (x, _, dy) => scratch.reluBackward(x, dy),
    tolerance: { atol: 0, rtol: 0 }, // exact: ReLU only copies or zeroes
  });
});

testOnBackends("reluLayer: serialisation round trip, no leaks", async () => {
  const model = tf.sequential({ layers: [reluLayer({ inputShape: [4], name: "r" })] });
  const loaded = await saveAndLoad(model);
  assert.equal(loaded.layers[0].name, "r");
  const x = tf.tensor2d([[-1, 2, -3, 4]]);
  const after = loaded.predict(x) as tf.Tensor;
  assert.deepEqual(Array.from(await after.data()), [0, 2, 0, 4]);
  assertNoTensorLeak(() => {
    model.predict(x);
  });
  tf.dispose([x, after]);
  model.dispose();
  loaded.dispose();
});
