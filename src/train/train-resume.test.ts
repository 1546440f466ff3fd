// Resuming a run from its checkpoint (train.ts + checkpoint.ts): the same weights as a run that
// was never interrupted, and a different recipe refused.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend";
import { MANIFEST_FILE, loadCheckpoint } from "../checkpoint";
import { loadModelData } from "./data";
import { type TrainOptions, trainModel } from "./train";
import { weightsOf, untimed } from "../test-support/training";

const root = mkdtempSync(join(tmpdir(), "lenet5-resume-test-"));
let counter = 0;
const freshDir = () => join(root, `run${counter++}`);

before(() => initBackend("wasm"));
after(() => rmSync(root, { recursive: true, force: true }));

const historical = loadModelData("historical", "train", { limit: 8 });
const modern = loadModelData("modern", "train", { limit: 96 });

async function resumeEqualsStraight(options: TrainOptions) {
  const straightDir = freshDir();
  const straight = await trainModel({ ...options, epochs: 2, outDir: straightDir });
  const dir = freshDir();
  const first = await trainModel({ ...options, epochs: 1, outDir: dir });
  first.model.dispose();
  assert.equal(loadCheckpoint(dir).epoch, 1);
  const resumed = await trainModel({ ...options, epochs: 2, outDir: dir, resume: true });
  assert.equal(resumed.resumedFrom, 1);
  assert.deepEqual(weightsOf(resumed.model), weightsOf(straight.model)); // bit for bit
  assert.deepEqual(untimed(resumed.history), untimed(straight.history));
  const a = loadCheckpoint(straightDir);
  const b = loadCheckpoint(dir);
  assert.deepEqual(b.rngState, a.rngState);
  assert.deepEqual(b.optimizerState, a.optimizerState);
  [straight.model, resumed.model].forEach((m) => m.dispose());
}

test("resume after epoch 1 = an uninterrupted run, bit for bit (cpu, SDLM, historical)", async () => {
  await tf.setBackend("cpu");
  try {
    await resumeEqualsStraight({
      model: "historical",
      optimizer: "sdlm",
      batchSize: 4,
      seed: 2,
      data: { train: historical, test: historical },
    });
  } finally {
    await tf.setBackend("wasm");
  }
});

test("resume after epoch 1 = an uninterrupted run, bit for bit (wasm, Adam, modern)", async () => {
  await resumeEqualsStraight({
    model: "modern",
    optimizer: "adam",
    batchSize: 32,
    seed: 9,
    data: { train: modern },
    evaluate: false,
  });
});

test("a resume with another recipe is refused, naming the checkpoint", async () => {
  const dir = freshDir();
  const options: TrainOptions = {
    model: "modern",
    optimizer: "sgd",
    epochs: 1,
    batchSize: 32,
    limit: 64,
    data: { train: modern },
    evaluate: false,
    outDir: dir,
  };
  (await trainModel(options)).model.dispose();
  await assert.rejects(
    trainModel({ ...options, epochs: 2, batchSize: 16, resume: true }),
    (error: Error) =>
      error.message.startsWith(join(dir, MANIFEST_FILE)) &&
      /trained with batchSize = 32, this run asks for 16/.test(error.message),
  );
  await assert.rejects(
    trainModel({ ...options, model: "historical", resume: true, data: { train: historical } }),
    /holds weights of the "modern" model, not "historical"/,
  );
});

test("only threads defaults to 1 in a resume's check: another key this run lacks is no match", async () => {
  const dir = freshDir();
  const options: TrainOptions = {
    model: "modern",
    optimizer: "sgd",
    epochs: 1,
    batchSize: 32,
    limit: 64,
    threads: 1,
    data: { train: modern },
    evaluate: false,
    outDir: dir,
  };
  (await trainModel(options)).model.dispose();
  const manifestPath = join(dir, MANIFEST_FILE);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const setRecipe = (extra: Record<string, unknown>) =>
    writeFileSync(
      manifestPath,
      JSON.stringify({ ...manifest, recipe: { ...manifest.recipe, ...extra } }),
    );
  // An SDLM setting in an SGD run's checkpoint: this run has no μ, which is not μ = 1.
  setRecipe({ mu: 1 });
  await assert.rejects(
    trainModel({ ...options, epochs: 2, resume: true }),
    /trained with mu = 1, this run asks for none/,
  );
  // threads = 1 written out is what a one-thread run (which records no threads) means.
  setRecipe({ threads: 1 });
  const resumed = await trainModel({ ...options, epochs: 2, resume: true });
  assert.equal(resumed.resumedFrom, 1);
  resumed.model.dispose();
});
