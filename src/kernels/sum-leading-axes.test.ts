// Tests for the wasm Sum kernel over leading axes: its plain reference by hand, and the kernel
// against the cpu backend's Sum for bias-gradient shapes and for reductions it leaves to wasm.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "../test-support/register-kernels"; // the kernels, as initBackend() registers them
import { sumLeadingAxesReference } from "./sum-leading-axes";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";

test("sumLeadingAxesReference: the TSDoc example", () => {
  const out = sumLeadingAxesReference(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3);
  assert.deepEqual(Array.from(out), [5, 7, 9]);
});

/** tf.sum(x, axis, keepDims) on `backend`, with its output shape. */
async function sumOn(
  backend: string,
  values: Float32Array,
  shape: number[],
  axis: number | number[],
  keepDims: boolean,
) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const y = tf.sum(tf.tensor(values, shape), axis, keepDims);
    return { values: y.dataSync() as Float32Array, shape: y.shape };
  });
}

// Bias gradients of C1 (modern, historical), C3, C5, F6 and the output at batch 64; odd sizes
// that leave rows over a SIMD block; negative axes and keepDims.
const cases: { shape: number[]; axis: number | number[]; keepDims?: boolean }[] = [
  { shape: [64, 28, 28, 6], axis: [0, 1, 2] },
  { shape: [64, 10, 10, 16], axis: [0, 1, 2] },
  { shape: [64, 1, 1, 120], axis: [0, 1, 2] },
  { shape: [64, 84], axis: 0 },
  { shape: [64, 10], axis: [0] },
  { shape: [3, 5, 7, 6], axis: [0, 1, 2] }, // 105 rows of 6: one row after the 12-float blocks
  { shape: [5, 3], axis: 0 }, // cols 3 → blocks of 12 floats (4 rows), 1 row over
  { shape: [7, 1], axis: 0 },
  { shape: [2, 3, 6], axis: [-3, -2], keepDims: true },
  { shape: [4, 6, 5], axis: [2] }, // the innermost axis: wasm's own kernel
  { shape: [4, 6, 5], axis: [0, 2] }, // not the leading axes: wasm's own kernel
];

for (const c of cases) {
  test(`wasm Sum matches cpu: [${c.shape}] over ${JSON.stringify(c.axis)}${c.keepDims ? " (keepDims)" : ""}`, async () => {
    const rng = new Rng(c.shape.reduce((a, b) => a * b, 1));
    const values = Float32Array.from({ length: c.shape.reduce((a, b) => a * b, 1) }, () =>
      rng.uniform(-1, 1),
    );
    const oracle = await sumOn("cpu", values, c.shape, c.axis, c.keepDims ?? false);
    const before = tf.memory().numTensors;
    const wasm = await sumOn("wasm", values, c.shape, c.axis, c.keepDims ?? false);
    assert.equal(tf.memory().numTensors, before, "tensors leaked");
    assert.deepEqual(wasm.shape, oracle.shape);
    // Up to 50,176 terms of magnitude ≤ 1, summed in another order: float32 rounding grows with
    // the partial sums, so allow 1e-6 per term on top of rtol.
    const terms = values.length / oracle.values.length;
    assertClose(wasm.values, oracle.values, { atol: 1e-6 * terms, rtol: 1e-5, label: "sum" });
  });
}

test("the kernel against its reference on C1's bias gradient shape", async () => {
  await tf.setBackend("wasm");
  const rng = new Rng(4);
  const values = Float32Array.from({ length: 8 * 28 * 28 * 6 }, () => rng.uniform(-1, 1));
  const actual = tf.tidy(() =>
    tf.sum(tf.tensor4d(values, [8, 28, 28, 6]), [0, 1, 2]).dataSync(),
  ) as Float32Array;
  assertClose(actual, sumLeadingAxesReference(values, 8 * 28 * 28, 6), {
    atol: 1e-6 * 8 * 28 * 28,
    rtol: 1e-5,
    label: "sum",
  });
});
