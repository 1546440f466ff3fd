// Tests for the SIMD kernel loader: the embedded module is what the AssemblyScript source compiles
// to, it owns no memory or data, and it binds to the wasm backend's heap once per backend.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import "../test-support/register-kernels"; // the kernels, as initBackend() registers them
import {
  heapOffset,
  requireSimdKernels,
  setSimdKernelsEnabled,
  simdKernelsActive,
  simdKernelsFor,
  type WasmBackendInternals,
} from "./simd-kernels";

const root = path.resolve(__dirname, "../..");

test("simd-kernels-wasm.ts is what simd-kernels.as.ts compiles to (npm run build:simd)", () => {
  // Exits non-zero (and execFileSync throws) when the file is stale or the module has data.
  const out = execFileSync(process.execPath, ["scripts/build-simd.mjs", "--check", "kernels"], {
    cwd: root,
    encoding: "utf8",
  });
  assert.match(out, /simd-kernels-wasm\.ts is up to date/);
});

test("simdKernelsFor: the TSDoc example; one instance per backend", async () => {
  await tf.setBackend("wasm");
  const kernels = simdKernelsFor(tf.backend());
  assert.equal(typeof kernels?.conv1FilterGrad5x5x6, "function");
  assert.equal(simdKernelsFor(tf.backend()), kernels);
});

test("simdKernelsFor: undefined for a backend without a WebAssembly heap (cpu)", async () => {
  await tf.setBackend("cpu");
  assert.equal(simdKernelsFor(tf.backend()), undefined);
});

test("padPlanes writes the zero-bordered copy in place on the backend's heap", async () => {
  await tf.setBackend("wasm");
  const backend = tf.backend() as unknown as WasmBackendInternals;
  const kernels = simdKernelsFor(backend);
  assert.ok(kernels !== undefined);
  // Two 2×2 planes [[1,2],[3,4]] and [[5,6],[7,8]] padded by 1 → two 4×4 planes.
  const src = tf.tensor([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
  const dst = tf.fill([2, 4, 4], 9); // overwritten everywhere, border included
  kernels.padPlanes(heapOffset(backend, src), heapOffset(backend, dst), 2, 2, 2, 1);
  // prettier-ignore
  assert.deepEqual(Array.from(await dst.data()), [
    0, 0, 0, 0,  0, 1, 2, 0,  0, 3, 4, 0,  0, 0, 0, 0,
    0, 0, 0, 0,  0, 5, 6, 0,  0, 7, 8, 0,  0, 0, 0, 0,
  ]);
  tf.dispose([src, dst]);
});

test("simdKernelsActive and setSimdKernelsEnabled: the TSDoc examples", async () => {
  await tf.setBackend("wasm");
  assert.equal(simdKernelsActive(), true);
  setSimdKernelsEnabled(tf.backend(), false);
  assert.equal(simdKernelsActive(), false);
  assert.equal(simdKernelsFor(tf.backend()), undefined);
  setSimdKernelsEnabled(tf.backend(), true);
  assert.equal(simdKernelsActive(), true);
});

test("with the SIMD kernels off, the portable paths give the same C1 filter gradient", async () => {
  await tf.setBackend("wasm");
  const x = tf.randomUniform([4, 28, 28, 1], -1, 1, "float32", 3) as tf.Tensor4D;
  const dy = tf.randomUniform([4, 28, 28, 6], -1, 1, "float32", 4) as tf.Tensor4D;
  const grad = () =>
    tf.tidy(
      () =>
        tf
          .engine()
          .runKernel(
            "Conv2DBackpropFilter",
            { x, dy },
            { strides: [1, 1], pad: "same", dataFormat: "NHWC", filterShape: [5, 5, 1, 6] },
          ) as tf.Tensor,
    ); // [5, 5, 1, 6]
  const fast = grad();
  setSimdKernelsEnabled(tf.backend(), false);
  const portable = grad();
  setSimdKernelsEnabled(tf.backend(), true);
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(fast, portable))).dataSync()[0]);
  assert.ok(diff < 1e-3, `SIMD and portable C1 filter gradients differ by ${diff}`);
  tf.dispose([x, dy, fast, portable]);
});

test("requireSimdKernels: the TSDoc example; names the kernel where they cannot run", async () => {
  await tf.setBackend("wasm");
  assert.equal(typeof requireSimdKernels(tf.backend(), "Lenet5ScaledTanh").scaledTanh, "function");
  await tf.setBackend("cpu");
  assert.throws(
    () => requireSimdKernels(tf.backend(), "Lenet5ScaledTanh"),
    /Lenet5ScaledTanh: the SIMD kernels cannot run here/,
  );
});
