// trainModel on the engine against trainModel on tfjs autograd: the same run (seed, data,
// batches, optimiser) gives the same losses and weights to float32 rounding; the engine's state
// goes into checkpoints and comes back; what the engine cannot train is refused by name.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../backend";
import { loadCheckpoint } from "../checkpoint";
import { assertClose } from "../test-support/assert-close";
import { weightsOf } from "../test-support/training";
import { loadModelData } from "./data";
import { createModel } from "../models/registry";
import { engineFits, engineSupports } from "./engine-steps";
import { type TrainOptions, trainModel } from "./train";

const root = mkdtempSync(join(tmpdir(), "lenet5-engine-steps-"));
let counter = 0;
const freshDir = () => join(root, `run${counter++}`);

before(() => initBackend("wasm"));
after(() => rmSync(root, { recursive: true, force: true }));

const historical = loadModelData("historical", "train", { limit: 64 });
const modern = loadModelData("modern", "train", { limit: 256 });

/** The same run on both paths: per-epoch losses and accuracies, and the final weights. */
async function bothPathsAgree(options: TrainOptions, rtol: number) {
  const runs = [];
  for (const engine of ["engine", "tfjs"] as const) {
    runs.push(await trainModel({ ...options, engine, threads: 1 }));
  }
  const [fast, reference] = runs;
  assert.equal(fast.recipe.engine, "engine");
  assert.equal(reference.recipe.engine, "tfjs");
  fast.history.forEach((epoch, i) => {
    const want = reference.history[i];
    assertClose([epoch.loss], [want.loss], { rtol, label: `epoch ${epoch.epoch} loss` });
    assertClose([epoch.trainAccuracy], [want.trainAccuracy], {
      atol: 0.02,
      rtol: 0,
      label: "accuracy",
    });
  });
  const [a, b] = [weightsOf(fast.model), weightsOf(reference.model)];
  a.forEach((w, i) => {
    const scale = Math.max(...b[i].map(Math.abs));
    assertClose(w, b[i], { rtol, atol: rtol * scale, label: `weight ${i}` });
  });
  runs.forEach((r) => r.model.dispose());
}

test("historical, SDLM at batch 1 (the paper's online updates): engine = tfjs autograd", async () => {
  await bothPathsAgree(
    {
      model: "historical",
      optimizer: "sdlm",
      batchSize: 1,
      epochs: 2,
      seed: 3,
      hessianSamples: 32,
      data: { train: historical, test: historical },
    },
    1e-3,
  );
});

test("modern, Adam at batch 32: engine = tfjs autograd", async () => {
  await bothPathsAgree(
    {
      model: "modern",
      optimizer: "adam",
      batchSize: 32,
      epochs: 2,
      seed: 4,
      data: { train: modern, test: modern },
    },
    1e-3,
  );
});

test("the engine's state goes into the checkpoint and a two-thread resume repeats the run bit for bit", async () => {
  const options: TrainOptions = {
    model: "modern",
    optimizer: "momentum",
    batchSize: 32,
    seed: 5,
    threads: 2,
    data: { train: modern, test: modern },
  };
  const straight = await trainModel({ ...options, epochs: 2, outDir: freshDir() });
  const dir = freshDir();
  (await trainModel({ ...options, epochs: 1, outDir: dir })).model.dispose();
  const saved = loadCheckpoint(dir);
  assert.equal(saved.recipe?.engine, "engine");
  assert.equal(saved.recipe?.threads, 2);
  assert.ok(
    saved.optimizerState?.slots.some((s) => s.name === "velocity/0"),
    "momentum's velocity saved",
  );
  const resumed = await trainModel({ ...options, epochs: 2, outDir: dir, resume: true });
  assert.deepEqual(weightsOf(resumed.model), weightsOf(straight.model));
  await assert.rejects(
    trainModel({ ...options, epochs: 3, outDir: dir, resume: true, engine: "tfjs", threads: 2 }),
    /trained with engine = "engine", this run asks for "tfjs"/,
  );
  [straight.model, resumed.model].forEach((m) => m.dispose());
});

test("what the engine cannot train is refused by name, and auto falls back to tfjs", async () => {
  assert.equal(engineSupports("modern", { batchNorm: true }), false);
  assert.equal(engineSupports("seed-historical"), false);
  const built = createModel("modern", { seed: 1 });
  const withDropout = createModel("modern", { seed: 1, dropout: 0.5 });
  assert.equal(engineFits(built, "modern"), true); // a model built to the engine's layout
  assert.equal(engineFits(withDropout, "modern"), false); // dropout: same weights, other net
  assert.equal(engineFits(built, "historical"), false);
  [built, withDropout].forEach((m) => m.dispose());
  await assert.rejects(
    trainModel({
      model: "modern",
      modelOptions: { batchNorm: true },
      engine: "engine",
      epochs: 1,
      data: { train: modern },
    }),
    /the engine trains historical, and modern without batch norm or dropout/,
  );
  const fallback = await trainModel({
    model: "modern",
    modelOptions: { dropout: 0.2 },
    epochs: 1,
    limit: 64,
    evaluate: false,
    data: { train: modern },
  });
  assert.equal(fallback.recipe.engine, "tfjs");
  fallback.model.dispose();
});
