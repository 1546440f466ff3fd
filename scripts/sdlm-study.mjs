#!/usr/bin/env node
// The paper's own training of LeNet-5, reading by reading (issue: the paper's SDLM): online SDLM
// (one example per update), μ = 0.02, the paper's η schedule, h_kk re-estimated on 500 random
// training digits before every pass, 20 passes — on lenet5's whole-step engine. Each candidate
// reading changes one thing: the initialisation scale, the curvature at F6's output, how often
// h_kk is re-estimated in the first pass. Every run records the first pass's ε_k = η/(μ + h_kk)
// percentiles (against the paper's 7×10⁻⁵ … 0.016, Section III-B), the training and test error
// after every pass, and whether it diverged.
//
//   node scripts/sdlm-study.mjs --run NAME [--passes 20] [--out docs/sdlm-study/NAME.json]
//   node scripts/sdlm-study.mjs --list
//
// Needs `npm run build` first (it reads dist/). Ctrl-C stops it; the JSON is written after every
// pass, so a stopped run keeps what it measured.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const lenet5 = require("../dist/index.js");
const { Engine } = require("../dist/engine/engine.js");
const { startNodeHelper } = require("../dist/engine/node-helper.js");
const { SDLM_MU, SDLM_SCHEDULE, SDLM_FINAL_RATE, SDLM_HESSIAN_SAMPLES, TABLE_I, Rng } = lenet5;

/** The candidate readings: what each changes from the paper's recipe as printed. */
const RUNS = {
  "as-printed": {
    init: "F",
    curvature: "eq9",
    reestimate: 0,
    about: "±2.4/F_i, h from eq. 9's exact curvature",
  },
  "sqrt-init": { init: "sqrtF", curvature: "eq9", reestimate: 0, about: "±2.4/√F_i, h from eq. 9" },
  "yd-2": { init: "F", curvature: 2, reestimate: 0, about: "±2.4/F_i, h from y_D alone (∂² = 2)" },
  "yd-1": {
    init: "F",
    curvature: 1,
    reestimate: 0,
    about: "±2.4/F_i, h from ½·y_D (∂² = 1, EBLearn)",
  },
  "sqrt-init-yd-2": {
    init: "sqrtF",
    curvature: 2,
    reestimate: 0,
    about: "±2.4/√F_i, h from y_D alone",
  },
  "reestimate-1000": {
    init: "F",
    curvature: "eq9",
    reestimate: 1000,
    about: "±2.4/F_i, eq. 9, h re-estimated every 1,000 updates in pass 1",
  },
  "sqrt-init-reestimate-1000": {
    init: "sqrtF",
    curvature: "eq9",
    reestimate: 1000,
    about: "±2.4/√F_i, eq. 9, h every 1,000 updates in pass 1",
  },
  "sqrt-init-yd-2-reestimate-1000": {
    init: "sqrtF",
    curvature: 2,
    reestimate: 1000,
    about: "±2.4/√F_i, y_D alone, h every 1,000 updates in pass 1",
  },
  "sqrt-init-reestimate-1000-every-pass": {
    init: "sqrtF",
    curvature: "eq9",
    reestimate: 1000,
    everyPass: true,
    about: "±2.4/√F_i, eq. 9, h every 1,000 updates in every pass (beyond the paper)",
  },
};

const { values } = parseArgs({
  options: {
    run: { type: "string" },
    passes: { type: "string", default: "20" },
    out: { type: "string" },
    seed: { type: "string", default: "1" },
    distort: { type: "boolean", default: false },
    list: { type: "boolean", default: false },
  },
});
if (values.list) {
  for (const [name, run] of Object.entries(RUNS)) console.log(`${name.padEnd(28)} ${run.about}`);
  process.exit(0);
}
const run = RUNS[values.run];
if (run === undefined) {
  console.error(`sdlm-study: --run must be one of ${Object.keys(RUNS).join(", ")}`);
  process.exit(2);
}
const passes = Number(values.passes);
const seed = Number(values.seed);
const out = values.out ?? `docs/sdlm-study/${values.run}${values.distort ? "-distorted" : ""}.json`;

/** η of pass `p` (1-based): the paper's schedule (Section III-C). */
function rateOf(p) {
  let first = 1;
  for (const { passes: n, rate } of SDLM_SCHEDULE) {
    if (p < first + n) return rate;
    first += n;
  }
  return SDLM_FINAL_RATE;
}

/** Fan-in F_i of every weight's unit, in the record's order (C3: per output map, Table I). */
function fanIns() {
  const c3 = [];
  TABLE_I.forEach((row) => row.forEach(() => c3.push(25 * row.length)));
  return {
    c1: [25, 25],
    s2: [4, 4],
    c3: [(i) => c3[i % 60], (i) => 25 * TABLE_I[i].length],
    s4: [4, 4],
    c5: [400, 400],
    f6: [120, 120],
  };
}

/** The paper's initialisation (±2.4/F_i), or the same draws scaled to ±2.4/√F_i. */
function initialParams() {
  const model = lenet5.createModel("historical", { seed });
  const params = lenet5.historicalParams(model);
  model.dispose();
  if (run.init === "F") return params;
  const fans = fanIns();
  for (const [layer, [kernelFan, biasFan]] of Object.entries(fans)) {
    const tensors = Object.values(params[layer]);
    [kernelFan, biasFan].forEach((fan, k) => {
      const t = tensors[k];
      for (let i = 0; i < t.data.length; i++)
        t.data[i] *= Math.sqrt(typeof fan === "function" ? fan(i) : fan);
    });
  }
  return params;
}

function percentile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** ε_k = η/(μ + h_kk) over every weight: its spread. */
function rateSpread(hessian, eta) {
  const rates = Float64Array.from(
    lenet5.scratch.namedTensors(hessian).flatMap(([, t]) => Array.from(t.data)),
    (h) => eta / (SDLM_MU + h),
  ).sort();
  return {
    min: rates[0],
    p05: percentile(rates, 0.05),
    median: percentile(rates, 0.5),
    p95: percentile(rates, 0.95),
    max: rates[rates.length - 1],
  };
}

function errorRate(engine, inputs, labels, count) {
  let wrong = 0;
  for (let from = 0; from < count; from += 1000) {
    const n = Math.min(1000, count - from);
    const out = engine.predict(inputs.subarray(from * 1024, (from + n) * 1024));
    for (let k = 0; k < n; k++) {
      let best = 0;
      for (let c = 1; c < 10; c++) if (out[k * 10 + c] < out[k * 10 + best]) best = c;
      if (best !== labels[from + k]) wrong++;
    }
  }
  return wrong / count;
}

function save(result) {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(`${out}.tmp`, JSON.stringify(result, null, 2) + "\n");
  renameSync(`${out}.tmp`, out);
}

await lenet5.initBackend();
const train = lenet5.loadMnist({ split: "train" });
const test = lenet5.loadMnist({ split: "test" });
const trainInputs = lenet5.toNetworkInput(train.images, train.count);
const testInputs = lenet5.toNetworkInput(test.images, test.count);
const rng = new Rng(seed);
const engine = Engine.create("historical", {
  maxBatch: 1000,
  outputCurvature: run.curvature === "eq9" ? "eq9" : run.curvature,
  helper: startNodeHelper,
});
engine.setParams(initialParams());
engine.setOptimizer({ name: "sdlm", learningRate: rateOf(1), mu: SDLM_MU, batchScaling: "sum" });

const sample = new Float32Array(SDLM_HESSIAN_SAMPLES * 1024);
function reestimate() {
  const picks = rng.permutation(train.count).subarray(0, SDLM_HESSIAN_SAMPLES);
  picks.forEach((index, k) =>
    sample.set(trainInputs.subarray(index * 1024, (index + 1) * 1024), k * 1024),
  );
  return engine.estimateHessian(sample);
}

const result = {
  run: values.run,
  about: run.about,
  recipe: {
    batchSize: 1,
    mu: SDLM_MU,
    passes,
    hessianSamples: SDLM_HESSIAN_SAMPLES,
    seed,
    init: run.init,
    outputCurvature: run.curvature,
    reestimateEvery: run.reestimate,
    reestimateEveryPass: run.everyPass === true,
    distort: values.distort,
  },
  paper: {
    firstPassRates: [7e-5, 0.016],
    trainErrorAfter19: 0.0035,
    testError: values.distort ? 0.008 : 0.0095,
  },
  firstPassRates: null,
  passes: [],
  diverged: false,
  started: new Date().toISOString(),
};
let stop = false;
process.on("SIGINT", () => {
  stop = true;
  console.error("sdlm-study: stopping after this step (the JSON keeps the passes done)");
});
const image = new Float32Array(1024);
const distort = values.distort ? require("../dist/data/distort.js") : null;
for (let pass = 1; pass <= passes && !stop && !result.diverged; pass++) {
  const eta = rateOf(pass);
  engine.setLearningRate(eta);
  const hessian = reestimate();
  const rates = rateSpread(hessian, eta);
  if (pass === 1) result.firstPassRates = rates;
  const started = performance.now();
  let lossSum = 0;
  const order = rng.permutation(train.count);
  for (let k = 0; k < train.count; k++) {
    const often = run.reestimate > 0 && (pass === 1 || run.everyPass === true);
    if (often && k > 0 && k % run.reestimate === 0) reestimate();
    const index = order[k];
    image.set(trainInputs.subarray(index * 1024, (index + 1) * 1024));
    if (distort !== null) distort.distortBatch(image, 1, 32, rng);
    const loss = engine.step(image, [train.labels[index]]);
    lossSum += loss;
    if (!Number.isFinite(loss) || loss > 1e4) {
      result.diverged = true;
      console.error(`pass ${pass}: diverged at update ${k + 1} (loss ${loss})`);
      break;
    }
    if (k % 10000 === 9999)
      process.stderr.write(
        `\rpass ${pass}: ${k + 1}/${train.count} mean loss ${(lossSum / (k + 1)).toFixed(3)}   `,
      );
    if (stop) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const entry = {
    pass,
    eta,
    meanLoss: lossSum / train.count,
    trainError: errorRate(engine, trainInputs, train.labels, train.count),
    testError: errorRate(engine, testInputs, test.labels, test.count),
    rates, // ε_k at the pass's start
    seconds,
  };
  result.passes.push(entry);
  // A pass that ends worse than chance-level learning (half the test digits wrong) has diverged:
  // the untrained net already sits near 90% error, and no run here has come back from it.
  if (entry.testError > 0.5) result.diverged = true;
  console.error(
    `\rpass ${pass}: loss ${entry.meanLoss.toFixed(3)}, train error ${(100 * entry.trainError).toFixed(2)}%, test error ${(100 * entry.testError).toFixed(2)}%, ${seconds.toFixed(1)} s`,
  );
  save(result);
}
result.finished = new Date().toISOString();
save(result);
engine.dispose();
