// Parity of the tfjs ScaledTanh layer with src/scratch/scaled-tanh.ts, on wasm and cpu.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as scratch from "../scratch/scaled-tanh";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";
import {
  assertNoTensorLeak,
  layerGradients,
  randomTensor,
  saveAndLoad,
  testOnBackends,
  toTf,
  trainStep,
} from "../test-support/parity";
import {
  SCALED_TANH,
  SCALED_TANH_GRAD,
  ScaledTanh,
  registerScaledTanhWasm,
  scaledTanh,
  scaledTanhReference,
} from "./scaled-tanh";
import { SCALED_TANH_A, SCALED_TANH_S } from "../paper";

const tolerance = { atol: 1e-5, rtol: 1e-4 }; // one tanh per element: float32 rounding only

testOnBackends("scaledTanh: f(±1) = ±1 and f(0) = 0 (the paper's design point)", async () => {
  const y = scaledTanh(tf.tensor1d([1, -1])); // ≈ [1, -1]: f(±1) = ±1 by design
  // 1.7159 · tanh(2/3) = 1.7159 · 0.582784… = 1.000000 (to 5 digits)
  assertClose(await y.data(), [1, -1], { atol: 1e-4, rtol: 0, label: "f(±1)" });
  const zero = scaledTanh(tf.tensor1d([0]));
  assert.equal((await zero.data())[0], 0);
  tf.dispose([y, zero]);
});

testOnBackends("ScaledTanh layer: output and input gradient match the scratch twin", () => {
  const rng = new Rng(11);
  const x = randomTensor([2, 4, 4, 3], rng, -3, 3);
  const r = randomTensor([2, 4, 4, 3], rng);
  const layer = new ScaledTanh();
  const [xTf, rTf] = [toTf(x), toTf(r)];
  const got = layerGradients(layer, xTf, rTf);
  assertClose(got.y, scratch.scaledTanh(x).data, { ...tolerance, label: "y" });
  assertClose(got.dx, scratch.scaledTanhBackward(x, r).data, { ...tolerance, label: "dx" });
  assert.equal(got.dWeights.length, 0);
  tf.dispose([xTf, rTf]);
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

testOnBackends("ScaledTanh inside a trainable model: one step, no leaks", () => {
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: 3, inputShape: [2] }), new ScaledTanh()],
  });
  const x = tf.tensor2d([[0.5, -1]]);
  const target = tf.tensor2d([[1, 0, -1]]);
  assert.ok(Number.isFinite(trainStep(model, x, target)));
  tf.dispose([x, target]);
  model.dispose();
});

test("scaledTanhReference: the TSDoc example (the slope at the origin is A·S)", () => {
  const { y, dx } = scaledTanhReference(Float32Array.from([0]), Float32Array.from([1]));
  assert.deepEqual(Array.from(y), [0]);
  assertClose(dx, [SCALED_TANH_A * SCALED_TANH_S], { atol: 1e-7, rtol: 1e-7, label: "dx" });
});

test("registerScaledTanhWasm guards against double registration", () => {
  assert.equal(registerScaledTanhWasm(), false);
});

// The fused wasm kernels against the float64 reference: a length that leaves a tail (4k + 3),
// the clamp at |S·x| ≥ 7.9, values below the rational's "tiny" cut, and C1's batch-64 size.
for (const [label, length, spread] of [
  ["tail of 3", 4 * 25 + 3, 3],
  ["large |x| (clamped)", 64, 40],
  ["tiny |x|", 37, 1e-3],
  ["C1 at batch 64", 64 * 28 * 28 * 6, 4],
] as const) {
  test(`fused wasm scaledTanh and gradient match the reference: ${label}`, async () => {
    await tf.setBackend("wasm");
    const rng = new Rng(length);
    const x = Float32Array.from({ length }, () => rng.uniform(-spread, spread));
    const dy = Float32Array.from({ length }, () => rng.uniform(-1, 1));
    const before = tf.memory().numTensors;
    const { y, dx, kernels } = await (async () => {
      const profile = await tf.profile(() =>
        tf.tidy(() => {
          const input = tf.tensor1d(x);
          const [value, grad] = [
            scaledTanh(input),
            tf.grad((t: tf.Tensor) => tf.sum(tf.mul(scaledTanh(t), tf.tensor1d(dy))))(input),
          ];
          return [tf.keep(value), tf.keep(grad)];
        }),
      );
      const [value, grad] = profile.result as tf.Tensor[];
      const out = {
        y: (await value.data()) as Float32Array,
        dx: (await grad.data()) as Float32Array,
        kernels: profile.kernels.map((k) => k.name),
      };
      tf.dispose([value, grad]);
      return out;
    })();
    assert.equal(tf.memory().numTensors, before, "tensors leaked");
    assert.ok(kernels.includes(SCALED_TANH) && kernels.includes(SCALED_TANH_GRAD), "fused");
    assert.ok(!kernels.includes("Tanh"), "no unfused tanh");
    const reference = scaledTanhReference(x, dy);
    // The rational approximation is within 2.4e-7 of tanh (../kernels/tanh.ts), times A, plus float32
    // rounding of |f| ≤ 1.7159 and of the slope (≤ A·S ≈ 1.14).
    assertClose(y, reference.y, { atol: 1e-6, rtol: 1e-6, label: "y" });
    assertClose(dx, reference.dx, { atol: 2e-6, rtol: 1e-5, label: "dx" });
  });
}
