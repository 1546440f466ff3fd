// What the speed scripts (profile-step.mjs, speed-ablation.mjs) share: tfjs with wasm's own
// kernels captured before lenet5's initBackend replaces them, a switch between those and lenet5's, the
// training step as it was before the speed work (model.apply, one thread), and a synthetic
// batch. Needs the compiled library (npm run build).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
export const tf = require("@tensorflow/tfjs");
require("@tensorflow/tfjs-backend-wasm");

/** The wasm kernels lenet5 replaces with faster ones (src/kernels/), captured before it does. */
export const REPLACED_KERNELS = [
  "Conv2DBackpropInput",
  "AvgPoolGrad",
  "BatchMatMul",
  "Tanh",
  "Sum",
  "FusedConv2D",
];
/** lenet5's fused optimiser kernel, which wasm has no counterpart of (absent: the op chain runs). */
const ADAM_KERNEL = "Lenet5AdamUpdate";
const stockKernels = new Map(
  REPLACED_KERNELS.map((name) => [name, { ...tf.getKernel(name, "wasm") }]),
);

// Importing lenet5 registers nothing: wasm's own kernels above are still the stock ones.
export const lenet5 = {
  ...require("../../dist/backend.js"),
  ...require("../../dist/models/registry.js"),
  ...require("../../dist/train/optimizers.js"),
  ...require("../../dist/train/evaluate.js"),
  ...require("../../dist/train/train.js"),
  ...require("../../dist/kernels/simd-kernels.js"),
};
/** lenet5's kernels, captured at the first useKernels call (after initBackend registered them). */
let lenet5Kernels = null;

/**
 * Chooses which of lenet5's speed-ups the wasm backend runs (call after initBackend):
 * "stock" = wasm's own kernels, no SIMD kernels, Adam as 13 ops per weight (before issue #6);
 * "kernels" = lenet5's JavaScript/XNNPACK kernels only (session 2's); "simd" = plus the
 * WebAssembly SIMD kernels and fused layers; "lenet5" = everything, fused Adam included.
 */
export function useKernels(which) {
  if (tf.getKernel(ADAM_KERNEL, "wasm") === undefined && lenet5Kernels === null) {
    throw new Error("speed-harness: call initBackend() before useKernels()");
  }
  lenet5Kernels ??= new Map(
    [...REPLACED_KERNELS, ADAM_KERNEL].map((name) => [name, { ...tf.getKernel(name, "wasm") }]),
  );
  const own = which !== "stock";
  for (const kernel of REPLACED_KERNELS) {
    tf.unregisterKernel(kernel, "wasm");
    tf.registerKernel((own ? lenet5Kernels : stockKernels).get(kernel));
  }
  if (tf.getKernel(ADAM_KERNEL, "wasm") !== undefined) tf.unregisterKernel(ADAM_KERNEL, "wasm");
  if (which === "lenet5") tf.registerKernel(lenet5Kernels.get(ADAM_KERNEL));
  lenet5.setSimdKernelsEnabled(tf.backend(), which === "simd" || which === "lenet5");
}

/** The training step as it was before the speed work: model.apply, one thread. */
export function applyStep(model, kind, variables, optimizer, inputs, labels, side) {
  tf.tidy(() => {
    const x = tf.tensor4d(inputs, [labels.length, side, side, 1]);
    const y = tf.tensor1d(labels, "int32");
    const { value, grads } = tf.variableGrads(
      () => lenet5.modelLoss(kind, y, model.apply(x, { training: true })),
      variables,
    );
    optimizer.step(
      variables,
      variables.map((v) => grads[v.name]),
      { batchSize: labels.length },
    );
    value.dataSync();
  });
}

/** A seeded synthetic batch: inputs [batch, side, side, 1] in ±1, labels 0…9 in turn. */
export function syntheticBatch(batch, side, seed = 12345) {
  let s = seed;
  const random = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const inputs = Float32Array.from({ length: batch * side * side }, random);
  const labels = Int32Array.from({ length: batch }, (_, i) => i % 10);
  return { inputs, labels };
}
