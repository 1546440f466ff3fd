#!/usr/bin/env node
// The engine's speed, step by step (docs/speed.md): for each net at one batch size, training
// images/s of the plain reference (src/scratch/, a gradient only), tfjs autograd (trainModel's
// engine: "tfjs" path, one thread), the engine on one thread and on two; and, on the engine, the
// forward pass alone (predict) and the gradient pass alone (no update), for a profile. Windows
// interleave (round r: every measurement once), so all see the same machine; the JSON gives the
// median and min–max of each, and the FLOPs per image each net needs.
//
//   npm run build && node scripts/engine-speed.mjs [--batch 64] [--windows 5] [--out docs/engine-speed.json]
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const lenet5 = require("../dist/index.js");
const { Engine } = require("../dist/engine/engine.js");
const { startNodeHelper } = require("../dist/engine/node-helper.js");
const { startTrainingSteps } = require("../dist/train/train.js");

const { values } = parseArgs({
  options: {
    batch: { type: "string", default: "64" },
    windows: { type: "string", default: "5" },
    out: { type: "string" },
  },
});
const batch = Number(values.batch);
const windows = Number(values.windows);

/**
 * Multiply–adds per image of each net's forward pass, layer by layer from its shapes; a training
 * step does the forward, the weight gradients (as many) and the input gradients (as many, but
 * C1 needs none): 3·forward − C1, two FLOPs per multiply–add. These are the nets' own FLOPs:
 * the engine runs Table I's C3 as a full 6 → 16 kernel with zeros (2,400 weights for 1,500),
 * 90,000 multiply–adds per image more than `historical` needs.
 */
const MACS = {
  historical: {
    C1: 28 * 28 * 6 * 25,
    C3: 10 * 10 * 1500,
    C5: 400 * 120,
    F6: 120 * 84,
    OUTPUT: 10 * 84,
  },
  modern: {
    C1: 28 * 28 * 6 * 25,
    C3: 10 * 10 * 16 * 150,
    C5: 400 * 120,
    F6: 120 * 84,
    OUTPUT: 84 * 10,
  },
};
function flops(net) {
  const m = MACS[net];
  const forward = Object.values(m).reduce((a, b) => a + b, 0);
  return { forwardMflop: (2 * forward) / 1e6, trainMflop: (2 * (3 * forward - m.C1)) / 1e6 };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
const summary = (xs) => ({
  median: median(xs),
  min: Math.min(...xs),
  max: Math.max(...xs),
  windows: xs,
});

async function rate(steps, imagesEach, work) {
  await work(); // untimed
  const start = performance.now();
  for (let i = 0; i < steps; i++) await work();
  return (steps * imagesEach) / ((performance.now() - start) / 1000);
}

await lenet5.initBackend();
const test = lenet5.loadMnist({ split: "test" });
const results = {};
for (const net of ["historical", "modern"]) {
  const side = net === "historical" ? 32 : 28;
  const normalisation = net === "historical" ? "paper" : "modern";
  const inputs = lenet5.toNetworkInput(test.images.subarray(0, batch * 784), batch, {
    size: side,
    normalisation,
  });
  const labels = Int32Array.from(test.labels.subarray(0, batch));
  const model = lenet5.createModel(net, { seed: 1 });
  const params = net === "historical" ? lenet5.historicalParams(model) : lenet5.modernParams(model);
  const engines = [1, 2].map((threads) => {
    const e = Engine.create(net, {
      maxBatch: batch,
      ...(threads === 2 ? { helper: startNodeHelper } : {}),
    });
    e.setParams(params);
    e.setOptimizer({ name: "sgd", learningRate: 0 }); // a step's cost, weights unchanged
    return e;
  });
  const optimizer = lenet5.createOptimizer("sgd", { learningRate: 0 });
  const tfjs = await startTrainingSteps({
    model,
    modelName: net,
    modelOptions: {},
    optimizer,
    side,
    threads: 1,
    engine: "tfjs",
  });
  const x = { shape: [batch, side, side, 1], data: inputs };
  const forward =
    net === "historical" ? lenet5.scratch.historicalForward : lenet5.scratch.modernForward;
  const backward =
    net === "historical" ? lenet5.scratch.historicalBackward : lenet5.scratch.modernBackward;
  const measurements = {
    "plain reference (gradient only)": () =>
      rate(1, batch, () => void backward(params, forward(params, x), labels)),
    "tfjs autograd, 1 thread": () => rate(10, batch, () => tfjs.step(inputs, labels)),
    "engine, 1 thread": () => rate(50, batch, () => void engines[0].step(inputs, labels)),
    "engine, 2 threads": () => rate(50, batch, () => void engines[1].step(inputs, labels)),
    "engine, 1 thread, gradient pass only": () =>
      rate(50, batch, () => void engines[0].computeGradients(inputs, labels)),
    "engine, 1 thread, forward only": () => rate(50, batch, () => void engines[0].predict(inputs)),
  };
  const rates = Object.fromEntries(Object.keys(measurements).map((k) => [k, []]));
  for (let w = 0; w < windows; w++) {
    for (const [name, measure] of Object.entries(measurements)) {
      rates[name].push(await measure());
      console.error(
        `${net} window ${w + 1}/${windows} ${name}: ${Math.round(rates[name].at(-1))} img/s`,
      );
    }
  }
  results[net] = {
    ...flops(net),
    rates: Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, summary(v)])),
  };
  await tfjs.dispose();
  engines.forEach((e) => e.dispose());
  optimizer.dispose();
  model.dispose();
}
const out = {
  date: new Date().toISOString(),
  batch,
  windows,
  loadAfter: loadavg()[0],
  node: process.version,
  results,
};
const json = JSON.stringify(out, null, 2);
if (values.out) writeFileSync(values.out, `${json}\n`);
console.log(json);
