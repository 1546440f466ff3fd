// Parity of maxPoolLayer (tfjs's built-in 2×2 max pooling) with src/scratch/max-pool.ts, on wasm
// and cpu.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as scratch from "../scratch/max-pool";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";
import {
  assertNoTensorLeak,
  layerGradients,
  randomTensor,
  saveAndLoad,
  testOnBackends,
  toTf,
} from "../test-support/parity";
import { maxPoolLayer } from "./max-pool";

testOnBackends("maxPoolLayer: shape of the @example and a hand-checked block", async () => {
  const model = tf.sequential({ layers: [maxPoolLayer({ inputShape: [28, 28, 6] })] });
  assert.deepEqual(model.outputShape, [null, 14, 14, 6]);
  model.dispose();
  // One 2×2 block [[1, 4], [3, 2]]: max 4, and the whole gradient goes to the 4.
  const layer = maxPoolLayer();
  const x = tf.tensor4d([1, 4, 3, 2], [1, 2, 2, 1]);
  const got = layerGradients(layer, x, tf.tensor4d([7], [1, 1, 1, 1]));
  assert.deepEqual(Array.from(got.y), [4]);
  assert.deepEqual(Array.from(got.dx), [0, 7, 0, 0]);
  x.dispose();
});

testOnBackends("maxPoolLayer: output and input gradient match scratch", () => {
  const rng = new Rng(88);
  const x = randomTensor([2, 6, 8, 3], rng); // distinct random values: no ties
  const r = randomTensor([2, 3, 4, 3], rng);
  const [xTf, rTf] = [x, r].map(toTf);
  const got = layerGradients(maxPoolLayer(), xTf, rTf);
  assertClose(got.y, scratch.maxPool(x).data, { atol: 0, rtol: 0, label: "y" }); // exact
  assertClose(got.dx, scratch.maxPoolBackward(x, r).data, { atol: 0, rtol: 0, label: "dx" });
  tf.dispose([xTf, rTf]);
});

testOnBackends("maxPoolLayer: serialisation round trip, no leaks", async () => {
  const model = tf.sequential({ layers: [maxPoolLayer({ inputShape: [4, 4, 1] })] });
  const loaded = await saveAndLoad(model);
  const x = toTf(randomTensor([1, 4, 4, 1], new Rng(10)));
  const before = model.predict(x) as tf.Tensor;
  const after = loaded.predict(x) as tf.Tensor;
  assertClose(await after.data(), await before.data(), { atol: 0, rtol: 0, label: "reloaded" });
  assertNoTensorLeak(() => {
    model.predict(x);
  });
  tf.dispose([x, before, after]);
  model.dispose();
  loaded.dispose();
});
