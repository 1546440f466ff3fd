#!/usr/bin/env node
// Measures what each of lenet5's training-speed changes buys, in one process, interleaved, so
// that every variant sees the same machine load (docs/speed.md). Variants, each adding one idea:
//   stock      tfjs-backend-wasm's own Conv2DBackpropInput, AvgPoolGrad, BatchMatMul, Tanh and
//              Sum, Adam as 13 tf ops per weight, model.apply forward
//              (lenet5's Conv2DBackpropFilter and corrected MaxPoolGrad, without which wasm cannot
//              train correctly, are in every variant), one thread;
//   +kernels   lenet5's Conv2DBackpropInput, AvgPoolGrad, BatchMatMul, Tanh and Sum (src/kernels/),
//              without their WebAssembly SIMD paths;
//   +simd      the SIMD kernels (src/kernels/simd-kernels.as.ts): C1's filter gradient, C3's input
//              gradient by col2im, bias sums, the fused scaled tanh and subsampling;
//   +adam      one fused kernel per weight for Adam (src/kernels/adam-update.ts);
//   +forward   trainingForward: C1 without a gradient for the images, and ReLU + max pool fused;
//   +2threads  the batch split over the main thread and a worker (src/train/parallel.ts).
// Each variant runs trainModel's step (Adam unless --optimizer, batch --batch) on synthetic
// inputs; rounds rotate the order; medians and min–max of images/s are printed as JSON.
//
//   npm run build && node scripts/speed-ablation.mjs [--model modern] [--batch 64] [--rounds 7]
//       [--steps 20] [--variants stock,+kernels,+simd,+adam,+forward,+2threads]
import { parseArgs } from "node:util";
import { getPriority, loadavg } from "node:os";
import { applyStep, lenet5, syntheticBatch, useKernels } from "./lib/speed-harness.mjs";

const {
  initBackend,
  createModel,
  MODEL_SPECS,
  createOptimizer,
  startTrainingSteps,
  DEFAULT_OPTIMIZERS,
} = lenet5;

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "modern" },
    batch: { type: "string", default: "64" },
    rounds: { type: "string", default: "7" },
    steps: { type: "string", default: "20" },
    optimizer: { type: "string" },
    variants: { type: "string", default: "stock,+kernels,+simd,+adam,+forward,+2threads" },
  },
});
const name = values.model;
const batch = Number(values.batch);
const side = MODEL_SPECS[name].inputSize;
const kind = MODEL_SPECS[name].output;
const optimizerName = values.optimizer ?? DEFAULT_OPTIMIZERS[name];

await initBackend("wasm");
const { inputs, labels } = syntheticBatch(batch, side);

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
  const kernels = { stock: "stock", "+kernels": "kernels", "+simd": "simd" }[variant] ?? "lenet5";
  const step =
    variant === "stock" || variant === "+kernels" || variant === "+simd" || variant === "+adam"
      ? async () => applyStep(model, kind, variables, optimizer, inputs, labels, side)
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
