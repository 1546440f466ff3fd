// The engine against its references: the whole nets written once (src/scratch/historical.ts,
// modern.ts) and their optimiser updates (src/scratch/optimizers.ts), on random inputs and on
// real digits — loss, every gradient, every h_kk, the outputs, and the weights after 100 steps
// of each optimiser. The tolerances are stated per check; a failure names the tensor and the
// largest difference (assertClose).
import { before, test } from "node:test";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import assert from "node:assert/strict";
import { initBackend } from "../backend";
import { loadMnist } from "../data/mnist";
import { toNetworkInput } from "../data/preprocess";
import { createHistorical, historicalParams } from "../models/historical";
import { createModern, modernParams } from "../models/modern";
import { loadPretrained } from "../train/pretrained";
import { Rng } from "../rng";
import {
  historicalBackward,
  historicalBackward2,
  historicalForward,
  historicalLoss,
  type HistoricalParams,
} from "../scratch/historical";
import {
  modernBackward,
  modernBackward2,
  modernForward,
  modernLoss,
  type ModernParams,
} from "../scratch/modern";
import { adamStep, momentumStep, sdlmStep, sgdStep } from "../scratch/optimizers";
import { mapTensors, namedTensors, type Tensor, zeros } from "../scratch/tensor";
import { assertClose } from "../test-support/assert-close";
import { Engine, type EngineOptimizer } from "./engine";
import { startNodeHelper } from "./node-helper";

/** Every tensor of `actual` against `expected`, atol relative to each tensor's largest value. */
function assertRecordsClose(actual: object, expected: object, rtol: number, what: string): void {
  const want = new Map(namedTensors(expected));
  for (const [name, t] of namedTensors(actual)) {
    const e = want.get(name);
    assert.ok(e !== undefined, `${what}: ${name} missing`);
    const scale = Math.max(1e-30, ...Array.from(e.data, Math.abs));
    assertClose(t.data, e.data, { rtol, atol: rtol * scale, label: `${what} ${name}` });
  }
}

before(() => initBackend());

const ADAM: EngineOptimizer = {
  name: "adam",
  learningRate: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
};

const copy = <T extends object>(record: T): T =>
  mapTensors(record, (t) => ({ shape: [...t.shape], data: Float32Array.from(t.data) }));

/** n random inputs at the net's levels and n labels. */
function randomBatch(n: number, size: number, rng: Rng, low: number, high: number) {
  const inputs = Float32Array.from({ length: n * size * size }, () => rng.uniform(low, high));
  const labels = Array.from({ length: n }, () => Math.floor(rng.uniform(0, 10)));
  return { inputs, labels };
}

/** The first n test digits, in the form each net takes. */
function realDigits(n: number, size: 28 | 32) {
  const test = loadMnist({ split: "test" });
  const normalisation = size === 32 ? "paper" : "modern";
  const inputs = toNetworkInput(test.images.subarray(0, n * 784), n, { size, normalisation });
  return { inputs, labels: Array.from(test.labels.subarray(0, n)) };
}

const historicalInput = (inputs: Float32Array, n: number): Tensor => ({
  shape: [n, 32, 32, 1],
  data: inputs,
});
const modernInput = (inputs: Float32Array, n: number): Tensor => ({
  shape: [n, 28, 28, 1],
  data: inputs,
});

test("historical: loss, every gradient, every h_kk and the outputs equal the scratch net's (random inputs and real digits)", () => {
  const model = createHistorical({ seed: 11 });
  const params = historicalParams(model);
  model.dispose();
  const engine = Engine.create("historical", { maxBatch: 8 });
  engine.setParams(params);
  const batches = [randomBatch(5, 32, new Rng(3), -0.1, 1.175), realDigits(8, 32)];
  for (const [b, { inputs, labels }] of batches.entries()) {
    const x = historicalInput(inputs, labels.length);
    const acts = historicalForward(params, x);
    const { loss, gradients } = engine.computeGradients(inputs, labels);
    assertClose([loss], [historicalLoss(acts, labels)], { rtol: 1e-5, label: `batch ${b} loss` });
    assertRecordsClose(gradients, historicalBackward(params, acts, labels), 2e-3, `batch ${b} d`);
    assertRecordsClose(
      engine.estimateHessian(inputs),
      historicalBackward2(params, acts),
      2e-3,
      `batch ${b} h`,
    );
    assertClose(engine.predict(inputs), acts.OUTPUT.data, {
      rtol: 1e-4,
      atol: 1e-4,
      label: "OUTPUT",
    });
  }
  assert.deepEqual(engine.getParams().prototypes.data, params.prototypes.data);
});

test("modern: loss, every gradient, every h_kk and the outputs equal the scratch net's (random inputs and real digits)", () => {
  const model = createModern({ seed: 12 });
  const params = modernParams(model);
  model.dispose();
  const rng = new Rng(4);
  for (const [, t] of namedTensors(params)) {
    if (t.shape.length === 1) t.data.forEach((_, i) => (t.data[i] = rng.uniform(-0.1, 0.1)));
  }
  const engine = Engine.create("modern", { maxBatch: 8 });
  engine.setParams(params);
  const batches = [randomBatch(5, 28, rng, -0.42, 2.8), realDigits(8, 28)];
  for (const [b, { inputs, labels }] of batches.entries()) {
    const x = modernInput(inputs, labels.length);
    const acts = modernForward(params, x);
    const { loss, gradients } = engine.computeGradients(inputs, labels);
    assertClose([loss], [modernLoss(acts, labels)], { rtol: 1e-5, label: `batch ${b} loss` });
    assertRecordsClose(gradients, modernBackward(params, acts, labels), 2e-3, `batch ${b} d`);
    assertRecordsClose(
      engine.estimateHessian(inputs),
      modernBackward2(params, acts),
      2e-3,
      `batch ${b} h`,
    );
    assertClose(engine.predict(inputs), acts.OUTPUT.data, {
      rtol: 1e-4,
      atol: 1e-4,
      label: "OUTPUT",
    });
  }
});

/** The plain step of an optimiser on a scratch record (src/scratch/optimizers.ts). */
function referenceStepper(optimizer: EngineOptimizer, params: object) {
  const slot1 = mapTensors(params, (t) => zeros(t.shape));
  const slot2 = mapTensors(params, (t) => zeros(t.shape));
  let t = 0;
  // `grads` are the gradients of the batch's mean loss, as trainModel hands optimisers.
  return (grads: object, hessian: object | null, n: number) => {
    t++;
    switch (optimizer.name) {
      case "sgd":
        return sgdStep(params, grads, optimizer.learningRate);
      case "momentum":
        return momentumStep(params, grads, slot1, optimizer.learningRate, optimizer.momentum);
      case "adam":
        return adamStep(params, grads, slot1, slot2, {
          ...optimizer,
          rate: optimizer.learningRate,
          t,
        });
      case "sdlm": {
        const scale = optimizer.batchScaling === "sum" ? n : 1;
        const summed = mapTensors(grads, (g) => ({
          shape: g.shape,
          data: g.data.map((v) => v * scale),
        }));
        return sdlmStep(params, summed, hessian, optimizer.learningRate, optimizer.mu);
      }
    }
  };
}

// Rates where 100 steps train stably (a diverging run amplifies float32 rounding into any
// difference at all): then engine and plain step agree to ~1e-6 of each tensor's scale.
const OPTIMIZERS: readonly { historical: EngineOptimizer; modern: EngineOptimizer }[] = [
  { historical: { name: "sgd", learningRate: 0.005 }, modern: { name: "sgd", learningRate: 0.05 } },
  {
    historical: { name: "momentum", learningRate: 5e-4, momentum: 0.9 },
    modern: { name: "momentum", learningRate: 0.002, momentum: 0.9 },
  },
  { historical: ADAM, modern: ADAM },
  {
    historical: { name: "sdlm", learningRate: 1e-4, mu: 0.1, batchScaling: "sum" },
    modern: { name: "sdlm", learningRate: 5e-4, mu: 0.1, batchScaling: "sum" },
  },
];
const WEIGHT_RTOL = 1e-4;

/** Each net as the optimiser test drives it: its starting record and its plain passes. */
const NETS = {
  historical: {
    start: () => historicalParams(createHistorical({ seed: 21 })),
    side: 32 as const,
    gradients: (p: object, x: Float32Array, n: number, labels: number[]) => {
      const params = p as HistoricalParams;
      return historicalBackward(params, historicalForward(params, historicalInput(x, n)), labels);
    },
    hessian: (p: object, x: Float32Array, n: number) => {
      const params = p as HistoricalParams;
      return historicalBackward2(params, historicalForward(params, historicalInput(x, n)));
    },
  },
  modern: {
    start: () => modernParams(createModern({ seed: 22 })),
    side: 28 as const,
    gradients: (p: object, x: Float32Array, n: number, labels: number[]) => {
      const params = p as ModernParams;
      return modernBackward(params, modernForward(params, modernInput(x, n)), labels);
    },
    hessian: (p: object, x: Float32Array, n: number) => {
      const params = p as ModernParams;
      return modernBackward2(params, modernForward(params, modernInput(x, n)));
    },
  },
};

/** 100 steps of `optimizer` on the engine and on the plain record: the weights agree. */
function assertStepsMatchPlain(net: keyof typeof NETS, optimizer: EngineOptimizer): void {
  const spec = NETS[net];
  const start = spec.start();
  const reference = copy(start);
  const engine = Engine.create(net, { maxBatch: 50 });
  engine.setParams(start as never);
  engine.setOptimizer(optimizer);
  const size = spec.side * spec.side;
  const digits = realDigits(200, spec.side);
  const batch = optimizer.name === "sdlm" ? 1 : 2; // SDLM online, as the paper trains
  let hessian: object | null = null;
  if (optimizer.name === "sdlm") {
    const sample = digits.inputs.subarray(0, 50 * size);
    hessian = spec.hessian(reference, sample, 50);
    assertRecordsClose(engine.estimateHessian(sample), hessian, 2e-3, "h");
  }
  const step = referenceStepper(optimizer, reference);
  for (let s = 0; s < 100; s++) {
    const from = (s * batch) % 200;
    const inputs = digits.inputs.subarray(from * size, (from + batch) * size);
    const labels = digits.labels.slice(from, from + batch);
    assert.ok(Number.isFinite(engine.step(inputs, labels)));
    step(spec.gradients(reference, inputs, batch, labels), hessian, batch);
  }
  assert.equal(engine.iterations, 100);
  assertRecordsClose(engine.getParams(), reference, WEIGHT_RTOL, `${net} ${optimizer.name} w`);
}

for (const optimizers of OPTIMIZERS) {
  for (const net of ["historical", "modern"] as const) {
    const optimizer = optimizers[net];
    test(`${net}, ${optimizer.name}: the weights after 100 steps equal the plain step's`, () =>
      assertStepsMatchPlain(net, optimizer));
  }
}

test("bad input: wrong sizes and labels are refused with what was wrong", () => {
  const engine = Engine.create("historical", { maxBatch: 2 });
  assert.throws(
    () => engine.step(new Float32Array(1000), [1]),
    /expected 1 to 2 inputs of 1024 floats, got 1000/,
  );
  assert.throws(() => engine.step(new Float32Array(3 * 1024), [1, 2, 3]), /expected 1 to 2 inputs/);
  assert.throws(() => engine.step(new Float32Array(1024), [10]), /label 0 is 10/);
  assert.throws(() => engine.step(new Float32Array(2048), [1]), /2 inputs but 1 labels/);
  assert.throws(
    () => Engine.create("modern", { maxBatch: 0 }),
    /maxBatch must be a positive integer/,
  );
});

test("two threads: the same loss, gradients, h_kk and outputs as one, and the same bits every run", () => {
  for (const net of ["historical", "modern"] as const) {
    const size = net === "historical" ? 32 : 28;
    const { inputs, labels } = realDigits(40, size);
    const model = net === "historical" ? createHistorical({ seed: 5 }) : createModern({ seed: 5 });
    const params = net === "historical" ? historicalParams(model) : modernParams(model);
    model.dispose();
    const one = Engine.create(net, { maxBatch: 40 });
    const two = Engine.create(net, { maxBatch: 40, helper: startNodeHelper });
    assert.equal(two.threads, 2);
    for (const engine of [one, two]) engine.setParams(params as never);
    const a = one.computeGradients(inputs, labels);
    const b = two.computeGradients(inputs, labels);
    assertClose([b.loss], [a.loss], { rtol: 1e-6, label: `${net} loss` });
    assertRecordsClose(b.gradients, a.gradients, 1e-5, `${net} two-thread d`);
    assertRecordsClose(
      two.estimateHessian(inputs),
      one.estimateHessian(inputs),
      1e-5,
      `${net} two-thread h`,
    );
    assertClose(two.predict(inputs), one.predict(inputs), {
      rtol: 0,
      atol: 0,
      label: `${net} outputs`,
    });
    const again = two.computeGradients(inputs, labels);
    assert.equal(again.loss, b.loss);
    for (const [[name, t], [, u]] of namedTensors(again.gradients).map(
      (e, i) => [e, namedTensors(b.gradients)[i]] as const,
    )) {
      assert.deepEqual(t.data, u.data, `${net} ${name}: two runs differ`);
    }
    two.dispose();
    assert.equal(two.threads, 1);
  }
});

test("historical h_kk with the curvature of y_D alone (a constant 2 at F6) equals the scratch pass's", () => {
  // On the shipped (trained) weights: at the initialisation the two readings agree, since every
  // distance is ~84, so p_rubbish ≈ 1 and eq. 9's curvature is 2 as well.
  const { model } = loadPretrained("historical");
  const params = historicalParams(model);
  model.dispose();
  const engine = Engine.create("historical", { maxBatch: 8, outputCurvature: 2 });
  engine.setParams(params);
  const { inputs } = realDigits(8, 32);
  const acts = historicalForward(params, historicalInput(inputs, 8));
  const reference = historicalBackward2(params, acts, { outputCurvature: 2 });
  assertRecordsClose(engine.estimateHessian(inputs), reference, 2e-3, "h (y_D alone)");
  const full = historicalBackward2(params, acts);
  assert.notDeepEqual(reference.f6.bias.data, full.f6.bias.data); // the readings do differ
});

test("createAsync (what a browser's main thread uses) gives the same engine", async () => {
  const engine = await Engine.createAsync("modern", { maxBatch: 2 });
  const sync = Engine.create("modern", { maxBatch: 2 });
  const model = createModern({ seed: 3 });
  const params = modernParams(model);
  model.dispose();
  engine.setParams(params);
  sync.setParams(params);
  const { inputs } = realDigits(2, 28);
  assert.deepEqual(engine.predict(inputs), sync.predict(inputs));
});

test("engine-wasm.ts is what engine.as.ts compiles to, both builds (npm run build:simd)", () => {
  // Exits non-zero (and execFileSync throws) when the file is stale.
  const out = execFileSync(process.execPath, ["scripts/build-simd.mjs", "--check", "engine"], {
    cwd: join(__dirname, "../.."),
    encoding: "utf8",
  });
  assert.match(out, /src\/engine\/engine-wasm\.ts is up to date/);
});
