// Tests for the wasm Conv2DBackpropInput kernel: against its plain reference (the formula, worked
// by hand on a small case) and against the cpu backend's own kernel, through tf.grads.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "../test-support/register-kernels"; // the kernels, as initBackend() registers them
import { conv2dBackpropInputReference } from "./conv2d-backprop-input";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";

type Shape4 = [number, number, number, number];

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function uniform(n: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
}

test("doc example: the reference on a 1×1 case", () => {
  const dx = conv2dBackpropInputReference(
    { shape: [1, 1, 1, 1], data: new Float32Array([2]) },
    { shape: [1, 1, 1, 1], data: new Float32Array([3]) },
    [1, 1, 1, 1],
    0,
    0,
  );
  assert.deepEqual(Array.from(dx.data), [6]);
});

test("reference by hand: a 2×2 filter over a 2×2 input, valid", () => {
  // x [1, 2, 2, 1], W [[a, b], [c, d]] = [[1, 2], [3, 4]], one output y = Σ x·W, dy = 5:
  // dx[h, w] = dy·W[h, w] = [[5, 10], [15, 20]].
  const dx = conv2dBackpropInputReference(
    { shape: [1, 1, 1, 1], data: new Float32Array([5]) },
    { shape: [2, 2, 1, 1], data: new Float32Array([1, 2, 3, 4]) },
    [1, 2, 2, 1],
    0,
    0,
  );
  assert.deepEqual(Array.from(dx.data), [5, 10, 15, 20]);
});

interface Case {
  name: string;
  x: Shape4;
  filter: Shape4;
  stride: number;
  pad: "valid" | "same" | number;
}

const cases: Case[] = [
  {
    name: "modern C1 (one input channel: depthwise path)",
    x: [3, 28, 28, 1],
    filter: [5, 5, 1, 6],
    stride: 1,
    pad: "same",
  },
  {
    name: "C3 (valid: dy · Wᵀ, then SIMD col2im)",
    x: [3, 14, 14, 6],
    filter: [5, 5, 6, 16],
    stride: 1,
    pad: "valid",
  },
  {
    name: "C3 at batch 64 (col2im)",
    x: [64, 14, 14, 6],
    filter: [5, 5, 6, 16],
    stride: 1,
    pad: "valid",
  },
  {
    name: "valid, runs of 3·3 = 9 floats (col2im's scalar tail)",
    x: [2, 6, 7, 3],
    filter: [3, 3, 3, 2],
    stride: 1,
    pad: "valid",
  },
  {
    name: "C5 (1×1 output: matrix product)",
    x: [3, 5, 5, 16],
    filter: [5, 5, 16, 120],
    stride: 1,
    pad: "valid",
  },
  {
    name: "numeric padding 1 (padded dy, turned filter)",
    x: [2, 7, 6, 3],
    filter: [3, 3, 3, 4],
    stride: 1,
    pad: 1,
  },
  {
    name: "stride 2 (wasm's own kernel)",
    x: [2, 9, 9, 2],
    filter: [3, 3, 2, 3],
    stride: 2,
    pad: "valid",
  },
];

/** dx = ∂ sum(conv2d(x, W)·R)/∂x on `backend`, R a fixed random tensor the shape of the output. */
async function inputGradient(backend: string, c: Case, seed: number) {
  await tf.setBackend(backend);
  const rng = new Rng(seed);
  const xValues = uniform(size(c.x), rng);
  const wValues = uniform(size(c.filter), rng);
  return tf.tidy(() => {
    const x = tf.tensor4d(xValues, c.x);
    const w = tf.tensor4d(wValues, c.filter);
    const outShape = tf.conv2d(x, w, c.stride, c.pad).shape;
    const r = tf.tensor(uniform(size(outShape), rng), outShape);
    const dx = tf.grad((xs: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(xs as tf.Tensor4D, w, c.stride, c.pad), r)),
    )(x);
    return {
      dx: dx.dataSync() as Float32Array,
      r: r.dataSync() as Float32Array,
      outShape,
      wValues,
    };
  });
}

for (const c of cases) {
  test(`wasm dx matches cpu and the reference: ${c.name}`, async () => {
    const oracle = await inputGradient("cpu", c, 7);
    const before = tf.memory().numTensors;
    const wasm = await inputGradient("wasm", c, 7);
    assert.equal(tf.memory().numTensors, before, "tensors leaked");
    // Each dx sums K·K·Cout products of numbers in ±1: float32 rounding only.
    assertClose(wasm.dx, oracle.dx, { atol: 1e-4, rtol: 1e-4, label: "dx vs cpu" });
    if (c.stride === 1) {
      const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, 1, 1, c.pad);
      const reference = conv2dBackpropInputReference(
        { shape: oracle.outShape, data: oracle.r },
        { shape: c.filter, data: oracle.wValues },
        c.x,
        info.padInfo.top,
        info.padInfo.left,
      );
      assertClose(wasm.dx, reference.data, { atol: 1e-4, rtol: 1e-4, label: "dx vs reference" });
    }
  });
}

test("the filter's gradient is unchanged beside it (whole conv layer, wasm vs cpu)", async () => {
  // A two-layer net so that the first conv's dy itself comes through this kernel.
  const grads = async (backend: string) => {
    await tf.setBackend(backend);
    const rng = new Rng(3);
    return tf.tidy(() => {
      const x = tf.tensor4d(uniform(2 * 14 * 14 * 6, rng), [2, 14, 14, 6]);
      const w1 = tf.tensor4d(uniform(5 * 5 * 6 * 16, rng), [5, 5, 6, 16]);
      const w2 = tf.tensor4d(uniform(5 * 5 * 16 * 4, rng), [5, 5, 16, 4]);
      const [g1, g2] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(
          tf.square(
            tf.conv2d(
              tf.relu(tf.conv2d(x, a as tf.Tensor4D, 1, "same")),
              b as tf.Tensor4D,
              1,
              "valid",
            ),
          ),
        ),
      )([w1, w2]);
      return [g1.dataSync() as Float32Array, g2.dataSync() as Float32Array];
    });
  };
  const [cpu1, cpu2] = await grads("cpu");
  const [wasm1, wasm2] = await grads("wasm");
  assertClose(wasm2, cpu2, { atol: 1e-2, rtol: 1e-4, label: "dW2" });
  assertClose(wasm1, cpu1, { atol: 1e-2, rtol: 1e-4, label: "dW1" });
});
