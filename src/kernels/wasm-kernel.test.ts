import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend";
import {
  cpuFloat32,
  registerMissingKernels,
  replaceWasmKernel,
  runWasmKernel,
  type CpuKernelBackend,
  type KernelArgs,
} from "./wasm-kernel";

before(() => initBackend("wasm"));

test("doc example: replaceWasmKernel registers once per tag, keeping the previous kernel as fallback", () => {
  const TAG = Symbol("lenet5.example");
  const identity = (() => (args: KernelArgs) => args.inputs.x) as () => tf.KernelFunc;
  try {
    assert.equal(replaceWasmKernel("Lenet5Example", TAG, identity), true); // registered
    assert.equal(replaceWasmKernel("Lenet5Example", TAG, identity), false); // already in place
    let seen: tf.KernelFunc | undefined;
    const OTHER = Symbol("lenet5.other");
    assert.equal(
      replaceWasmKernel("Lenet5Example", OTHER, (fallback) => {
        seen = fallback;
        return identity();
      }),
      true,
    );
    assert.ok(seen !== undefined && TAG in seen, "the first kernel is handed over as the fallback");
  } finally {
    tf.unregisterKernel("Lenet5Example", "wasm");
  }
});

test("runWasmKernel runs a wasm kernel on TensorInfos, and names a missing one", () => {
  const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]); // [2, 3]
  const backend = tf.backend();
  const info = runWasmKernel(backend, "Transpose", { x }, { perm: [1, 0] }); // [3, 2]
  const transposed = tf.engine().makeTensorFromTensorInfo(info);
  assert.deepEqual(transposed.shape, [3, 2]);
  assert.deepEqual(Array.from(transposed.dataSync()), [1, 4, 2, 5, 3, 6]);
  transposed.dispose();
  x.dispose();
  assert.throws(
    () => runWasmKernel(backend, "NoSuchKernel", { x }, {}),
    /wasm has no 'NoSuchKernel' kernel/,
  );
});

test("registerMissingKernels: the TSDoc example (a second call registers nothing)", () => {
  const kernelFunc = ((args: KernelArgs) => args.inputs.x) as tf.KernelFunc;
  const config = { kernelName: "Lenet5Example2", backendName: "cpu", kernelFunc };
  try {
    assert.deepEqual(registerMissingKernels([config]), [config]);
    assert.deepEqual(registerMissingKernels([config]), []);
  } finally {
    tf.unregisterKernel("Lenet5Example2", "cpu");
  }
});

test("cpuFloat32 reads a cpu tensor's own values, and names a non-float input", async () => {
  await tf.setBackend("cpu");
  const backend = tf.backend() as unknown as CpuKernelBackend;
  const x = tf.tensor1d([1.5, -2]);
  const n = tf.tensor1d([1, 2], "int32");
  assert.deepEqual(Array.from(cpuFloat32(backend, x, "test")), [1.5, -2]);
  assert.throws(() => cpuFloat32(backend, n, "Lenet5Test"), /Lenet5Test: cpu data not float32/);
  tf.dispose([x, n]);
  await tf.setBackend("wasm");
});
