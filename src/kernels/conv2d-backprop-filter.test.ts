// Tests for the wasm Conv2DBackpropFilter kernel, with the cpu backend's own kernel as the oracle.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "../test-support/register-kernels"; // the kernels, as initBackend() registers them
import { CONV2D_BACKPROP_FILTER, conv1FilterGradReference } from "./conv2d-backprop-filter";
import { Rng } from "../rng";
import { assertClose, maxAbsDiff } from "../test-support/assert-close";

type Shape4 = [number, number, number, number];
type Padding = "valid" | "same" | number | [[0, 0], [number, number], [number, number], [0, 0]];

function uniform(n: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform(-1, 1);
  return out;
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

interface ConvCase {
  name: string;
  x: Shape4;
  filter: Shape4;
  stride: number;
  pad: Padding;
}

/** dx and dW of sum(conv2d(x, w)·R) on `backend`, R a fixed random tensor the shape of y. */
async function convGrads(
  backend: string,
  c: ConvCase,
  xValues: Float32Array,
  wValues: Float32Array,
  rValues: Float32Array,
): Promise<{ dx: Float32Array; dw: Float32Array; outShape: number[] }> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(xValues, c.x);
    const w = tf.tensor4d(wValues, c.filter);
    const outShape = tf.conv2d(x, w, c.stride, c.pad).shape; // [N, outH, outW, Cout]
    const r = tf.tensor(rValues.subarray(0, size(outShape)), outShape);
    const grads = tf.grads((xs: tf.Tensor, ws: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(xs as tf.Tensor4D, ws as tf.Tensor4D, c.stride, c.pad), r)),
    );
    const [dx, dw] = grads([x, w]);
    return {
      dx: dx.dataSync() as Float32Array,
      dw: dw.dataSync() as Float32Array,
      outShape,
    };
  });
}

const cases: ConvCase[] = [
  { name: "LeNet C1", x: [8, 32, 32, 1], filter: [5, 5, 1, 6], stride: 1, pad: "valid" },
  { name: "C3-like (full)", x: [4, 14, 14, 6], filter: [5, 5, 6, 16], stride: 1, pad: "valid" },
  { name: "C5", x: [4, 5, 5, 16], filter: [5, 5, 16, 120], stride: 1, pad: "valid" },
  { name: "same-padded C1", x: [4, 28, 28, 1], filter: [5, 5, 1, 6], stride: 1, pad: "same" },
  { name: "numeric pad 2", x: [4, 28, 28, 1], filter: [5, 5, 1, 6], stride: 1, pad: 2 },
  { name: "stride 2 valid", x: [3, 13, 13, 3], filter: [3, 3, 3, 4], stride: 2, pad: "valid" },
  { name: "stride 2 same, odd", x: [3, 13, 12, 3], filter: [3, 3, 3, 4], stride: 2, pad: "same" },
  { name: "stride 3 pad 1 (slice)", x: [3, 14, 14, 3], filter: [4, 4, 3, 4], stride: 3, pad: 1 },
  {
    name: "explicit asymmetric pad",
    x: [2, 9, 9, 2],
    filter: [3, 3, 2, 2],
    stride: 2,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
];

for (const c of cases) {
  test(`wasm dW matches the cpu kernel: ${c.name} x [${c.x}] filter [${c.filter}]`, async () => {
    const rng = new Rng(8474);
    const xValues = uniform(size(c.x), rng);
    const wValues = uniform(size(c.filter), rng);
    const rValues = uniform(size(c.x) * c.filter[3], rng); // at least as large as y
    const oracle = await convGrads("cpu", c, xValues, wValues, rValues);
    const before = tf.memory().numTensors;
    const wasm = await convGrads("wasm", c, xValues, wValues, rValues);
    assert.equal(tf.memory().numTensors, before, "tensors leaked");
    // Each dW entry sums N·outH·outW products of magnitude ≤ 1, in a different order on each
    // backend: allow two float32 epsilons (2.4e-7) per summed term, plus rtol 1e-4.
    const terms = oracle.outShape[0] * oracle.outShape[1] * oracle.outShape[2];
    const atol = 2.4e-7 * terms;
    const { diff } = maxAbsDiff(wasm.dw, oracle.dw);
    console.log(
      `${c.name}: max |dW_wasm − dW_cpu| = ${diff.toExponential(2)} (atol ${atol.toExponential(2)})`,
    );
    assertClose(wasm.dw, oracle.dw, { atol, rtol: 1e-4, label: `${c.name} dW` });
    assertClose(wasm.dx, oracle.dx, { atol: 1e-4, rtol: 1e-4, label: `${c.name} dx` });
  });
}

test("the kernel frees its intermediates: wasm data buffers are unchanged after a call", async () => {
  await tf.setBackend("wasm");
  const rng = new Rng(1);
  // x [2, 7, 7, 2] padded ("same", stride 2) → exercises PadV2, both transposes, conv and slice.
  const x = tf.tensor4d(uniform(2 * 7 * 7 * 2, rng), [2, 7, 7, 2]);
  const dy = tf.tensor4d(uniform(2 * 4 * 4 * 3, rng), [2, 4, 4, 3]);
  const buffersBefore = tf.backend().numDataIds();
  const tensorsBefore = tf.memory().numTensors;
  const dw = tf
    .engine()
    .runKernel(
      CONV2D_BACKPROP_FILTER,
      { x, dy },
      { strides: [2, 2], pad: "same", dataFormat: "NHWC", filterShape: [3, 3, 2, 3] },
    ) as tf.Tensor; // [3, 3, 2, 3]
  assert.deepEqual(dw.shape, [3, 3, 2, 3]);
  assert.equal(tf.backend().numDataIds(), buffersBefore + 1); // only the result
  dw.dispose();
  assert.equal(tf.backend().numDataIds(), buffersBefore);
  assert.equal(tf.memory().numTensors, tensorsBefore);
  x.dispose();
  dy.dispose();
});

test("a hand-checked case: 1×3×3×1 input, 2×2 filter, valid, dy = 1", async () => {
  await tf.setBackend("wasm");
  // x = [[1,2,3],[4,5,6],[7,8,9]], dy all ones over the 2×2 output:
  // dW[kh,kw] = Σ_{oh,ow} x[oh+kh, ow+kw] → [[1+2+4+5, 2+3+5+6], [4+5+7+8, 5+6+8+9]] = [[12,16],[24,28]].
  const dw = tf.tidy(() => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const dy = tf.ones([1, 2, 2, 1]);
    return tf
      .engine()
      .runKernel(
        CONV2D_BACKPROP_FILTER,
        { x, dy },
        { strides: [1, 1], pad: "valid", dataFormat: "NHWC", filterShape: [2, 2, 1, 1] },
      ) as tf.Tensor; // [2, 2, 1, 1]
  });
  assert.deepEqual(Array.from(await dw.data()), [12, 16, 24, 28]);
  dw.dispose();
});

/** One SGD step of a tiny conv net (conv 3×3×1×2 → tanh → mean square) on `backend`. */
async function trainOneStep(backend: string): Promise<{ loss: number; kernel: Float32Array }> {
  await tf.setBackend(backend);
  const rng = new Rng(3);
  const kernel = tf.variable(tf.tensor4d(uniform(3 * 3 * 1 * 2, rng), [3, 3, 1, 2]));
  const bias = tf.variable(tf.zeros([2]));
  const x = tf.tensor4d(uniform(4 * 6 * 6, rng), [4, 6, 6, 1]);
  const target = tf.tensor4d(uniform(4 * 4 * 4 * 2, rng), [4, 4, 4, 2]);
  const optimizer = tf.train.sgd(0.1);
  const before = tf.memory().numTensors;
  const lossTensor = optimizer.minimize(
    () =>
      tf.mean(tf.square(tf.sub(tf.tanh(tf.add(tf.conv2d(x, kernel, 1, "valid"), bias)), target))),
    true,
  );
  assert.ok(lossTensor !== null);
  const loss = (await lossTensor.data())[0];
  lossTensor.dispose();
  assert.equal(tf.memory().numTensors, before, "a training step leaked tensors");
  const result = { loss, kernel: (await kernel.data()) as Float32Array };
  optimizer.dispose();
  tf.dispose([kernel, bias, x, target]);
  return result;
}

test("training a tiny conv net one step works on wasm and matches cpu", async () => {
  const initial = new Rng(3);
  const initialKernel = uniform(18, initial);
  const wasm = await trainOneStep("wasm");
  const cpu = await trainOneStep("cpu");
  assert.ok(Number.isFinite(wasm.loss));
  assert.ok(maxAbsDiff(wasm.kernel, initialKernel).diff > 1e-4, "the step changed nothing");
  assertClose([wasm.loss], [cpu.loss], { atol: 1e-6, rtol: 1e-5, label: "loss" });
  assertClose(wasm.kernel, cpu.kernel, { atol: 1e-6, rtol: 1e-5, label: "kernel after one step" });
});

test("conv1FilterGradReference: the TSDoc example (one 5×5 image of ones, one output pixel)", () => {
  const dy = Float32Array.from([1, 2, 3, 4, 5, 6]); // [1, 1, 1, 6]
  const dw = conv1FilterGradReference(new Float32Array(25).fill(1), dy, 1, 5, 5, 0);
  for (let tap = 0; tap < 25; tap++) {
    assert.deepEqual(Array.from(dw.subarray(tap * 6, tap * 6 + 6)), [1, 2, 3, 4, 5, 6]);
  }
});

/** dW by the registered wasm kernel (the SIMD path for these shapes) on raw values. */
function wasmFilterGrad(
  x: Float32Array,
  dy: Float32Array,
  xShape: Shape4,
  dyShape: Shape4,
  pad: number,
): Float32Array {
  return tf.tidy(() => {
    const dw = tf
      .engine()
      .runKernel(
        CONV2D_BACKPROP_FILTER,
        { x: tf.tensor4d(x, xShape), dy: tf.tensor4d(dy, dyShape) },
        { strides: [1, 1], pad, dataFormat: "NHWC", filterShape: [5, 5, 1, 6] },
      ) as tf.Tensor; // [5, 5, 1, 6]
    return dw.dataSync() as Float32Array;
  });
}

// The SIMD path against its plain reference, including the paper's 32×32 valid C1 at batch 64
// and the modern 28×28 "same" C1 (pad 2): every shape the two models train with.
for (const [n, h, pad] of [
  [1, 5, 0],
  [2, 8, 0],
  [3, 7, 1],
  [64, 32, 0],
  [64, 28, 2],
]) {
  test(`C1 SIMD path matches conv1FilterGradReference: ${n}×${h}×${h}, pad ${pad}`, async () => {
    await tf.setBackend("wasm");
    const rng = new Rng(n * 100 + h + pad);
    const out = h + 2 * pad - 4;
    const x = uniform(n * h * h, rng);
    const dy = uniform(n * out * out * 6, rng);
    const expected = conv1FilterGradReference(x, dy, n, h, h, pad);
    const actual = wasmFilterGrad(x, dy, [n, h, h, 1], [n, out, out, 6], pad);
    // Sums of n·out² products in another order: two float32 epsilons per term.
    assertClose(actual, expected, { atol: 2.4e-7 * n * out * out, rtol: 1e-5, label: "dW" });
  });
}

test("C1 shapes the SIMD path leaves (odd output width) still give the right dW", async () => {
  await tf.setBackend("wasm");
  const rng = new Rng(9);
  const x = uniform(2 * 9 * 9, rng); // [2, 9, 9, 1] valid → output 5×5, odd
  const dy = uniform(2 * 5 * 5 * 6, rng);
  const expected = conv1FilterGradReference(x, dy, 2, 9, 9, 0);
  assertClose(wasmFilterGrad(x, dy, [2, 9, 9, 1], [2, 5, 5, 6], 0), expected, {
    atol: 1e-5,
    rtol: 1e-5,
    label: "dW (fallback)",
  });
});

test("the SIMD path frees its scratch: only the result stays on the heap", async () => {
  await tf.setBackend("wasm");
  const rng = new Rng(2);
  const x = tf.tensor4d(uniform(2 * 28 * 28, rng), [2, 28, 28, 1]);
  const dy = tf.tensor4d(uniform(2 * 28 * 28 * 6, rng), [2, 28, 28, 6]);
  const buffersBefore = tf.backend().numDataIds();
  const dw = tf
    .engine()
    .runKernel(
      CONV2D_BACKPROP_FILTER,
      { x, dy },
      { strides: [1, 1], pad: "same", dataFormat: "NHWC", filterShape: [5, 5, 1, 6] },
    ) as tf.Tensor; // [5, 5, 1, 6]
  assert.equal(tf.backend().numDataIds(), buffersBefore + 1);
  tf.dispose([dw, x, dy]);
});
