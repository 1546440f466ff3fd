#!/usr/bin/env node
// Per-kernel profile of one lenet5 training step (trainModel's own step, one thread, on wasm):
// tf.profile over --profiled steps, each kernel's wall time per step, largest first (docs/speed.md).
// With --stock, tfjs-backend-wasm's own Conv2DBackpropInput, AvgPoolGrad, BatchMatMul and Tanh replace
// lenet5's (the profile before the speed work; lenet5's Conv2DBackpropFilter and MaxPoolGrad stay:
// wasm has no working ones), and the step differentiates model.apply as it used to.
//
//   npm run build && node scripts/profile-step.mjs [--model modern] [--batch 64] [--top 25]
//       [--profiled 10] [--stock] [--json]
import { parseArgs } from "node:util";
import { loadavg } from "node:os";
import { applyStep, lenet5, syntheticBatch, tf, useKernels } from "./lib/speed-harness.mjs";

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
    top: { type: "string", default: "25" },
    profiled: { type: "string", default: "10" },
    stock: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});
const name = values.model;
const batch = Number(values.batch);
const side = MODEL_SPECS[name].inputSize;
const kind = MODEL_SPECS[name].output;

await initBackend("wasm");
if (values.stock) useKernels("stock");
const model = createModel(name, { seed: 0 });
const variables = model.trainableWeights.map((w) => w.read());
const optimizer = createOptimizer(DEFAULT_OPTIMIZERS[name], {});
const steps = await startTrainingSteps({
  model,
  modelName: name,
  modelOptions: {},
  optimizer,
  side,
  threads: 1,
});
const { inputs, labels } = syntheticBatch(batch, side, 7);
const step = values.stock
  ? async () => applyStep(model, kind, variables, optimizer, inputs, labels, side)
  : async () => void (await steps.step(inputs, labels));

for (let i = 0; i < 5; i++) await step();
const loadBefore = loadavg()[0];
const times = [];
for (let r = 0; r < 5; r++) {
  const start = performance.now();
  for (let i = 0; i < 10; i++) await step();
  times.push((performance.now() - start) / 10);
}
times.sort((a, b) => a - b);
const profiled = Number(values.profiled);
const byKernel = new Map();
for (let i = 0; i < profiled; i++) {
  const info = await tf.profile(step);
  for (const k of info.kernels) {
    // Ops that wrap kernels listed on their own: tfjs's fused ops ("…__op") and the custom
    // gradient of trainingForward's C1 ("forward").
    if (k.name.endsWith("__op") || k.name === "forward") continue;
    const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
    const entry = byKernel.get(key) ?? {
      kernel: k.name,
      inputShapes: k.inputShapes,
      ms: 0,
      calls: 0,
    };
    entry.ms += k.kernelTimeMs / profiled;
    entry.calls += 1 / profiled;
    byKernel.set(key, entry);
  }
}
const rows = [...byKernel.values()].sort((a, b) => b.ms - a.ms);
const kernelMs = rows.reduce((sum, r) => sum + r.ms, 0);
const result = {
  model: name,
  batch,
  variant: values.stock ? "stock wasm kernels, model.apply" : "lenet5 (trainModel's step)",
  stepMs: { median: times[2], min: times[0], max: times[4] },
  imagesPerSec: Math.round((batch * 1000) / times[2]),
  kernelMsPerStep: kernelMs,
  kernelsPerStep: Math.round(rows.reduce((sum, r) => sum + r.calls, 0)),
  loadBefore: Math.round(loadBefore * 100) / 100,
  loadAfter: Math.round(loadavg()[0] * 100) / 100,
  top: rows.slice(0, Number(values.top)).map((r) => ({ ...r, ms: Math.round(r.ms * 1000) / 1000 })),
};
if (values.json) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} else {
  console.log(
    `${name}, batch ${batch}, ${result.variant}: step ${times[2].toFixed(1)} ms (${times[0].toFixed(1)}–${times[4].toFixed(1)}) → ${result.imagesPerSec} img/s; ` +
      `kernels ${kernelMs.toFixed(1)} ms in ${result.kernelsPerStep} calls; load ${result.loadBefore}`,
  );
  for (const r of result.top) {
    console.log(
      `${r.ms.toFixed(3).padStart(8)} ms  ${r.calls.toFixed(0).padStart(3)}×  ${r.kernel} ${JSON.stringify(r.inputShapes)}`,
    );
  }
}
await steps.dispose();
optimizer.dispose();
model.dispose();
