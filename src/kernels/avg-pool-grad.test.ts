// Tests for the wasm AvgPoolGrad kernel: the reference by hand, then the kernel against the
// reference and against the cpu backend's own kernel (through tf.grad), and the fallback.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "../test-support/register-kernels"; // the kernels, as initBackend() registers them
import { avgPoolGradReference } from "./avg-pool-grad";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";

type Shape4 = [number, number, number, number];

test("doc example: one 2×2 window with gradient 8 gives 2 to each pixel", () => {
  assert.deepEqual(
    Array.from(avgPoolGradReference(new Float32Array([8]), [1, 2, 2, 1], 2)),
    [2, 2, 2, 2],
  );
});

test("reference by hand: a 3×4 input, 2×2 windows (the last row no window covers gets 0)", () => {
  // Windows (0,0) and (0,1) with gradients 4 and −8: rows 0–1 get 1,1,−2,−2; row 2 gets 0.
  const dx = avgPoolGradReference(Float32Array.from([4, -8]), [1, 3, 4, 1], 2);
  assert.deepEqual(Array.from(dx), [1, 1, -2, -2, 1, 1, -2, -2, 0, 0, 0, 0]);
});

/** dx = ∂ sum(avgPool(x)·R)/∂x on `backend`. */
async function poolGrad(
  backend: string,
  shape: Shape4,
  k: number,
  stride: number,
  pad: "valid" | "same",
) {
  await tf.setBackend(backend);
  const rng = new Rng(5);
  const size = shape.reduce((a, b) => a * b, 1);
  const xValues = Float32Array.from({ length: size }, () => rng.uniform(-1, 1));
  return tf.tidy(() => {
    const x = tf.tensor4d(xValues, shape);
    const outShape = tf.avgPool(x, k, stride, pad).shape;
    const r = tf.tensor(
      Float32Array.from({ length: outShape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-1, 1)),
      outShape,
    );
    const dx = tf.grad((xs: tf.Tensor) =>
      tf.sum(tf.mul(tf.avgPool(xs as tf.Tensor4D, k, stride, pad), r)),
    )(x);
    return { dx: dx.dataSync() as Float32Array, r: r.dataSync() as Float32Array };
  });
}

const cases: { shape: Shape4; k: number; stride: number; pad: "valid" | "same"; fast: boolean }[] =
  [
    { shape: [3, 28, 28, 6], k: 2, stride: 2, pad: "valid", fast: true }, // S2
    { shape: [3, 10, 10, 16], k: 2, stride: 2, pad: "valid", fast: true }, // S4
    { shape: [2, 7, 9, 2], k: 2, stride: 2, pad: "valid", fast: true }, // uncovered last row/column
    { shape: [2, 9, 9, 2], k: 3, stride: 3, pad: "valid", fast: true },
    { shape: [2, 7, 7, 2], k: 2, stride: 2, pad: "same", fast: false }, // wasm's own kernel
    { shape: [1, 6, 6, 2], k: 3, stride: 1, pad: "valid", fast: false }, // overlapping windows
  ];

for (const c of cases) {
  test(`wasm dx matches cpu${c.fast ? " and the reference" : ""}: [${c.shape}] ${c.k}×${c.k} stride ${c.stride} ${c.pad}`, async () => {
    const oracle = await poolGrad("cpu", c.shape, c.k, c.stride, c.pad);
    const before = tf.memory().numTensors;
    const wasm = await poolGrad("wasm", c.shape, c.k, c.stride, c.pad);
    assert.equal(tf.memory().numTensors, before, "tensors leaked");
    assertClose(wasm.dx, oracle.dx, { atol: 1e-6, rtol: 1e-6, label: "dx vs cpu" });
    if (c.fast) {
      const reference = avgPoolGradReference(oracle.r, c.shape, c.k);
      assertClose(wasm.dx, reference, { atol: 1e-6, rtol: 1e-6, label: "dx vs reference" });
    }
  });
}
