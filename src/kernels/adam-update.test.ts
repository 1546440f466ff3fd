// Tests for the fused Adam update: the reference worked by hand, then the kernels (wasm SIMD,
// wasm's JavaScript fallback loop, cpu) against the reference and against the old 13-op chain,
// bit for bit, over several steps at odd sizes; wasm memory growth, the fallback to the op chain,
// the input checks and leaks (src/kernels/simd-kernels.test.ts checks the compiled module).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { registerLenet5Kernels } from "./register";
import {
  ADAM_UPDATE,
  ADAM_UPDATE_BACKENDS,
  type AdamUpdateHyper,
  adamUpdate,
  adamUpdateOps,
  adamUpdateReference,
} from "./adam-update";
import { simdKernelsFor } from "./simd-kernels";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";
import { KERNEL_MODES, inKernelMode, restoreBackendAfterTests } from "../test-support/kernel-modes";

/** Adam's usual settings with the bias corrections of step `t`. */
function hyperAt(t: number, learningRate = 0.1): AdamUpdateHyper {
  return {
    learningRate,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    mCorrection: 1 - 0.9 ** t,
    vCorrection: 1 - 0.999 ** t,
  };
}

const values = (t: tf.Tensor) => Array.from(t.dataSync());

restoreBackendAfterTests();

test("doc example: the reference's first step of w = 1, g = 3 is w' ≈ 0.9", () => {
  const hyper = {
    learningRate: 0.1,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    mCorrection: 1 - 0.9,
    vCorrection: 1 - 0.999,
  };
  const [wNew, mNew, vNew] = adamUpdateReference(
    Float32Array.of(1),
    Float32Array.of(0),
    Float32Array.of(0),
    Float32Array.of(3),
    hyper,
  );
  assertClose(wNew, [0.9], { atol: 1e-7, rtol: 0 });
  assertClose(mNew, [0.3], { atol: 1e-7, rtol: 0 });
  assertClose(vNew, [0.009], { atol: 1e-9, rtol: 0 });
});

test("reference by hand: two steps of three weights", () => {
  // η = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-8; w = [1, 2, −1], m = v = 0.
  // Step 1 (mCorrection 0.1, vCorrection 0.001), g = [3, −0.5, 0]:
  //   m = 0.1·g = [0.3, −0.05, 0];  v = 0.001·g² = [0.009, 0.00025, 0]
  //   m̂ = g, v̂ = g²: each weight moves by η against its gradient's sign → w = [0.9, 2.1, −1]
  //   (g = 0: m = v = 0, the step is 0/(0 + ε) = 0).
  // Step 2 (mCorrection 1 − 0.81 = 0.19, vCorrection 1 − 0.998001 = 0.001999), g = [−1, −0.5, 0]:
  //   m₀ = 0.9·0.3 + 0.1·(−1) = 0.17;  v₀ = 0.999·0.009 + 0.001·1 = 0.009991
  //   m̂₀ = 0.17/0.19 = 0.894737;  v̂₀ = 0.009991/0.001999 = 4.997999, √ = 2.235620
  //   w₀ = 0.9 − 0.1·0.894737/2.235620 = 0.9 − 0.040022 = 0.859978
  //   m₁ = 0.9·(−0.05) + 0.1·(−0.5) = −0.095;  v₁ = 0.999·0.00025 + 0.001·0.25 = 0.00049975
  //   m̂₁ = −0.5, v̂₁ = 0.25 (a constant gradient): w₁ = 2.1 + 0.1 = 2.2
  const zeros = new Float32Array(3);
  const [w1, m1, v1] = adamUpdateReference(
    Float32Array.of(1, 2, -1),
    zeros,
    zeros,
    Float32Array.of(3, -0.5, 0),
    hyperAt(1),
  );
  assertClose(w1, [0.9, 2.1, -1], { atol: 1e-6, rtol: 0 });
  assertClose(m1, [0.3, -0.05, 0], { atol: 1e-7, rtol: 0 });
  assertClose(v1, [0.009, 0.00025, 0], { atol: 1e-9, rtol: 0 });
  const [w2, m2, v2] = adamUpdateReference(w1, m1, v1, Float32Array.of(-1, -0.5, 0), hyperAt(2));
  assertClose(w2, [0.859978, 2.2, -1], { atol: 1e-6, rtol: 0 });
  assertClose(m2, [0.17, -0.095, 0], { atol: 1e-7, rtol: 0 });
  assertClose(v2, [0.009991, 0.00049975, 0], { atol: 1e-9, rtol: 0 });
  assert.deepEqual(Array.from(zeros), [0, 0, 0], "the reference changed an input");
});

test("the registration (as initBackend runs it) put the kernel on both backends", () => {
  for (const backendName of ADAM_UPDATE_BACKENDS) {
    assert.notEqual(tf.getKernel(ADAM_UPDATE, backendName), undefined, backendName);
  }
});

test("wasm: the JavaScript fallback loop stays right when its outputs grow the wasm memory", async () => {
  // 3 × 16 MiB of outputs after 4 × 16 MiB of inputs outgrow the heap, which replaces its
  // buffer: heap views taken before the last makeOutput would read a detached buffer. (First of
  // the wasm tests, so that no freed space from an earlier one absorbs the outputs.)
  await inKernelMode("wasm, JavaScript loop", () => {
    const heap = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm;
    const size = 1 << 22;
    const rng = new Rng(22);
    const wValues = Float32Array.from({ length: size }, () => rng.uniform(-1, 1));
    const gValues = Float32Array.from({ length: size }, () => rng.uniform(-1, 1));
    const mValues = gValues.map((x) => 0.1 * x);
    const vValues = gValues.map((x) => 0.001 * x * x);
    const inputs = [wValues, mValues, vValues, gValues].map((a) => tf.tensor1d(a)); // [size] each
    const heapBefore = heap.HEAPU8.buffer.byteLength;
    const hyper = hyperAt(2, 0.01);
    const fused = adamUpdate(inputs[0], inputs[1], inputs[2], inputs[3], hyper); // [size] each
    assert.ok(heap.HEAPU8.buffer.byteLength > heapBefore, "the outputs did not grow the heap");
    const expected = adamUpdateReference(wValues, mValues, vValues, gValues, hyper);
    fused.forEach((t, k) => assert.deepEqual(t.dataSync(), expected[k], `output ${k}`));
    tf.dispose([...inputs, ...fused]);
  });
});

test("wasm: the SIMD loop is in use in Node", async () => {
  await tf.setBackend("wasm");
  assert.equal(typeof simdKernelsFor(tf.backend())?.adamUpdate, "function");
  const [a, b, c] = adamUpdate(
    tf.ones([5]),
    tf.zeros([5]),
    tf.zeros([5]),
    tf.ones([5]),
    hyperAt(1),
  );
  assertClose(values(a), [0.9, 0.9, 0.9, 0.9, 0.9], { atol: 1e-7, rtol: 0 });
  tf.dispose([a, b, c]);
});

for (const mode of KERNEL_MODES) {
  test(`${mode}: doc examples of adamUpdate and adamUpdateOps`, async () => {
    await inKernelMode(mode, () => {
      const before = tf.memory().numTensors;
      const hyper = {
        learningRate: 0.1,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-8,
        mCorrection: 1 - 0.9,
        vCorrection: 1 - 0.999,
      }; // step t = 1
      const w = tf.tensor1d([1, 2]);
      const zeros = tf.zeros([2]);
      const g = tf.tensor1d([3, -0.5]);
      const [wNew, mNew, vNew] = adamUpdate(w, zeros, zeros, g, hyper);
      assertClose(values(wNew), [0.9, 2.1], { atol: 1e-6, rtol: 0 });
      assertClose(values(mNew), [0.3, -0.05], { atol: 1e-7, rtol: 0 });
      assertClose(values(vNew), [0.009, 0.00025], { atol: 1e-9, rtol: 0 });
      assert.deepEqual(values(w), [1, 2], "adamUpdate changed its input w");
      assert.deepEqual(values(zeros), [0, 0], "adamUpdate changed its input m/v");

      const opsValues = tf.tidy(() => {
        const [wOps, mOps, vOps] = adamUpdateOps(
          tf.scalar(1),
          tf.scalar(0),
          tf.scalar(0),
          tf.scalar(3),
          hyper,
        ); // ≈ 0.9, 0.3, 0.009
        return [wOps, mOps, vOps].map((t) => t.dataSync()[0]);
      });
      assertClose(opsValues, [0.9, 0.3, 0.009], { atol: 1e-7, rtol: 1e-6 });
      tf.dispose([w, zeros, g, wNew, mNew, vNew]);
      assert.equal(tf.memory().numTensors, before, "tensors leaked");
    });
  });

  // 1, 7 and 150 leave 1, 3 and 2 elements after the SIMD loop's groups of four; 48120 is C5's.
  for (const size of [1, 7, 150, 48120]) {
    test(`${mode}, ${size} weights: 6 steps, kernel = reference = the op chain, bit for bit`, async () => {
      await inKernelMode(mode, () => {
        const rng = new Rng(size);
        const uniform = (scale: number) =>
          Float32Array.from({ length: size }, () => scale * rng.uniform(-1, 1));
        // The reference's own trajectory, run beside the kernel's.
        let ref: { w: Float32Array; m: Float32Array; v: Float32Array } = {
          w: uniform(1),
          m: new Float32Array(size),
          v: new Float32Array(size),
        };
        let w: tf.Tensor = tf.tensor1d(ref.w); // [size]
        let m: tf.Tensor = tf.zeros([size]); // [size]
        let v: tf.Tensor = tf.zeros([size]); // [size]
        const startTensors = tf.memory().numTensors;
        for (let t = 1; t <= 6; t++) {
          // Gradients from 2 down to 1e-9 (squares below float32's normal range), so that ε, the
          // bias corrections and subnormal rounding all take part somewhere.
          const gValues = uniform([2, 1e-3, 1, 1e-9, 0.1, 1e-5][t - 1]);
          const hyper = hyperAt(t, 0.01);
          const g = tf.tensor1d(gValues); // [size]
          const before = tf.memory().numTensors;
          const fused = adamUpdate(w, m, v, g, hyper); // [w', m', v'], each [size]
          assert.equal(tf.memory().numTensors, before + 3, "the kernel returns three new tensors");
          const chain = adamUpdateOps(w, m, v, g, hyper); // [w', m', v'], each [size]
          const reference = adamUpdateReference(ref.w, ref.m, ref.v, gValues, hyper);
          ["w'", "m'", "v'"].forEach((name, k) => {
            assert.deepEqual(fused[k].dataSync(), reference[k], `step ${t}: ${name} vs reference`);
            assert.deepEqual(fused[k].dataSync(), chain[k].dataSync(), `step ${t}: ${name} vs ops`);
          });
          tf.dispose([w, m, v, g, ...chain]);
          [w, m, v] = fused;
          ref = { w: reference[0], m: reference[1], v: reference[2] };
        }
        assert.equal(tf.memory().numTensors, startTensors, "tensors leaked over the steps");
        tf.dispose([w, m, v]);
      });
    });
  }

  test(`${mode}: adamUpdate refuses other shapes and dtypes`, async () => {
    await inKernelMode(mode, () => {
      const w = tf.zeros([2, 3]);
      const flat = tf.zeros([6]);
      const ints = tf.zeros([2, 3], "int32");
      const hyper = hyperAt(1);
      assert.throws(() => adamUpdate(w, w, w, flat, hyper), /g has shape \[6\], w \[2,3\]/);
      assert.throws(() => adamUpdate(w, ints, w, w, hyper), /m is int32, not float32/);
      tf.dispose([w, flat, ints]);
    });
  });
}

test("cpu: without the kernel adamUpdate runs the op chain; registering puts the kernel back", async () => {
  await tf.setBackend("cpu");
  const w = tf.tensor2d([
    [0.5, -1],
    [2, 0.25],
  ]);
  const m = tf.tensor2d([
    [0.1, 0.2],
    [-0.3, 0],
  ]);
  const v = tf.tensor2d([
    [0.01, 0.04],
    [0.09, 0],
  ]);
  const g = tf.tensor2d([
    [1, -2],
    [0.5, 0],
  ]);
  const hyper = hyperAt(3);
  const chain = adamUpdateOps(w, m, v, g, hyper);
  tf.unregisterKernel(ADAM_UPDATE, "cpu");
  try {
    const before = tf.memory().numTensors;
    const fallback = adamUpdate(w, m, v, g, hyper);
    assert.equal(tf.memory().numTensors, before + 3, "the op chain's intermediates leaked");
    fallback.forEach((t, k) => assert.deepEqual(values(t), values(chain[k]), `output ${k}`));
    assert.deepEqual(fallback[0].shape, [2, 2]);
    tf.dispose([...fallback]);
  } finally {
    assert.deepEqual(registerLenet5Kernels().added, [`cpu/${ADAM_UPDATE}`]);
  }
  const fused = adamUpdate(w, m, v, g, hyper);
  assert.deepEqual(fused[0].shape, [2, 2]);
  fused.forEach((t, k) => assert.deepEqual(values(t), values(chain[k]), `output ${k}`));
  tf.dispose([w, m, v, g, ...chain, ...fused]);
});
