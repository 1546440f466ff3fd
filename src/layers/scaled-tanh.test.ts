// Parity of the tfjs ScaledTanh layer with src/scratch/scaled-tanh.ts, on wasm and cpu.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as scratch from "../scratch/scaled-tanh";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";
import {
  assertLayerMatchesScratch,
  assertNoTensorLeak,
  saveAndLoad,
  testOnBackends,
  assertTrainingDescends,
} from "../test-support/parity";
import { ScaledTanh, scaledTanh } from "./scaled-tanh";
import { SCALED_TANH, SCALED_TANH_GRAD, scaledTanhConfigs } from "../kernels/scaled-tanh";
import { registerLenet5Kernels } from "../kernels/register";

const tolerance = { atol: 1e-5, rtol: 1e-4 }; // one tanh per element: float32 rounding only

// A seeded init for the dense layer that feeds this one: the same losses on every run.
const seeded = tf.initializers.glorotUniform({ seed: 1 });

testOnBackends("scaledTanh: f(±1) = ±1 and f(0) = 0 (the paper's design point)", async () => {
  const y = scaledTanh(tf.tensor1d([1, -1])); // ≈ [1, -1]: f(±1) = ±1 by design
  // 1.7159 · tanh(2/3) = 1.7159 · 0.582784… = 1.000000 (to 5 digits)
  assertClose(await y.data(), [1, -1], { atol: 1e-4, rtol: 0, label: "f(±1)" });
  const zero = scaledTanh(tf.tensor1d([0]));
  assert.equal((await zero.data())[0], 0);
  tf.dispose([y, zero]);
});

testOnBackends("ScaledTanh layer: output and input gradient match the scratch twin", () => {
  assertLayerMatchesScratch({
    layer: new ScaledTanh(),
    seed: 11,
    inputShape: [2, 4, 4, 3],
    inputRange: [-3, 3],
    forward: (x) => scratch.scaledTanh(x),
    backward: (x, _, dy) => scratch.scaledTanhBackward(x, dy),
    tolerance,
  });
});

testOnBackends("ScaledTanh: serialisation round trip and no tensor leaks", async () => {
  // The @example: a model of one ScaledTanh layer maps zeros to zeros.
  const model = tf.sequential({ layers: [new ScaledTanh({ inputShape: [4] })] });
  const y = model.predict(tf.zeros([2, 4])) as tf.Tensor; // [2, 4], all 0
  assert.deepEqual(y.shape, [2, 4]);
  assert.deepEqual(Array.from(await y.data()), new Array(8).fill(0));
  y.dispose();

  const loaded = await saveAndLoad(model);
  assert.equal(loaded.layers[0].getClassName(), "ScaledTanh");
  const x = tf.tensor2d([[-2, -0.5, 0.5, 2]]);
  const before = model.predict(x) as tf.Tensor;
  const after = loaded.predict(x) as tf.Tensor;
  assertClose(await after.data(), await before.data(), { atol: 0, rtol: 0, label: "reloaded" });
  tf.dispose([x, before, after]);

  assertNoTensorLeak(() => {
    model.predict(tf.ones([3, 4]));
  });
  model.dispose();
  loaded.dispose();
});

testOnBackends("ScaledTanh inside a trainable model: SGD lowers the loss, no leaks", () => {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 3, inputShape: [2], kernelInitializer: seeded }),
      new ScaledTanh(),
    ],
  });
  const x = tf.tensor2d([[0.5, -1]]);
  const target = tf.tensor2d([[1, 0, -1]]);
  assertTrainingDescends(model, x, target);
  tf.dispose([x, target]);
  model.dispose();
});

test("wasm without the fused kernels (before initBackend): tfjs's ops, the same numbers", async () => {
  await tf.setBackend("wasm");
  const rng = new Rng(5);
  const x = tf.tensor1d(Float32Array.from({ length: 103 }, () => rng.uniform(-4, 4)));
  const run = async () => {
    const profile = await tf.profile(() => scaledTanh(x));
    const y = profile.result as tf.Tensor;
    const out = {
      y: (await y.data()) as Float32Array,
      kernels: profile.kernels.map((k) => k.name),
    };
    y.dispose();
    return out;
  };
  const fused = await run();
  assert.ok(fused.kernels.includes(SCALED_TANH), "registered: the fused kernel runs");
  for (const { kernelName } of scaledTanhConfigs) tf.unregisterKernel(kernelName, "wasm");
  try {
    const plain = await run();
    assert.ok(!plain.kernels.includes(SCALED_TANH) && plain.kernels.includes("Tanh"), "tfjs ops");
    assertClose(plain.y, fused.y, { atol: 1e-6, rtol: 1e-6, label: "y" });
  } finally {
    assert.deepEqual(
      registerLenet5Kernels().added,
      [SCALED_TANH, SCALED_TANH_GRAD].map((name) => `wasm/${name}`),
    );
    x.dispose();
  }
});
