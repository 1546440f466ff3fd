// Tests for the wasm Tanh kernel: fastTanh against Math.tanh (the plain reference) over the
// whole float range that matters, the kernel against it and against the cpu backend, and the
// gradient of the paper's squashing function through it.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "../test-support/register-kernels"; // the kernels, as initBackend() registers them
import { fastTanh } from "./tanh";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";

test("doc example: fastTanh(0.5) ≈ 0.46211716; fastTanh(20) is the clamp value 1 − 2⁻²²", () => {
  assert.ok(Math.abs(fastTanh(0.5) - Math.tanh(0.5)) < 1e-7);
  // Past the clamp every x gives the approximation's value at 7.9053: 4 float32 ulps below 1.
  assert.equal(Math.fround(fastTanh(20)), 1 - 2 ** -22);
  assert.equal(fastTanh(-0.0001), -0.0001); // tanh(x) = x in float32 this close to 0
});

test("fastTanh stays within 2.5e−7 of Math.tanh on [−12, 12]", () => {
  // 2.5e−7 is 4 float32 ulps near 1 (an ulp there is 2⁻²⁴ ≈ 6e−8); the worst case is past the clamp.
  let worst = 0;
  for (let i = -120_000; i <= 120_000; i++) {
    const x = i / 10_000;
    worst = Math.max(worst, Math.abs(Math.fround(fastTanh(x)) - Math.tanh(x)));
  }
  assert.ok(worst < 2.5e-7, `worst error ${worst}`);
});

test("wasm tanh and the squashing function's gradient match cpu", async () => {
  const rng = new Rng(21);
  const values = Float32Array.from({ length: 4 * 28 * 28 * 6 }, () => rng.normal() * 3);
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    return tf.tidy(() => {
      const a = tf.tensor4d(values, [4, 28, 28, 6]);
      // f(a) = 1.7159·tanh(2a/3), the paper's squashing function, and its gradient.
      const f = (t: tf.Tensor) => tf.mul(1.7159, tf.tanh(tf.mul(t, 2 / 3)));
      const y = f(a).dataSync() as Float32Array;
      const dy = tf
        .grad((t: tf.Tensor) => tf.sum(f(t)))(a)
        .dataSync() as Float32Array;
      return { y, dy };
    });
  };
  const cpu = await run("cpu");
  const before = tf.memory().numTensors;
  const wasm = await run("wasm");
  assert.equal(tf.memory().numTensors, before, "tensors leaked");
  assertClose(wasm.y, cpu.y, { atol: 1e-6, rtol: 1e-6, label: "f(a)" });
  assertClose(wasm.dy, cpu.dy, { atol: 1e-6, rtol: 1e-5, label: "f'(a)" });
  const reference = Float32Array.from(values, (v) => 1.7159 * Math.tanh((2 / 3) * v));
  assertClose(wasm.y, reference, { atol: 1e-6, rtol: 1e-6, label: "f(a) vs Math.tanh" });
});
