#!/usr/bin/env node
// Measures what each of lenet5's training-speed changes buys, in one process, interleaved, so
// that every variant sees the same machine load (docs/speed.md). Variants, each adding one idea:
//   stock      tfjs-backend-wasm's own Conv2DBackpropInput, AvgPoolGrad, BatchMatMul and Tanh,
//              model.apply forward
//              (lenet5's Conv2DBackpropFilter and corrected MaxPoolGrad, without which wasm cannot
//              train correctly, are in every variant), one thread;
//   +kernels   lenet5's Conv2DBackpropInput, AvgPoolGrad, BatchMatMul and Tanh (src/tfjs/), and the
//              2×2 fast path of its MaxPoolGrad (in every variant: it is the same kernel);
//   +forward   trainingForward: C1 as a plain convolution, no gradient for the images;
//   +2 threads the batch split over the main thread and a worker (src/train/parallel.ts).
// Each variant runs trainModel's step (Adam unless --optimizer, batch --batch) on synthetic
// inputs; rounds rotate the order; medians and min–max of images/s are printed as JSON.
//
//   npm run build && node scripts/speed-ablation.mjs [--model modern] [--batch 64] [--rounds 7]
//       [--steps 20] [--variants stock,+kernels,+forward,+2threads]
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import { getPriority, loadavg } from "node:os";

const require = createRequire(import.meta.url);
const tf = require("@tensorflow/tfjs");
require("@tensorflow/tfjs-backend-wasm");
// wasm's own kernels, captured before lenet5 replaces them.
const STOCK = ["Conv2DBackpropInput", "AvgPoolGrad", "BatchMatMul", "Tanh"];
const stock = new Map(STOCK.map((name) => [name, { ...tf.getKernel(name, "wasm") }]));
const { initBackend } = require("../dist/backend.js");
const { createModel, MODEL_SPECS } = require("../dist/models/registry.js");
const { createOptimizer } = require("../dist/train/optimizers.js");
const { modelLoss } = require("../dist/train/evaluate.js");
const { startTrainingSteps, DEFAULT_OPTIMIZERS } = require("../dist/train/train.js");
const lenet5Kernels = new Map(STOCK.map((name) => [name, { ...tf.getKernel(name, "wasm") }]));

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "modern" },
    batch: { type: "string", default: "64" },
    rounds: { type: "string", default: "7" },
    steps: { type: "string", default: "20" },
    optimizer: { type: "string" },
    variants: { type: "string", default: "stock,+kernels,+forward,+2threads" },
  },
});
const name = values.model;
const batch = Number(values.batch);
const side = MODEL_SPECS[name].inputSize;
const kind = MODEL_SPECS[name].output;
const optimizerName = values.optimizer ?? DEFAULT_OPTIMIZERS[name];

function useKernels(which) {
  for (const kernel of STOCK) {
    tf.unregisterKernel(kernel, "wasm");
    tf.registerKernel((which === "stock" ? stock : lenet5Kernels).get(kernel));
  }
}

/** The training step as it was before this work: model.apply, one thread. */
function applyStep(model, variables, optimizer, inputs, labels) {
  tf.tidy(() => {
    const x = tf.tensor4d(inputs, [labels.length, side, side, 1]);
    const y = tf.tensor1d(labels, "int32");
    const { value, grads } = tf.variableGrads(
      () => modelLoss(kind, y, model.apply(x, { training: true })),
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

await initBackend("wasm");
const rng = (() => {
  let s = 12345;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
})();
const inputs = Float32Array.from({ length: batch * side * side }, rng);
const labels = Int32Array.from({ length: batch }, (_, i) => i % 10);

const variants = values.variants.split(",");
const subjects = [];
for (const variant of variants) {
  const model = createModel(name, { seed: 0 });
  const variables = model.trainableWeights.map((w) => w.read());
  const optimizer = createOptimizer(optimizerName, {});
  const threads = variant === "+2threads" ? 2 : 1;
  const steps = await startTrainingSteps({
    model,
    modelName: name,
    modelOptions: {},
    optimizer,
    side,
    threads,
  });
  const kernels = variant === "stock" ? "stock" : "lenet5";
  const step =
    variant === "stock" || variant === "+kernels"
      ? async () => applyStep(model, variables, optimizer, inputs, labels)
      : async () => void (await steps.step(inputs, labels));
  subjects.push({ variant, kernels, step, steps, model, optimizer, rates: [] });
}

const loadBefore = loadavg()[0];
for (const s of subjects) {
  useKernels(s.kernels);
  for (let i = 0; i < 3; i++) await s.step();
}
const rounds = Number(values.rounds);
const stepsPerWindow = Number(values.steps);
for (let round = 0; round < rounds; round++) {
  const order = subjects.map((_, i) => subjects[(i + round) % subjects.length]);
  for (const s of order) {
    useKernels(s.kernels);
    const start = performance.now();
    for (let i = 0; i < stepsPerWindow; i++) await s.step();
    s.rates.push((stepsPerWindow * batch * 1000) / (performance.now() - start));
  }
  process.stderr.write(
    `round ${round + 1}: ${subjects.map((s) => `${s.variant} ${Math.round(s.rates.at(-1))}`).join(", ")}\n`,
  );
}
const summary = (rates) => {
  const sorted = [...rates].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median: Math.round(median), min: Math.round(sorted[0]), max: Math.round(sorted.at(-1)) };
};
const result = {
  model: name,
  batch,
  optimizer: optimizerName,
  rounds,
  stepsPerWindow,
  loadBefore: Math.round(loadBefore * 100) / 100,
  nice: getPriority(),
  loadAfter: Math.round(loadavg()[0] * 100) / 100,
  date: new Date().toISOString(),
  imagesPerSec: Object.fromEntries(subjects.map((s) => [s.variant, summary(s.rates)])),
};
for (const s of subjects) {
  await s.steps.dispose();
  s.optimizer.dispose();
  s.model.dispose();
}
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
