import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend";
import { replaceWasmKernel, runWasmKernel, type KernelArgs } from "./wasm-kernel";

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
