// Tests for the wasm FusedConv2D kernel of C1's shape: its plain reference by hand, the SIMD path
// against the reference and against tfjs's cpu kernel, and the shapes it leaves to wasm's own.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "../test-support/register-kernels"; // the kernels, as initBackend() registers them
import { conv1ForwardReference } from "./fused-conv2d";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";

const uniform = (length: number, rng: Rng) =>
  Float32Array.from({ length }, () => rng.uniform(-1, 1));

test("conv1ForwardReference: the TSDoc example", () => {
  const filter = Float32Array.from({ length: 150 }, (_, i) => i % 6);
  const y = conv1ForwardReference(
    new Float32Array(25).fill(1),
    1,
    5,
    5,
    0,
    filter,
    new Float32Array(6),
    false,
  );
  assert.deepEqual(Array.from(y), [0, 25, 50, 75, 100, 125]);
});

/** tf.fused.conv2d of C1's filter on `backend`. */
async function fusedOn(
  backend: string,
  x: Float32Array,
  shape: [number, number, number, number],
  filter: Float32Array,
  bias: Float32Array,
  pad: "valid" | "same" | number,
  activation: "linear" | "relu",
): Promise<Float32Array> {
  await tf.setBackend(backend);
  return tf.tidy(
    () =>
      tf.fused
        .conv2d({
          x: tf.tensor4d(x, shape),
          filter: tf.tensor4d(filter, [5, 5, 1, 6]),
          bias: tf.tensor1d(bias),
          strides: 1,
          pad,
          activation,
        })
        .dataSync() as Float32Array,
  );
}

// The paper's 32×32 valid C1 and the modern 28×28 "same" C1 at batch 64, a ReLU, small cases,
// and shapes left to wasm's own kernel (an output width of 3 or 5: not a multiple of 4).
for (const [n, h, w, pad, activation] of [
  [64, 32, 32, 0, "linear"],
  [64, 28, 28, 2, "linear"],
  [3, 28, 28, 2, "relu"],
  [2, 8, 12, 0, "linear"],
  [1, 6, 6, 1, "relu"],
  [2, 7, 7, 0, "linear"],
  [1, 9, 7, 1, "relu"],
] as const) {
  test(`wasm FusedConv2D for C1's filter: x [${n},${h},${w},1], pad ${pad}, ${activation}`, async () => {
    const rng = new Rng(n * h + w + pad);
    const x = uniform(n * h * w, rng);
    const filter = uniform(150, rng);
    const bias = uniform(6, rng);
    await tf.setBackend("wasm");
    const before = tf.memory().numTensors;
    const wasm = await fusedOn("wasm", x, [n, h, w, 1], filter, bias, pad, activation);
    assert.equal(tf.memory().numTensors, before, "tensors leaked");
    const cpu = await fusedOn("cpu", x, [n, h, w, 1], filter, bias, pad, activation);
    const reference = conv1ForwardReference(x, n, h, w, pad, filter, bias, activation === "relu");
    // 25 products of magnitude ≤ 1 plus a bias, summed in another order.
    assertClose(wasm, reference, { atol: 2e-6, rtol: 1e-5, label: "wasm vs reference" });
    assertClose(wasm, cpu, { atol: 2e-6, rtol: 1e-5, label: "wasm vs cpu" });
  });
}

test("other convolutions (two input channels) still go to wasm's own kernel, correctly", async () => {
  const x = uniform(2 * 8 * 8 * 2, new Rng(1));
  const filter = uniform(5 * 5 * 2 * 6, new Rng(2));
  const bias = uniform(6, new Rng(3));
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    return tf.tidy(
      () =>
        tf.fused
          .conv2d({
            x: tf.tensor4d(x, [2, 8, 8, 2]),
            filter: tf.tensor4d(filter, [5, 5, 2, 6]),
            bias: tf.tensor1d(bias),
            strides: 1,
            pad: "valid",
          })
          .dataSync() as Float32Array,
    ); // [2, 4, 4, 6]
  };
  assertClose(await run("wasm"), await run("cpu"), { atol: 2e-6, rtol: 1e-5, label: "y" });
});

test("the SIMD path frees its scratch: only the result stays on the heap", async () => {
  await tf.setBackend("wasm");
  const x = tf.zeros([2, 28, 28, 1]) as tf.Tensor4D;
  const filter = tf.zeros([5, 5, 1, 6]) as tf.Tensor4D;
  const bias = tf.zeros([6]) as tf.Tensor1D;
  const buffersBefore = tf.backend().numDataIds();
  const y = tf.fused.conv2d({ x, filter, bias, strides: 1, pad: "same" }); // [2, 28, 28, 6]
  assert.equal(tf.backend().numDataIds(), buffersBefore + 1);
  tf.dispose([x, filter, bias, y]);
});
