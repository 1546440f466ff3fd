// Parity of maxPoolLayer (tfjs's built-in 2×2 max pooling) with src/scratch/max-pool.ts, on wasm
// and cpu.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as scratch from "../scratch/max-pool";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";
import {
  assertLayerMatchesScratch,
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
  assertLayerMatchesScratch({
    layer: maxPoolLayer(),
    seed: 88,
    inputShape: [2, 6, 8, 3], // distinct random values: no ties
    forward: (x) => scratch.maxPool(x),
    backward: (x, _, dy) => scratch.maxPoolBackward(x, dy),
    tolerance: { atol: 0, rtol: 0 }, // exact: a maximum and a copied gradient
  });
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
