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
//   node scripts/sdlm-study.mjs --run NAME [--distort] --save weights/historical
//
// --save writes the finished run as shipped weights: a weights-only checkpoint (manifest.json
// with the recipe, batchSize 1 and μ 0.02) and results.json in scripts/train-shipped.mjs's form.
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
  "sqrt-init-yd-2-summed": {
    init: "sqrtF",
    curvature: 2,
    reestimate: 0,
    hScale: 500,
    about: "±2.4/√F_i, y_D alone, h summed over the 500 digits (not averaged)",
  },
  "sqrt-init-yd-2-shared-mean": {
    init: "sqrtF",
    curvature: 2,
    reestimate: 0,
    shared: "mean",
    about: "±2.4/√F_i, y_D alone, h averaged over the positions that share a weight",
  },
  "yd-2-shared-mean": {
    init: "F",
    curvature: 2,
    reestimate: 0,
    shared: "mean",
    about: "±2.4/F_i, y_D alone, h averaged over the positions that share a weight",
  },
  "sqrt-init-eq9-shared-mean": {
    init: "sqrtF",
    curvature: "eq9",
    reestimate: 0,
    shared: "mean",
    about: "±2.4/√F_i, eq. 9, h averaged over the positions that share a weight",
  },
  "sqrt-init-yd-2-shared-mean-reestimate-1000": {
    init: "sqrtF",
    curvature: 2,
    reestimate: 1000,
    shared: "mean",
    about: "±2.4/√F_i, y_D alone, h averaged over shared positions, every 1,000 updates in pass 1",
  },
  "yd-2-summed": {
    init: "F",
    curvature: 2,
    reestimate: 0,
    hScale: 500,
    about: "±2.4/F_i, y_D alone, h summed over the 500 digits (not averaged)",
  },
  "yd-2-summed-reestimate-1000": {
    init: "F",
    curvature: 2,
    reestimate: 1000,
    hScale: 500,
    about: "±2.4/F_i, y_D alone, h summed over the 500 digits, every 1,000 updates in pass 1",
  },
  // EBLearn's reading (ebl_trainer.hpp, ebl_cost.hpp; its MNIST demo): the energy ½‖x − t‖² of
  // the desired code alone (no competing term, so eq. 9 with j → −∞, halved), its output second
  // derivative 1, h on 100 samples recomputed every pass, a constant η.
  eblearn: {
    init: "F",
    curvature: 1,
    reestimate: 0,
    loss: "half-yd",
    samples: 100,
    rate: 1e-4,
    about: "EBLearn: ±2.4/F_i, loss ½·y_D (∂² = 1), h on 100 digits each pass, η = 10⁻⁴ constant",
  },
  "sqrt-init-eblearn": {
    init: "sqrtF",
    curvature: 1,
    reestimate: 0,
    loss: "half-yd",
    samples: 100,
    rate: 1e-4,
    about: "EBLearn: ±2.4/√F_i, loss ½·y_D (∂² = 1), h on 100 digits each pass, η = 10⁻⁴",
  },
  "sqrt-init-eblearn-2e-4": {
    init: "sqrtF",
    curvature: 1,
    reestimate: 0,
    loss: "half-yd",
    samples: 100,
    rate: 2e-4,
    about: "EBLearn: ±2.4/√F_i, loss ½·y_D (∂² = 1), h on 100 digits each pass, η = 2×10⁻⁴",
  },
  // EBLearn's reading with the paper's schedule shape (η of each pass × 0.2 or × 0.4: 10⁻⁴ or
  // 2×10⁻⁴ for passes 1–2, then the paper's steps down to 2×10⁻⁶ or 4×10⁻⁶): the constant η
  // of EBLearn's runs, annealed as the paper anneals.
  "sqrt-init-eblearn-schedule-0.2": {
    init: "sqrtF",
    curvature: 1,
    reestimate: 0,
    loss: "half-yd",
    samples: 100,
    rateScale: 0.2,
    about: "EBLearn's reading (±2.4/√F_i, ½·y_D, h on 100 digits each pass), the paper's η × 0.2",
  },
  "sqrt-init-eblearn-schedule-0.4": {
    init: "sqrtF",
    curvature: 1,
    reestimate: 0,
    loss: "half-yd",
    samples: 100,
    rateScale: 0.4,
    about: "EBLearn's reading (±2.4/√F_i, ½·y_D, h on 100 digits each pass), the paper's η × 0.4",
  },
  "sqrt-init-eblearn-schedule-0.3": {
    init: "sqrtF",
    curvature: 1,
    reestimate: 0,
    loss: "half-yd",
    samples: 100,
    rateScale: 0.3,
    about: "EBLearn's reading (±2.4/√F_i, ½·y_D, h on 100 digits each pass), the paper's η × 0.3",
  },
  // The paper's loss and curvature (eq. 9, h_kk on its 500 digits before each pass) with the
  // × 0.2 schedule: of EBLearn's changes only the lower η, so the init and η are the departures.
  "sqrt-init-schedule-0.2": {
    init: "sqrtF",
    curvature: "eq9",
    reestimate: 0,
    rateScale: 0.2,
    about: "±2.4/√F_i, eq. 9, h on the paper's 500 digits each pass, the paper's η × 0.2",
  },
  // The same with h_kk re-estimated every 1,000 updates in pass 1, which helped at the paper's η.
  "sqrt-init-reestimate-1000-schedule-0.2": {
    init: "sqrtF",
    curvature: "eq9",
    reestimate: 1000,
    rateScale: 0.2,
    about: "±2.4/√F_i, eq. 9, h every 1,000 updates in pass 1, the paper's η × 0.2",
  },
  // The × 0.2 reading with the paper's 500 digits for h_kk instead of EBLearn's 100.
  "sqrt-init-half-yd-schedule-0.2": {
    init: "sqrtF",
    curvature: 1,
    reestimate: 0,
    loss: "half-yd",
    rateScale: 0.2,
    about: "±2.4/√F_i, ½·y_D, h on the paper's 500 digits each pass, the paper's η × 0.2",
  },
  // The paper's own simpler loss, eq. 8 (y_D alone, the maximum-likelihood criterion it starts
  // from before adding eq. 9's competing term), with the paper's schedule: EBLearn's loss with
  // the paper's η, μ and 500 digits.
  "sqrt-init-eq8-reestimate-1000": {
    init: "sqrtF",
    curvature: 2,
    reestimate: 1000,
    loss: "yd",
    about: "±2.4/√F_i, loss eq. 8 (y_D alone, ∂² = 2), h every 1,000 updates in pass 1",
  },
  // EBLearn's energy and curvature with the paper's own η schedule and 500 digits (μ = 0.02 on
  // the halved loss): the EBLearn reading trained the paper's way.
  "sqrt-init-half-yd-reestimate-1000": {
    init: "sqrtF",
    curvature: 1,
    reestimate: 1000,
    loss: "half-yd",
    about:
      "±2.4/√F_i, loss ½·y_D (∂² = 1, EBLearn's energy), the paper's η, h every 1,000 updates in pass 1",
  },
  "sqrt-init-yd-2-running": {
    init: "sqrtF",
    curvature: 2,
    reestimate: 0,
    running: { every: 100, samples: 25, gamma: 0.05 },
    about: "±2.4/√F_i, y_D alone, running h (γ = 0.05 on 25 digits every 100 updates)",
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
    grid: { type: "boolean", default: false },
    save: { type: "string" },
  },
});
if (values.list) {
  for (const [name, run] of Object.entries(RUNS)) console.log(`${name.padEnd(28)} ${run.about}`);
  process.exit(0);
}
const run = values.grid ? null : RUNS[values.run];
if (run === undefined) {
  console.error(`sdlm-study: --run must be one of ${Object.keys(RUNS).join(", ")}`);
  process.exit(2);
}
const passes = Number(values.passes);
const seed = Number(values.seed);
const out = values.out ?? `docs/sdlm-study/${values.run}${values.distort ? "-distorted" : ""}.json`;

/** η of pass `p` (1-based): the paper's schedule (Section III-B, Appendix C), or the run's own. */
function rateOf(p) {
  if (run?.rate !== undefined) return run.rate;
  const scale = run?.rateScale ?? 1;
  let first = 1;
  for (const { passes: n, rate } of SDLM_SCHEDULE) {
    if (p < first + n) return scale * rate;
    first += n;
  }
  return scale * SDLM_FINAL_RATE;
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
function initialParams(init = run.init) {
  const model = lenet5.createModel("historical", { seed });
  const params = lenet5.historicalParams(model);
  model.dispose();
  if (init === "F") return params;
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

/**
 * How many units (output positions) share each weight of a tensor, in the record's order:
 * C1 28×28, S2 14×14, C3 10×10, S4 5×5, C5 and F6 one. Dividing the engine's h_kk (summed over
 * them, Appendix C's Σ over the connections of V_k) by it gives the reading that averages.
 */
const SHARED_BY = { c1: 784, s2: 196, c3: 100, s4: 25, c5: 1, f6: 1 };

/** h_kk with the shared connections averaged instead of summed (a new record). */
function averageShared(hessian) {
  const out = {};
  for (const [layer, tensors] of Object.entries(hessian)) {
    out[layer] = {};
    for (const [name, t] of Object.entries(tensors))
      out[layer][name] = lenet5.scratch.scaled(t, 1 / SHARED_BY[layer]);
  }
  return out;
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

/** Every tensor's h_kk and ε_k spread (C1 kernel, C1 bias, …, F6 bias): which layers collapse. */
function layerSpread(hessian, eta) {
  const spread = {};
  for (const [name, t] of lenet5.scratch.namedTensors(hessian)) {
    const h = Float64Array.from(t.data).sort();
    spread[name] = {
      h: { p05: percentile(h, 0.05), median: percentile(h, 0.5), p95: percentile(h, 0.95) },
      rateMedian: eta / (SDLM_MU + percentile(h, 0.5)),
      belowMu: h.filter((v) => v < SDLM_MU).length / h.length,
    };
  }
  return spread;
}

/**
 * Every weight's ε_k = η/(μ + h_kk) as counts per tensor over 10 log-spaced bins a decade
 * (10⁻⁶ … 10⁻¹): the first pass's rates for chapter 8's chart, without 60,000 numbers.
 */
function rateHistogram(hessian, eta) {
  const lo = -6;
  const bins = 50;
  const counts = {};
  for (const [name, t] of lenet5.scratch.namedTensors(hessian)) {
    const c = new Array(bins).fill(0);
    for (const h of t.data) {
      const b = Math.floor((Math.log10(eta / (SDLM_MU + h)) - lo) * 10);
      c[Math.max(0, Math.min(bins - 1, b))]++;
    }
    counts[name] = c;
  }
  return { log10From: lo, binsPerDecade: 10, counts };
}

/**
 * Every layer's units on 100 training digits (scratch forward): the mean squared output x² (the
 * next layer's h_kk carries it) and the share of saturated units, f'(a)/f'(0) < 0.1 (|a| > 2.73),
 * where the Gauss–Newton factor f'² drops below 1% of its peak.
 */
function unitStats(params, inputs) {
  const n = 100;
  const x = lenet5.scratch.tensor([n, 32, 32, 1], inputs.slice(0, n * 1024));
  const acts = lenet5.scratch.historicalForward(params, x);
  const stats = {};
  for (const layer of ["C1", "S2", "C3", "S4", "C5", "F6"]) {
    const sums = acts[`${layer}Sum`].data;
    const outs = acts[layer].data;
    let squares = 0;
    let saturated = 0;
    let fPrime2 = 0;
    for (let i = 0; i < outs.length; i++) {
      squares += outs[i] * outs[i];
      const t = Math.tanh((2 / 3) * sums[i]);
      fPrime2 += (1 - t * t) ** 2;
      if (Math.abs(sums[i]) > 2.73) saturated++;
    }
    stats[layer] = {
      meanSquare: squares / outs.length,
      saturated: saturated / outs.length,
      meanFPrime2: fPrime2 / outs.length, // (f'(a)/f'(0))², averaged
    };
  }
  return stats;
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
if (values.grid) {
  gridOfReadings();
  process.exit(0);
}
const rng = new Rng(seed);
/**
 * The losses "yd" (eq. 8, y_D alone) and "half-yd" (EBLearn's energy ½‖x − w_D‖² = ½·y_D) run
 * on the engine's eq. 9 with j = −1000: e^{−y_i − 1000} is 0 in float64, so the competing term is
 * the constant 1000 and only y_D's gradient is left. The half of "half-yd" goes into η (the step
 * is η/(μ + h)·½∇y_D, h from ∂² = 1 being already ½·y_D's), so ε_k = η/(μ + h_kk) keeps its
 * meaning and μ stays 0.02.
 */
const HALF_YD_J = -1000;
const yDAlone = run.loss === "half-yd" || run.loss === "yd";
const lossJ = yDAlone ? HALF_YD_J : 0.1;
const lossScale = run.loss === "half-yd" ? 0.5 : 1;
/** The run's loss from the engine's eq. 9 value. */
const lossOf = (engineLoss) => (yDAlone ? lossScale * (engineLoss + HALF_YD_J) : engineLoss);
const hessianSamples = run.samples ?? SDLM_HESSIAN_SAMPLES;
const engine = Engine.create("historical", {
  maxBatch: 1000,
  j: lossJ,
  outputCurvature: run.curvature === "eq9" ? "eq9" : run.curvature,
  helper: startNodeHelper,
});
const initial = initialParams();
engine.setParams(initial);
engine.setOptimizer({
  name: "sdlm",
  learningRate: lossScale * rateOf(1),
  mu: SDLM_MU,
  batchScaling: "sum",
});

/** Every tensor's init half-width max|w₀| (the range its first updates are measured against). */
const initRange = lenet5.scratch
  .namedTensors(initial)
  .map(([name, t]) => [name, t.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0)]);

/**
 * Pass 1's update sizes per tensor over 100-update windows starting at these updates: the
 * median over the window of the largest single-update |Δw_k| (ε_k × its gradient) and of the
 * RMS one, each as a share of the tensor's init half-width. Why C5 saturates: a step that is a
 * sizeable share of the init range moves C5's 400-input sums by many times their spread.
 */
const STEP_WINDOWS = [0, 1000, 10000, 30000];
const STEP_WINDOW = 100;
function stepSizes(samples) {
  const out = {};
  initRange.forEach(([name, range], i) => {
    const largest = samples.map((s) => s[i][0] / range).sort((a, b) => a - b);
    const rms = samples.map((s) => s[i][1] / range).sort((a, b) => a - b);
    out[name] = { largest: percentile(largest, 0.5), rms: percentile(rms, 0.5) };
  });
  return out;
}
/** Per tensor [max |Δw|, RMS Δw] between two parameter records. */
function deltas(before, after) {
  const a = lenet5.scratch.namedTensors(after);
  return lenet5.scratch.namedTensors(before).map(([, t], i) => {
    const b = t.data;
    const c = a[i][1].data;
    let largest = 0;
    let squares = 0;
    for (let k = 0; k < b.length; k++) {
      const d = Math.abs(c[k] - b[k]);
      largest = Math.max(largest, d);
      squares += d * d;
    }
    return [largest, Math.sqrt(squares / b.length)];
  });
}

const sample = new Float32Array(hessianSamples * 1024);
function reestimate() {
  const picks = rng.permutation(train.count).subarray(0, hessianSamples);
  picks.forEach((index, k) =>
    sample.set(trainInputs.subarray(index * 1024, (index + 1) * 1024), k * 1024),
  );
  let hessian = engine.estimateHessian(sample);
  if (run.shared === "mean") hessian = averageShared(hessian);
  // The reading that sums the 500 per-example second derivatives instead of averaging them.
  if (run.hScale !== undefined)
    hessian = lenet5.scratch.mapTensors(hessian, (t) => lenet5.scratch.scaled(t, run.hScale));
  if (run.shared === "mean" || run.hScale !== undefined) engine.setHessian(hessian);
  return hessian;
}

/**
 * LeCun's running estimate (Efficient BackProp, §6): h ← (1 − γ)·h + γ·∂²E/∂w², here on a few
 * fresh digits every `every` updates instead of one digit per update (the same average, cheaper).
 */
const runningSample = new Float32Array((run.running?.samples ?? 1) * 1024);
function runningUpdate(current) {
  const { samples, gamma } = run.running;
  const picks = rng.permutation(train.count).subarray(0, samples);
  picks.forEach((index, k) =>
    runningSample.set(trainInputs.subarray(index * 1024, (index + 1) * 1024), k * 1024),
  );
  const fresh = lenet5.scratch.namedTensors(engine.estimateHessian(runningSample));
  const blended = lenet5.scratch.namedTensors(current);
  blended.forEach(([, t], i) => {
    const f = fresh[i][1].data;
    for (let k = 0; k < t.data.length; k++) t.data[k] = (1 - gamma) * t.data[k] + gamma * f[k];
  });
  engine.setHessian(current);
  return current;
}

const result = {
  run: values.run,
  about: run.about,
  recipe: {
    batchSize: 1,
    mu: SDLM_MU,
    passes,
    hessianSamples,
    seed,
    init: run.init,
    loss: run.loss ?? "eq9",
    rate:
      run.rate ??
      (run.rateScale === undefined
        ? "the paper's schedule"
        : `the paper's schedule × ${run.rateScale}`),
    outputCurvature: run.curvature,
    reestimateEvery: run.reestimate,
    reestimateEveryPass: run.everyPass === true,
    hessianScale: run.hScale ?? 1,
    running: run.running ?? null,
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
  engine.setLearningRate(lossScale * eta);
  let hessian = reestimate();
  const rates = rateSpread(hessian, eta);
  const layers = layerSpread(hessian, eta);
  const units = unitStats(engine.getParams(), sample);
  if (pass === 1) {
    result.firstPassRates = rates;
    result.firstPassHistogram = rateHistogram(hessian, eta);
  }
  const within = []; // pass 1's later estimates, every 10,000 updates
  const steps = []; // pass 1's update sizes, per window
  let windowSamples = [];
  const started = performance.now();
  let lossSum = 0;
  let wrongOnTheFly = 0;
  const order = rng.permutation(train.count);
  for (let k = 0; k < train.count; k++) {
    const often = run.reestimate > 0 && (pass === 1 || run.everyPass === true);
    if (often && k > 0 && k % run.reestimate === 0) {
      hessian = reestimate();
      if (pass === 1 && k % 10000 === 0)
        within.push({
          update: k,
          rates: rateSpread(hessian, eta),
          layers: layerSpread(hessian, eta),
        });
    }
    if (run.running !== undefined && k > 0 && k % run.running.every === 0)
      hessian = runningUpdate(hessian);
    const index = order[k];
    image.set(trainInputs.subarray(index * 1024, (index + 1) * 1024));
    if (distort !== null) distort.distortBatch(image, 1, 32, rng);
    const windowFrom =
      pass === 1 ? STEP_WINDOWS.find((w) => k >= w && k < w + STEP_WINDOW) : undefined;
    const before = windowFrom !== undefined ? engine.getParams() : null;
    const loss = lossOf(engine.step(image, [train.labels[index]]));
    if (before !== null) {
      windowSamples.push(deltas(before, engine.getParams()));
      if (k === windowFrom + STEP_WINDOW - 1) {
        steps.push({ from: windowFrom, sizes: stepSizes(windowSamples) });
        windowSamples = [];
      }
    }
    lossSum += loss;
    // The paper's training error (Fig. 5) is measured on the fly, on each digit before its update.
    const distances = engine.lastOutputs(1);
    let guess = 0;
    for (let c = 1; c < 10; c++) if (distances[c] < distances[guess]) guess = c;
    if (guess !== train.labels[index]) wrongOnTheFly++;
    if (!Number.isFinite(loss) || loss > 1e4) {
      result.diverged = true;
      console.error(`pass ${pass}: diverged at update ${k + 1} (loss ${loss})`);
      break;
    }
    if (k % 10000 === 9999) {
      process.stderr.write(
        `\rpass ${pass}: ${k + 1}/${train.count} mean loss ${(lossSum / (k + 1)).toFixed(3)}   `,
      );
      // The steps are synchronous: yield so that a Ctrl-C (the SIGINT handler) gets through.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (stop) break;
  }
  if (stop) break; // a pass cut short by Ctrl-C is not recorded
  const seconds = (performance.now() - started) / 1000;
  const entry = {
    pass,
    eta,
    meanLoss: lossSum / train.count,
    trainError: errorRate(engine, trainInputs, train.labels, train.count),
    trainErrorOnTheFly: wrongOnTheFly / train.count,
    testError: errorRate(engine, testInputs, test.labels, test.count),
    rates, // ε_k at the pass's start
    layers, // per tensor: h_kk spread, median ε_k, share of h_kk below μ, at the pass's start
    units, // per layer at the pass's start: mean x², saturated share, mean (f'/f'(0))²
    ...(within.length > 0 ? { within } : {}),
    ...(steps.length > 0 ? { steps } : {}), // pass 1: update sizes against the init range
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
if (!stop) result.finished = new Date().toISOString(); // absent: stopped early
save(result);
if (values.save !== undefined && !result.diverged && !stop) await saveWeights(values.save);
engine.dispose();

/**
 * The first pass's ε_k = η/(μ + h_kk) at η = 5×10⁻⁴ before any training, for every combination
 * of the readings (init scale × output curvature × shared connections summed or averaged × the
 * 500 digits averaged or summed), on the same 500 digits: which lands on the paper's
 * 7×10⁻⁵ … 0.016. Writes docs/sdlm-study/grid.json.
 */
function gridOfReadings() {
  const gridRng = new Rng(seed);
  const picks = gridRng.permutation(train.count).subarray(0, SDLM_HESSIAN_SAMPLES);
  const digits = new Float32Array(SDLM_HESSIAN_SAMPLES * 1024);
  picks.forEach((index, k) =>
    digits.set(trainInputs.subarray(index * 1024, (index + 1) * 1024), k * 1024),
  );
  const eta = rateOf(1);
  const [lo, hi] = [7e-5, 0.016];
  const points = [];
  for (const curvature of ["eq9", 2, 1]) {
    const probe = Engine.create("historical", { maxBatch: 1000, outputCurvature: curvature });
    for (const init of ["F", "sqrtF"]) {
      probe.setParams(initialParams(init));
      const summedShared = probe.estimateHessian(digits);
      for (const shared of ["sum", "mean"])
        for (const samples of ["mean", "sum"]) {
          let h = shared === "mean" ? averageShared(summedShared) : summedShared;
          if (samples === "sum")
            h = lenet5.scratch.mapTensors(h, (t) => lenet5.scratch.scaled(t, SDLM_HESSIAN_SAMPLES));
          const rates = rateSpread(h, eta);
          const all = Float64Array.from(
            lenet5.scratch.namedTensors(h).flatMap(([, t]) => Array.from(t.data)),
          ).sort();
          const atCeiling = all.filter((v) => v < SDLM_MU / 10).length / all.length;
          points.push({
            init,
            curvature,
            shared,
            samples,
            rates,
            h: { min: all[0], median: percentile(all, 0.5), max: all[all.length - 1] },
            nearCeiling: atCeiling, // share of weights with h_kk < μ/10: ε within 10% of η/μ
            layers: layerSpread(h, eta),
            // decades between this range's ends and the paper's (0 = on it)
            misfit: Math.abs(Math.log10(rates.min / lo)) + Math.abs(Math.log10(rates.max / hi)),
          });
        }
    }
    probe.dispose();
  }
  points.sort((a, b) => a.misfit - b.misfit);
  for (const p of points)
    console.log(
      `${p.init.padEnd(6)} ${String(p.curvature).padEnd(4)} shared-${p.shared.padEnd(5)} samples-${p.samples.padEnd(5)} ε ${p.rates.min.toExponential(1)} … ${p.rates.max.toExponential(1)} (p05 ${p.rates.p05.toExponential(1)}, p95 ${p.rates.p95.toExponential(1)}) h max ${p.h.max.toPrecision(3)} misfit ${p.misfit.toFixed(2)}`,
    );
  const file = "docs/sdlm-study/grid.json";
  writeFileSync(
    file,
    `${JSON.stringify({ eta, paper: { firstPassRates: [lo, hi] }, seed, points }, null, 2)}\n`,
  );
  console.error(`sdlm-study: wrote ${file}`);
}

/** The run as shipped weights (see the header): checkpoint, results.json, then docs/training.md. */
async function saveWeights(dir) {
  const model = lenet5.createModel("historical", { seed });
  lenet5.assignHistoricalParams(model, engine.getParams());
  const history = result.passes.map((p) => ({
    epoch: p.pass,
    loss: p.meanLoss,
    trainAccuracy: 1 - p.trainError, // after the pass, on all 60,000 (trainModel's is during it)
    testAccuracy: 1 - p.testError,
    seconds: p.seconds,
    imagesPerSec: train.count / p.seconds,
    learningRate: p.eta,
  }));
  const recipe = {
    modelName: "historical",
    modelOptions: {},
    optimizer: "sdlm",
    batchSize: 1,
    seed,
    trainCount: train.count,
    epochs: passes,
    learningRates: result.passes.map((p) => p.eta),
    distort: values.distort,
    j: lossJ, // −1000 for the y_D-alone losses (see HALF_YD_J)
    mu: SDLM_MU,
    hessianSamples,
    loss:
      run.loss === "half-yd"
        ? "½·y_D (EBLearn's energy)"
        : run.loss === "yd"
          ? "eq. 8 (y_D alone)"
          : "eq. 9",
    reading: values.run,
    init: run.init === "sqrtF" ? "uniform ±2.4/√F_i" : "uniform ±2.4/F_i",
    outputCurvature:
      run.curvature === "eq9"
        ? "eq9"
        : `${run.loss === "half-yd" ? "½·y_D" : "y_D"} alone (${run.curvature})`,
    hessianEvery:
      run.reestimate > 0 ? `${run.reestimate} updates in pass 1, then each pass` : "each pass",
    study: `docs/sdlm-study/${out.split("/").pop()}`,
  };
  await lenet5.saveCheckpoint(dir, {
    modelName: "historical",
    model,
    epoch: passes,
    history,
    recipe,
  });
  model.dispose();
  const last = result.passes[result.passes.length - 1];
  const seconds = result.passes.reduce((sum, p) => sum + p.seconds, 0);
  const results = {
    variant: dir.replace(/\/$/, "").split("/").pop(),
    model: "historical",
    recipe,
    epochs: passes,
    testAccuracy: 1 - last.testError,
    testErrorRate: last.testError,
    trainErrorRate: last.trainError,
    history,
    seconds,
    wallSeconds: (Date.parse(result.finished) - Date.parse(result.started)) / 1000,
    backend: "lenet5 engine (WebAssembly SIMD, 2 threads)",
    lenet5Version: lenet5.lenet5Version(),
    tfjsVersion: lenet5.backendInfo().tfjsVersion,
    node: process.versions.node,
    date: result.finished,
  };
  writeFileSync(`${dir}/results.json`, `${JSON.stringify(results, null, 2)}\n`);
  console.error(`sdlm-study: saved ${dir} (test error ${(100 * last.testError).toFixed(2)}%)`);
}
