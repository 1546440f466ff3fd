// Test support, run as a child process by src/kernels/register.test.ts (node --import tsx): in a
// fresh process, imports lenet5, calls initBackend("wasm") — with tfjs's wasm backend already
// started first when given --wasm-first — then checks that every lenet5 kernel is in place, that
// each replacement kept wasm's own set-up function, and that the fallbacks (wasm's own kernels,
// for the shapes lenet5's leave to them) and lenet5's own paths agree with the cpu backend.
// Prints "registration-check: ok" or throws.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";

/** One computation to run on wasm and on cpu, returning its results' values. */
type Probe = () => tf.Tensor[];

const rng = (() => {
  let s = 12345;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
})();
/** A tensor maker with values drawn once: every call makes the same values on the active backend. */
const random = (shape: number[]) => {
  const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, rng);
  return () => tf.tensor(values, shape);
};

/** Each replaced kernel's fallback (a shape lenet5's leaves to wasm) and one own path each. */
function probes(): Record<string, Probe> {
  const [x, filter, c1Input, c1Filter] = [
    [2, 9, 9, 2],
    [3, 3, 2, 3],
    [2, 12, 12, 1],
    [5, 5, 1, 6],
  ]
    .map(random)
    .map((make) => () => make() as tf.Tensor4D);
  const [a, b, c] = [
    [2, 3, 4],
    [2, 4, 5],
    [3, 4, 5],
  ].map(random);
  return {
    "FusedConv2D fallback (3×3, 2 → 3 channels)": () => [
      tf.fused.conv2d({ x: x(), filter: filter(), strides: 1, pad: "same" }),
    ],
    "Conv2DBackpropInput fallback (stride 2) and Conv2DBackpropFilter": () =>
      tf.grads((t: tf.Tensor, w: tf.Tensor) =>
        tf.sum(tf.conv2d(t as tf.Tensor4D, w as tf.Tensor4D, 2, "same")),
      )([x(), filter()]),
    "BatchMatMul fallback (batch of 2)": () => [tf.matMul(a(), b())],
    "Sum fallback (inner axis)": () => [tf.sum(c(), 1)],
    "AvgPoolGrad fallback (3×3 window, stride 1)": () => [
      tf.grad((t: tf.Tensor) => tf.sum(tf.avgPool(t as tf.Tensor4D, 3, 1, "valid")))(x()),
    ],
    "MaxPoolGrad, Tanh and lenet5's C1 paths": () =>
      tf.grads((t: tf.Tensor, w: tf.Tensor) => {
        const y = tf.fused.conv2d({
          x: t as tf.Tensor4D,
          filter: w as tf.Tensor4D,
          strides: 1,
          pad: "same",
        });
        return tf.sum(tf.tanh(tf.maxPool(y, 2, 2, "valid")));
      })([c1Input(), c1Filter()]),
  };
}

async function main(): Promise<void> {
  const wasmFirst = process.argv.includes("--wasm-first");
  const stock = new Map(tf.getKernelsForBackend("wasm").map((k) => [k.kernelName, k]));
  if (wasmFirst) assert.ok(await tf.setBackend("wasm"), "wasm started before initBackend");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lenet5 = require("../index") as typeof import("../index");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const register = require("../kernels/register") as typeof import("../kernels/register");
  assert.equal(await lenet5.initBackend("wasm"), "wasm");

  for (const config of register.ADDED_KERNELS) {
    const got = tf.getKernel(config.kernelName, config.backendName);
    assert.equal(got?.kernelFunc, config.kernelFunc, `${config.backendName}/${config.kernelName}`);
  }
  for (const { kernelName } of register.REPLACED_WASM_KERNELS) {
    const got = tf.getKernel(kernelName, "wasm");
    const before = stock.get(kernelName);
    assert.ok(got !== undefined && before !== undefined, `wasm/${kernelName} registered`);
    assert.notEqual(got.kernelFunc, before.kernelFunc, `wasm/${kernelName} is lenet5's`);
    assert.equal(got.setupFunc, before.setupFunc, `wasm/${kernelName} kept wasm's set-up`);
  }
  assert.deepEqual(register.registerLenet5Kernels(), { added: [], replaced: [] }, "idempotent");

  for (const [name, probe] of Object.entries(probes())) {
    await tf.setBackend("wasm");
    const onWasm = tf.tidy(probe).map((t) => Array.from(t.dataSync()));
    await tf.setBackend("cpu");
    const onCpu = tf.tidy(probe).map((t) => Array.from(t.dataSync()));
    onWasm.forEach((values, k) => {
      const worst = values.reduce((m, v, i) => Math.max(m, Math.abs(v - onCpu[k][i])), 0);
      assert.ok(worst < 1e-4, `${name}, output ${k}: wasm and cpu differ by ${worst}`);
    });
  }
  console.log("registration-check: ok");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
