// Regression tests of issue 16 for training: a resume from a damaged or mismatched checkpoint
// is refused naming the file and field, and leaves it as it was (D7, D8); a run whose loss
// turns NaN stops naming the epoch and step, before its checkpoint (D7); absurd numbers are
// refused at the entry (D9); a folder holding a checkpoint is not trained over unless asked
// (D10); and restoring an optimiser's state 20 times leaks no tensor (D11).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend";
import { CheckpointError, MANIFEST_FILE, loadCheckpoint } from "../checkpoint";
import { createModel } from "../models/registry";
import { Rng } from "../rng";
import type { LabeledImages } from "./data";
import { TrainingDivergedError, checkWeightsFinite } from "./guards";
import { type TrainOptions, trainModel } from "./train";

const root = mkdtempSync(join(tmpdir(), "lenet5-train-bounded-"));
let counter = 0;
const freshDir = () => join(root, `run${counter++}`);

before(() => initBackend("wasm"));
after(() => rmSync(root, { recursive: true, force: true }));

/** 64 random 28×28 "images" with labels: enough for two steps of modern, no MNIST needed. */
function randomData(count = 64): LabeledImages {
  const rng = new Rng(9);
  const images = Float32Array.from({ length: count * 28 * 28 }, () => rng.next() - 0.5);
  const labels = Array.from({ length: count }, (_, i) => i % 10);
  return { images, labels, count };
}

const options: TrainOptions = {
  model: "modern",
  optimizer: "adam",
  batchSize: 32,
  seed: 1,
  data: { train: randomData() },
  evaluate: false,
};

/** Every file of `dir` with its bytes, to show a failed run changed nothing. */
const snapshot = (dir: string) =>
  readdirSync(dir)
    .sort()
    .map((f) => [f, readFileSync(join(dir, f)).toString("hex")]);

/** A one-epoch checkpoint in a fresh folder. */
async function trainedDir(extra: Partial<TrainOptions> = {}): Promise<string> {
  const dir = freshDir();
  const { model } = await trainModel({ ...options, ...extra, epochs: 1, outDir: dir });
  model.dispose();
  return dir;
}

async function rejectsWith(run: Promise<unknown>, check: (error: unknown) => void): Promise<void> {
  await assert.rejects(run, (error) => {
    check(error);
    return true;
  });
}

test("D7: a resume from a manifest without optimizer.iterations is refused; the checkpoint stays", async () => {
  const dir = await trainedDir();
  const manifestPath = join(dir, MANIFEST_FILE);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  delete manifest.optimizer.iterations;
  writeFileSync(manifestPath, JSON.stringify(manifest));
  const before = snapshot(dir);
  await rejectsWith(trainModel({ ...options, epochs: 2, outDir: dir, resume: true }), (error) => {
    assert.ok(error instanceof CheckpointError, String(error));
    assert.equal(error.file, manifestPath);
    assert.match(error.message, /optimizer\.iterations is missing/);
  });
  assert.deepEqual(snapshot(dir), before, "nothing was written");
});

test("D7: a step whose loss is NaN stops the run, naming epoch and step; epoch 1's checkpoint stays", async () => {
  // The distort hook poisons the inputs of epoch 2's second batch: the loss becomes NaN there.
  let batches = 0;
  const poison = (images: Float32Array) => {
    if (++batches === 4) images.fill(NaN);
  };
  const dir = freshDir();
  await rejectsWith(
    trainModel({ ...options, epochs: 3, outDir: dir, distort: poison }),
    (error) => {
      assert.ok(error instanceof TrainingDivergedError, String(error));
      assert.deepEqual([error.epoch, error.step], [2, 2]);
      assert.match(
        error.message,
        new RegExp(
          `^training diverged at epoch 2, step 2 of 2: the loss is NaN; training stopped and ` +
            `the checkpoint in ${dir} is untouched`,
        ),
      );
    },
  );
  const checkpoint = loadCheckpoint(dir); // loads: every value finite
  assert.equal(checkpoint.epoch, 1);
});

test("D7: weights that are no longer finite stop the run at the epoch's end", () => {
  const model = createModel("modern", { seed: 1 });
  checkWeightsFinite(model, { epoch: 1, step: 2, steps: 2 });
  const [kernel, ...rest] = model.getWeights();
  const poisoned = tf.tidy(() => kernel.mul(tf.scalar(Infinity)));
  model.setWeights([poisoned, ...rest]);
  poisoned.dispose();
  assert.throws(
    () => checkWeightsFinite(model, { epoch: 3, step: 7, steps: 7, outDir: "runs/x" }),
    {
      name: "TrainingDivergedError",
      message:
        /^training diverged in epoch 3 .*weight C1\/kernel holds (-)?Infinity.*runs\/x is untouched/,
    },
  );
  model.dispose();
});

test("D8: a resume with other optimiser settings names the manifest and the field", async () => {
  const dir = await trainedDir();
  const manifestPath = join(dir, MANIFEST_FILE);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  manifest.optimizer.hyper.beta1 = 0.5;
  writeFileSync(manifestPath, JSON.stringify(manifest));
  await rejectsWith(trainModel({ ...options, epochs: 2, outDir: dir, resume: true }), (error) => {
    assert.ok(error instanceof CheckpointError, String(error));
    assert.equal(error.fault, "wrong-settings");
    assert.match(
      error.message,
      new RegExp(
        `^${manifestPath}: optimizer\\.hyper\\.beta1 is 0\\.5, this run's adam uses 0\\.9`,
      ),
    );
  });
});

test("D9: absurd numbers are refused at the entry, before any data or schedule is built", async () => {
  for (const [extra, says] of [
    [{ epochs: 1e9 }, /epochs must be an integer from 0 to 10,000, got 1000000000/],
    [{ epochs: 2.5 }, /epochs/],
    [{ batchSize: 1e6 }, /batchSize must be an integer from 1 to 4,096/],
    [{ seed: -1 }, /seed must be an integer from 0/],
    [{ learningRate: NaN }, /learningRate must be in \(0, 10\]/],
    [{ learningRate: 1e6 }, /learningRate/],
    [{ mu: 0 }, /mu must be a finite number > 0/],
  ] as const) {
    const start = performance.now();
    await assert.rejects(trainModel({ ...options, ...extra }), {
      name: "RangeError",
      message: says,
    });
    assert.ok(performance.now() - start < 1000);
  }
});

test("D10: a folder holding a checkpoint is refused without resume or overwrite; overwrite replaces it", async () => {
  const dir = await trainedDir({ epochs: 1 });
  const before = snapshot(dir);
  await rejectsWith(trainModel({ ...options, epochs: 1, outDir: dir }), (error) => {
    assert.ok(error instanceof CheckpointError, String(error));
    assert.equal(error.fault, "checkpoint-exists");
    assert.equal(error.file, dir);
  });
  assert.deepEqual(snapshot(dir), before, "the checkpoint is untouched");
  const { model } = await trainModel({
    ...options,
    seed: 2,
    epochs: 1,
    outDir: dir,
    overwrite: true,
  });
  model.dispose();
  assert.equal((loadCheckpoint(dir).recipe as { seed: number }).seed, 2, "replaced");
  // A file as --out fails before training, naming it.
  const file = join(root, "a-file");
  writeFileSync(file, "");
  await rejectsWith(trainModel({ ...options, epochs: 1, outDir: file }), (error) => {
    assert.ok(error instanceof CheckpointError && error.fault === "not-a-folder", String(error));
  });
});

test("D11: restoring the optimiser's state leaks no tensor: 20 resumes, numTensors flat", async () => {
  const dir = await trainedDir();
  const resume = async () => {
    const { model, resumedFrom } = await trainModel({
      ...options,
      epochs: 1,
      outDir: dir,
      resume: true,
    });
    assert.equal(resumedFrom, 1);
    model.dispose();
  };
  await resume(); // the first may create what later ones reuse (kernels, caches)
  const start = tf.memory();
  for (let i = 0; i < 20; i++) await resume();
  const end = tf.memory();
  assert.equal(end.numTensors, start.numTensors, "tensors leaked per resume");
  assert.equal(end.numBytes, start.numBytes, "bytes leaked per resume");
});
