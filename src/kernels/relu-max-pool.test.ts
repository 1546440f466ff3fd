// Tests for the fused ReLU + 2×2 max pool: the references against hand-worked windows, and the
// wasm kernels (values and gradients) against tf.maxPool(tf.relu(x)) on the cpu backend.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "../test-support/register-kernels"; // the kernels, as initBackend() registers them
import {
  reluMaxPool2x2,
  reluMaxPool2x2GradReference,
  reluMaxPool2x2Reference,
} from "./relu-max-pool";
import { simdKernelsActive } from "./simd-kernels";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";

type Shape4 = [number, number, number, number];
const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

test("reluMaxPool2x2Reference: the TSDoc example", () => {
  // channel 0: −1, 3, 2, 0 → 3; channel 1: −1, −2, −3, −4 → ReLU floor 0.
  const y = reluMaxPool2x2Reference(Float32Array.from([-1, -1, 3, -2, 2, -3, 0, -4]), [1, 2, 2, 2]);
  assert.deepEqual(Array.from(y), [3, 0]);
});

test("reluMaxPool2x2GradReference: the TSDoc example (a tie goes to the first maximum)", () => {
  const dx = reluMaxPool2x2GradReference(
    Float32Array.from([-1, 3, 3, 0]),
    Float32Array.from([5]),
    [1, 2, 2, 1],
  );
  assert.deepEqual(Array.from(dx), [0, 5, 0, 0]);
});

test("reluMaxPool2x2GradReference: a window with no positive value passes no gradient", () => {
  // x = [[0, −1], [−2, 0]]: its maximum is 0, where the ReLU's gradient is 0.
  const dx = reluMaxPool2x2GradReference(
    Float32Array.from([0, -1, -2, 0]),
    Float32Array.from([7]),
    [1, 2, 2, 1],
  );
  assert.deepEqual(Array.from(dx), [0, 0, 0, 0]);
});

test("reluMaxPool2x2: the TSDoc example", async () => {
  await tf.setBackend("wasm");
  assert.equal(simdKernelsActive(), true);
  const y = tf.tidy(() => reluMaxPool2x2(tf.tensor4d([-1, 3, 2, 0], [1, 2, 2, 1])).dataSync());
  assert.deepEqual(Array.from(y), [3]);
});

/** Values on a coarse grid (−2 … 2 in steps of 0.5): many ties and many all-negative windows. */
function coarse(n: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: n }, () => Math.round(rng.uniform(-4, 4)) / 2);
}

/** y and dx of sum(maxPool(relu(x)) · R) on `backend`, by `op`. */
async function valueAndGrad(
  backend: string,
  op: (x: tf.Tensor4D) => tf.Tensor4D,
  xValues: Float32Array,
  rValues: Float32Array,
  shape: Shape4,
): Promise<{ y: Float32Array; dx: Float32Array }> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(xValues, shape);
    const y = op(x); // [N, H/2, W/2, C]
    const r = tf.tensor(rValues.subarray(0, y.size), y.shape);
    const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(op(input as tf.Tensor4D), r)))(x);
    return { y: y.dataSync() as Float32Array, dx: dx.dataSync() as Float32Array };
  });
}

/** The values as numbers with −0 read as 0 (tfjs's r · step(x) gives −0 where r < 0). */
const plain = (values: Float32Array): number[] => Array.from(values, (v) => v + 0);

const composed = (x: tf.Tensor4D): tf.Tensor4D => tf.maxPool(tf.relu(x), 2, 2, "valid");

// The modern net's two pairs at batch 64 (S2, S4) and small odd channel counts.
for (const shape of [
  [64, 28, 28, 6],
  [64, 10, 10, 16],
  [2, 4, 6, 5],
  [1, 2, 2, 4],
] as Shape4[]) {
  test(`fused wasm kernels match tf.maxPool(tf.relu(x)) on cpu and the references: [${shape}]`, async () => {
    const rng = new Rng(size(shape));
    const x = coarse(size(shape), rng);
    const r = Float32Array.from({ length: size(shape) / 4 }, () => rng.uniform(-1, 1));
    const oracle = await valueAndGrad("cpu", composed, x, r, shape);
    const before = tf.memory().numTensors;
    const fused = await valueAndGrad("wasm", reluMaxPool2x2, x, r, shape);
    assert.equal(tf.memory().numTensors, before, "tensors leaked");
    // Max pooling and routing copy values: equal to the bit, ties included.
    assert.deepEqual(plain(fused.y), plain(oracle.y), "y");
    assert.deepEqual(plain(fused.dx), plain(oracle.dx), "dx");
    assertClose(fused.y, reluMaxPool2x2Reference(x, shape), { atol: 0, rtol: 0, label: "y (ref)" });
    const dx = reluMaxPool2x2GradReference(x, r, shape);
    assertClose(fused.dx, dx, { atol: 0, rtol: 0, label: "dx (ref)" });
  });
}

test("odd heights or widths fall back to tf.maxPool(tf.relu(x)) (the last row is dropped)", async () => {
  const shape: Shape4 = [2, 5, 7, 3];
  const rng = new Rng(5);
  const x = coarse(size(shape), rng);
  const r = Float32Array.from({ length: 2 * 2 * 3 * 3 }, () => rng.uniform(-1, 1));
  const oracle = await valueAndGrad("cpu", composed, x, r, shape);
  const wasm = await valueAndGrad("wasm", reluMaxPool2x2, x, r, shape);
  assert.deepEqual(plain(wasm.y), plain(oracle.y));
  assert.deepEqual(plain(wasm.dx), plain(oracle.dx));
});

test("on cpu reluMaxPool2x2 is the composed op (no fused kernel there)", async () => {
  await tf.setBackend("cpu");
  assert.equal(simdKernelsActive(), false);
  const y = tf.tidy(() => reluMaxPool2x2(tf.tensor4d([-1, 3, 2, 0], [1, 2, 2, 1])).dataSync());
  assert.deepEqual(Array.from(y), [3]);
});
