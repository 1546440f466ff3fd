// Tests for the fused SDLM update: the reference worked by hand, then the kernels (wasm SIMD,
// wasm's JavaScript fallback loop, cpu) against the reference and against the old op chain, bit
// for bit, with and without a Hessian estimate, at odd sizes; the fallback to the op chain, the
// input checks and leaks. (src/kernels/simd-kernels.test.ts checks the compiled module.)
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { registerLenet5Kernels } from "./register";
import {
  SDLM_UPDATE,
  SDLM_UPDATE_BACKENDS,
  sdlmUpdate,
  sdlmUpdateOps,
  sdlmUpdateReference,
} from "./sdlm-update";
import { simdKernelsFor } from "./simd-kernels";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";
import { KERNEL_MODES, inKernelMode, restoreBackendAfterTests } from "../test-support/kernel-modes";

const values = (t: tf.Tensor) => Array.from(t.dataSync());

restoreBackendAfterTests();

test("doc example and by hand: the reference with and without a Hessian estimate", () => {
  // rate 0.1, μ 0.1, h = [0.9, 0.1]: ε = [0.1/1, 0.1/0.2] = [0.1, 0.5]; g = [1, 1]
  const wNew = sdlmUpdateReference(
    Float32Array.of(1, 1),
    Float32Array.of(1, 1),
    Float32Array.of(0.9, 0.1),
    { rate: 0.1, mu: 0.1 },
  ); // ≈ [0.9, 0.5]
  assertClose(wNew, [0.9, 0.5], { atol: 1e-7, rtol: 0 });
  // No estimate (h = 0): rate 0.5·4 (η = 0.5, batch of 4 summed), μ 0.02 → ε = 2/0.02 = 100;
  // w = [1, −1], g = [0.01, −0.002] → w' = [1 − 1, −1 + 0.2] = [0, −0.8].
  const noHessian = sdlmUpdateReference(
    Float32Array.of(1, -1),
    Float32Array.of(0.01, -0.002),
    null,
    {
      rate: 0.5 * 4,
      mu: 0.02,
    },
  );
  assertClose(noHessian, [0, -0.8], { atol: 1e-6, rtol: 0 });
});

test("the registration (as initBackend runs it) put the kernel on both backends", () => {
  for (const backendName of SDLM_UPDATE_BACKENDS) {
    assert.notEqual(tf.getKernel(SDLM_UPDATE, backendName), undefined, backendName);
  }
});

test("wasm: the SIMD loops are in use in Node", async () => {
  await tf.setBackend("wasm");
  const ones = tf.ones([6]);
  const wNew = sdlmUpdate(ones, ones, null, { rate: 0.1, mu: 1 }); // 1 − (0.1/1)·1 = 0.9
  assert.equal(typeof simdKernelsFor(tf.backend())?.sdlmUpdateNoHessian, "function");
  assertClose(values(wNew), [0.9, 0.9, 0.9, 0.9, 0.9, 0.9], { atol: 1e-7, rtol: 0 });
  tf.dispose([ones, wNew]);
});

for (const mode of KERNEL_MODES) {
  test(`${mode}: doc examples of sdlmUpdate and sdlmUpdateOps`, async () => {
    await inKernelMode(mode, () => {
      const before = tf.memory().numTensors;
      const w = tf.tensor1d([1, 1]);
      const h = tf.tensor1d([0.9, 0.1]); // rates 0.1/(0.9 + 0.1) = 0.1 and 0.1/(0.1 + 0.1) = 0.5
      const g = tf.tensor1d([1, 1]);
      const wNew = sdlmUpdate(w, g, h, { rate: 0.1, mu: 0.1 }); // ≈ [0.9, 0.5]
      assertClose(values(wNew), [0.9, 0.5], { atol: 1e-7, rtol: 0 });
      assert.deepEqual(values(w), [1, 1], "sdlmUpdate changed its input w");
      const viaOps = tf.tidy(() =>
        values(
          sdlmUpdateOps(tf.tensor1d([1, 1]), tf.tensor1d([1, 1]), tf.tensor1d([0.9, 0.1]), {
            rate: 0.1,
            mu: 0.1,
          }),
        ),
      ); // ≈ [0.9, 0.5]
      assertClose(viaOps, [0.9, 0.5], { atol: 1e-7, rtol: 0 });
      tf.dispose([w, h, g, wNew]);
      assert.equal(tf.memory().numTensors, before, "tensors leaked");
    });
  });

  // 1, 7 and 150 leave 1, 3 and 2 elements after the SIMD loop's groups of four; 48120 is C5's.
  for (const size of [1, 7, 150, 48120]) {
    test(`${mode}, ${size} weights: kernel = reference = the op chain, bit for bit, with and without h`, async () => {
      await inKernelMode(mode, () => {
        const rng = new Rng(size + 1);
        const uniform = (low: number, high: number) =>
          Float32Array.from({ length: size }, () => rng.uniform(low, high));
        const wValues = uniform(-1, 1);
        const w = tf.tensor1d(wValues); // [size]
        // h_kk ≥ 0 from tiny to large, gradients of mixed scale; rates as the trainer makes them.
        const hValues = uniform(0, 1).map((x, k) => x * 10 ** ((k % 7) - 5));
        const h = tf.tensor1d(hValues); // [size]
        for (const [step, hyper] of [
          { rate: 5e-4 * 64, mu: 6.4 },
          { rate: 1e-5, mu: 0.02 },
          { rate: 0.3, mu: 1e-3 },
        ].entries()) {
          const gValues = uniform(-1, 1).map((x, k) => x * 10 ** -(k % 4));
          const g = tf.tensor1d(gValues); // [size]
          for (const [label, hTensor, hArray] of [
            ["with h", h, hValues],
            ["no h", null, null],
          ] as const) {
            const before = tf.memory().numTensors;
            const fused = sdlmUpdate(w, g, hTensor, hyper); // [size]
            assert.equal(tf.memory().numTensors, before + 1, "the kernel returns one new tensor");
            const chain = sdlmUpdateOps(w, g, hTensor, hyper); // [size]
            const reference = sdlmUpdateReference(wValues, gValues, hArray, hyper);
            assert.deepEqual(fused.dataSync(), reference, `${label}, ${step}: vs reference`);
            assert.deepEqual(fused.dataSync(), chain.dataSync(), `${label}, ${step}: vs ops`);
            tf.dispose([fused, chain]);
            assert.equal(tf.memory().numTensors, before, "tensors leaked");
          }
          g.dispose();
        }
        tf.dispose([w, h]);
      });
    });
  }

  test(`${mode}: sdlmUpdate refuses other shapes and dtypes`, async () => {
    await inKernelMode(mode, () => {
      const w = tf.zeros([2, 3]);
      const flat = tf.zeros([6]);
      const ints = tf.zeros([2, 3], "int32");
      const hyper = { rate: 0.1, mu: 0.1 };
      assert.throws(() => sdlmUpdate(w, w, flat, hyper), /h has shape \[6\], w \[2,3\]/);
      assert.throws(() => sdlmUpdate(w, ints, null, hyper), /g is int32, not float32/);
      tf.dispose([w, flat, ints]);
    });
  });
}

test("cpu: without the kernel sdlmUpdate runs the op chain; registering puts the kernel back", async () => {
  await tf.setBackend("cpu");
  const w = tf.tensor2d([
    [0.5, -1],
    [2, 0.25],
  ]);
  const g = tf.tensor2d([
    [1, -2],
    [0.5, 0],
  ]);
  const h = tf.tensor2d([
    [0.01, 4],
    [0, 0.3],
  ]);
  const hyper = { rate: 0.02, mu: 0.1 };
  const chain = sdlmUpdateOps(w, g, h, hyper);
  tf.unregisterKernel(SDLM_UPDATE, "cpu");
  try {
    const before = tf.memory().numTensors;
    const fallback = sdlmUpdate(w, g, h, hyper);
    assert.equal(tf.memory().numTensors, before + 1, "the op chain's intermediates leaked");
    assert.deepEqual(values(fallback), values(chain));
    assert.deepEqual(fallback.shape, [2, 2]);
    fallback.dispose();
  } finally {
    assert.deepEqual(registerLenet5Kernels().added, [`cpu/${SDLM_UPDATE}`]);
  }
  const fused = sdlmUpdate(w, g, h, hyper);
  assert.deepEqual(fused.shape, [2, 2]);
  assert.deepEqual(values(fused), values(chain));
  tf.dispose([w, g, h, chain, fused]);
});
