// Tests for the corrected wasm MaxPoolGrad kernel, with the cpu backend's kernel as the oracle.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "../test-support/register-kernels"; // the kernels, as initBackend() registers them
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";

type Shape4 = [number, number, number, number];

/** dx of sum(maxPool(x)·R) on `backend`. */
async function poolGrad(
  backend: string,
  shape: Shape4,
  values: Float32Array,
  filter: number,
  stride: number,
  pad: "valid" | "same",
  rValues: Float32Array,
): Promise<Float32Array> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(values, shape);
    const yShape = tf.maxPool(x, filter, stride, pad).shape;
    const r = tf.tensor(
      rValues.subarray(
        0,
        yShape.reduce((a, b) => a * b, 1),
      ),
      yShape,
    );
    const grad = tf.grad((t: tf.Tensor) =>
      tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, filter, stride, pad), r)),
    );
    return grad(x).dataSync() as Float32Array;
  });
}

test("a window whose maximum is negative keeps its gradient on wasm (the tfjs 4.22 bug)", async () => {
  // Window [[-1, -0.5], [-2, -3]]: the maximum −0.5 at index 1 gets dy = 1. The stock wasm
  // kernel starts its maximum at +1.2e−38 and gave the whole gradient to index 0 here.
  for (const backend of ["wasm", "cpu"]) {
    const dx = await poolGrad(
      backend,
      [1, 2, 2, 1],
      Float32Array.from([-1, -0.5, -2, -3]),
      2,
      2,
      "valid",
      Float32Array.from([1]),
    );
    assert.deepEqual(Array.from(dx), [0, 1, 0, 0], backend);
  }
});

test("ties go to the first maximum (row-major), as on cpu", async () => {
  // [[3, 3], [1, 1]]: both 3s tie; the first (index 0) takes dy = 1. Stock wasm picked index 1.
  const dx = await poolGrad(
    "wasm",
    [1, 2, 2, 1],
    Float32Array.from([3, 3, 1, 1]),
    2,
    2,
    "valid",
    Float32Array.from([1]),
  );
  assert.deepEqual(
    Array.from(dx),
    [0, 0, 0, 0].map((_, i) => (i === 0 ? 1 : 0)),
  );
});

const cases: { shape: Shape4; filter: number; stride: number; pad: "valid" | "same" }[] = [
  { shape: [2, 6, 8, 3], filter: 2, stride: 2, pad: "valid" },
  { shape: [2, 28, 28, 6], filter: 2, stride: 2, pad: "valid" },
  { shape: [2, 7, 9, 2], filter: 2, stride: 2, pad: "valid" }, // odd size: last row/column unused
  { shape: [2, 7, 7, 2], filter: 2, stride: 2, pad: "same" }, // odd size: padded windows
  { shape: [1, 6, 6, 2], filter: 3, stride: 1, pad: "same" }, // overlapping windows
  { shape: [2, 9, 9, 1], filter: 3, stride: 2, pad: "valid" },
];

for (const c of cases) {
  test(`wasm dx matches cpu: x [${c.shape}] window ${c.filter} stride ${c.stride} ${c.pad}`, async () => {
    const rng = new Rng(99);
    const size = c.shape.reduce((a, b) => a * b, 1);
    // Values on a coarse grid of −1..1 so that ties and non-positive windows both occur.
    const values = Float32Array.from({ length: size }, () => (rng.int(9) - 6) / 4);
    const r = Float32Array.from({ length: size }, () => rng.uniform(-1, 1));
    const oracle = await poolGrad("cpu", c.shape, values, c.filter, c.stride, c.pad, r);
    const before = tf.memory().numTensors;
    const wasm = await poolGrad("wasm", c.shape, values, c.filter, c.stride, c.pad, r);
    assert.equal(tf.memory().numTensors, before, "tensors leaked");
    // Each dx sums at most filter² dy values: float32 rounding only.
    assertClose(wasm, oracle, { atol: 1e-6, rtol: 1e-6, label: "dx" });
  });
}
