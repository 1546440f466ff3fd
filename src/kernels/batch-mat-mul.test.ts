// Tests for the wasm BatchMatMul kernel: the reference by hand, then the kernel against the
// reference and the cpu backend for every transpose combination, and a dense layer's gradients.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "../test-support/register-kernels"; // the kernels, as initBackend() registers them
import { matMulReference } from "./batch-mat-mul";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";

test("doc example: [1 2]·[3 4]ᵀ = 11", () => {
  const c = matMulReference(
    new Float32Array([1, 2]),
    [1, 2],
    new Float32Array([3, 4]),
    [1, 2],
    false,
    true,
  );
  assert.deepEqual(Array.from(c), [11]);
});

test("reference by hand: Aᵀ·B for A = [[1, 2], [3, 4]], B = I", () => {
  // Aᵀ = [[1, 3], [2, 4]].
  const c = matMulReference(
    Float32Array.from([1, 2, 3, 4]),
    [2, 2],
    Float32Array.from([1, 0, 0, 1]),
    [2, 2],
    true,
    false,
  );
  assert.deepEqual(Array.from(c), [1, 3, 2, 4]);
});

const combos: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

for (const [transposeA, transposeB] of combos) {
  test(`wasm matches cpu and the reference: transposeA ${transposeA}, transposeB ${transposeB}`, async () => {
    const rng = new Rng(11);
    const [m, k, p] = [7, 120, 84];
    const aShape: [number, number] = transposeA ? [k, m] : [m, k];
    const bShape: [number, number] = transposeB ? [p, k] : [k, p];
    const a = Float32Array.from({ length: m * k }, () => rng.uniform(-1, 1));
    const b = Float32Array.from({ length: k * p }, () => rng.uniform(-1, 1));
    const product = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(
        () =>
          tf
            .matMul(tf.tensor2d(a, aShape), tf.tensor2d(b, bShape), transposeA, transposeB)
            .dataSync() as Float32Array,
      );
    };
    const oracle = await product("cpu");
    const before = tf.memory().numTensors;
    const wasm = await product("wasm");
    assert.equal(tf.memory().numTensors, before, "tensors leaked");
    assertClose(wasm, oracle, { atol: 1e-4, rtol: 1e-4, label: "C vs cpu" });
    const reference = matMulReference(a, aShape, b, bShape, transposeA, transposeB);
    assertClose(wasm, reference, { atol: 1e-4, rtol: 1e-4, label: "C vs reference" });
  });
}

test("a dense layer's gradients (xᵀ·dy and dy·Wᵀ) match cpu", async () => {
  const rng = new Rng(12);
  const x = Float32Array.from({ length: 64 * 120 }, () => rng.uniform(-1, 1));
  const w = Float32Array.from({ length: 120 * 84 }, () => rng.uniform(-1, 1));
  const grads = async (backend: string) => {
    await tf.setBackend(backend);
    return tf.tidy(() => {
      const [dx, dw] = tf.grads((xs: tf.Tensor, ws: tf.Tensor) =>
        tf.sum(tf.square(tf.matMul(xs as tf.Tensor2D, ws as tf.Tensor2D))),
      )([tf.tensor2d(x, [64, 120]), tf.tensor2d(w, [120, 84])]);
      return [dx.dataSync() as Float32Array, dw.dataSync() as Float32Array];
    });
  };
  const [cpuDx, cpuDw] = await grads("cpu");
  const [wasmDx, wasmDw] = await grads("wasm");
  assertClose(wasmDx, cpuDx, { atol: 1e-3, rtol: 1e-4, label: "dx" });
  assertClose(wasmDw, cpuDw, { atol: 1e-3, rtol: 1e-4, label: "dW" });
});
