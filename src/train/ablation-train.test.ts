// trainModel with the faithful net's ablation options: the engine runs the ones it can (initial
// range, j, eq. 8's curvature) and gives the numbers tfjs autograd gives; the ones it cannot
// (full C3, pooling) fall back to tfjs with the reason said; every option lands in the recipe,
// comes back with the checkpoint, and a resume with other options is refused.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend";
import { loadCheckpoint, modelFromCheckpoint } from "../checkpoint";
import { ablationOfRecipe } from "../models/ablation";
import { historicalParams } from "../models/historical";
import { historicalForward, historicalLoss } from "../scratch/historical";
import { assertClose } from "../test-support/assert-close";
import { weightsOf } from "../test-support/training";
import { loadModelData } from "./data";
import { EQ8_OUTPUT_CURVATURE } from "./hessian";
import { type TrainOptions, trainModel } from "./train";

/** Trainable parameters (countParams also counts the 840 fixed RBF prototype values). */
const trainable = (model: tf.LayersModel) =>
  model.trainableWeights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);

const root = mkdtempSync(join(tmpdir(), "lenet5-ablation-"));
let counter = 0;
const freshDir = () => join(root, `run${counter++}`);

before(() => initBackend("wasm"));
after(() => rmSync(root, { recursive: true, force: true }));

const digits = loadModelData("historical", "train", { limit: 32 });
const base: TrainOptions = {
  model: "historical",
  optimizer: "sdlm",
  batchSize: 4,
  epochs: 1,
  seed: 7,
  hessianSamples: 16,
  data: { train: digits, test: digits },
};

test("the engine runs init scale, j and eq. 8's curvature, and agrees with tfjs autograd", async () => {
  const options: TrainOptions = {
    ...base,
    batchSize: 1,
    epochs: 2,
    modelOptions: { initScale: { divisor: "sqrtFanIn" } },
    j: 0.5,
    outputCurvature: EQ8_OUTPUT_CURVATURE,
  };
  const fast = await trainModel({ ...options, threads: 1 }); // "auto"
  const reference = await trainModel({ ...options, engine: "tfjs", threads: 1 });
  assert.equal(fast.recipe.engine, "engine");
  assert.equal(fast.engineFallback, null);
  assert.deepEqual(fast.recipe.modelOptions, { initScale: { divisor: "sqrtFanIn" } });
  assert.equal(fast.recipe.j, 0.5);
  assert.equal(fast.recipe.outputCurvature, 2);
  fast.history.forEach((epoch, i) => {
    assertClose([epoch.loss], [reference.history[i].loss], { rtol: 1e-3, label: `loss ${i}` });
  });
  const [a, b] = [weightsOf(fast.model), weightsOf(reference.model)];
  a.forEach((w, i) => {
    const scale = Math.max(...b[i].map(Math.abs));
    assertClose(w, b[i], { rtol: 1e-3, atol: 1e-3 * scale, label: `weight ${i}` });
  });
  [fast.model, reference.model].forEach((m) => m.dispose());
});

test("j changes the loss the run minimises: the first epoch's loss is eq. 9's with that j", async () => {
  // One step at η → 0 leaves the weights as they start, so the epoch's mean loss is the
  // untrained net's eq. 9 loss with the run's j, which the scratch net computes directly.
  const losses = [];
  for (const j of [0.1, 3]) {
    const result = await trainModel({ ...base, batchSize: 32, learningRate: 1e-12, j });
    const start = await trainModel({ ...base, epochs: 0, j }); // the weights at the start
    const params = historicalParams(start.model);
    const x = { shape: [digits.count, 32, 32, 1], data: digits.images };
    const expected = historicalLoss(historicalForward(params, x), digits.labels, { j });
    assertClose([result.history[0].loss], [expected], { rtol: 1e-4, label: `j = ${j}` });
    losses.push(result.history[0].loss);
    [result.model, start.model].forEach((m) => m.dispose());
  }
  assert.ok(losses[1] < losses[0], "a larger j lowers the rubbish term, and the loss");
});

test('full C3 and pooling fall back to tfjs, saying why; engine: "engine" refuses them', async () => {
  const full = await trainModel({ ...base, modelOptions: { c3: "full" } });
  assert.equal(full.recipe.engine, "tfjs");
  assert.match(full.engineFallback ?? "", /full C3/);
  assert.equal(trainable(full.model), 60_900);
  full.model.dispose();
  const pooled = await trainModel({ ...base, modelOptions: { subsampling: "average" } });
  assert.equal(pooled.recipe.engine, "tfjs");
  assert.match(pooled.engineFallback ?? "", /average pooling/);
  assert.ok(pooled.history[0].loss > 0 && Number.isFinite(pooled.history[0].loss));
  pooled.model.dispose();
  await assert.rejects(
    trainModel({ ...base, modelOptions: { subsampling: "max" }, engine: "engine" }),
    /not max pooling\); use engine: "tfjs"/,
  );
  await assert.rejects(
    trainModel({ ...base, optimizer: "adam", outputCurvature: 2 }),
    /outputCurvature is SDLM's curvature/,
  );
  await assert.rejects(trainModel({ ...base, outputCurvature: -1 }), /outputCurvature must be/);
});

test("the options round-trip through the checkpoint, and a resume must ask for the same", async () => {
  const dir = freshDir();
  const options: TrainOptions = {
    ...base,
    modelOptions: { c3: "full", subsampling: "max", initScale: { numerator: 1 } },
    j: 0.3,
    outputCurvature: 2,
    outDir: dir,
  };
  const first = await trainModel(options);
  const saved = loadCheckpoint(dir);
  assert.deepEqual(saved.recipe?.modelOptions, options.modelOptions);
  assert.deepEqual(ablationOfRecipe(saved.recipe), {
    c3: "full",
    subsampling: "max",
    initScale: { numerator: 1 },
    j: 0.3,
    outputCurvature: 2,
  });
  const loaded = modelFromCheckpoint(saved, dir);
  assert.equal(trainable(loaded), 60_900 - 44);
  assert.deepEqual(weightsOf(loaded), weightsOf(first.model));
  loaded.dispose();
  const resumed = await trainModel({ ...options, epochs: 2, resume: true });
  assert.equal(resumed.resumedFrom, 1);
  assert.equal(resumed.history.length, 2);
  for (const [change, message] of [
    [{ modelOptions: { c3: "full" } }, /model options/],
    [{ outputCurvature: "eq9" }, /outputCurvature = 2/],
    [{ j: 0.1 }, /j = 0.3/],
  ] as const) {
    await assert.rejects(trainModel({ ...options, ...change, epochs: 3, resume: true }), message);
  }
  [first.model, resumed.model].forEach((m) => m.dispose());
});
