import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend";
import { MODEL_NAMES, type ModelName, createModel } from "../models/registry";
import { Rng } from "../rng";
import { MANIFEST_FILE } from "../checkpoint";
import { type LabeledImages, loadModelData } from "./data";
import { evaluateModel } from "./evaluate";
import { OPTIMIZER_NAMES, type OptimizerName } from "./optimizer-base";
import { type BatchProgress, type EpochResult, type TrainOptions, trainModel } from "./train";
import { weightsOf, untimed } from "../test-support/training";

const root = mkdtempSync(join(tmpdir(), "lenet5-train-test-"));
let counter = 0;
const freshDir = () => join(root, `run${counter++}`);

before(() => initBackend("wasm"));
after(() => rmSync(root, { recursive: true, force: true }));

const slices = new Map<ModelName, LabeledImages>();
/** The first 256 training images in `name`'s input layout (loaded once per model). */
function slice(name: ModelName): LabeledImages {
  const cached = slices.get(name);
  if (cached) return cached;
  const data = loadModelData(name, "train", { limit: 256 });
  slices.set(name, data);
  return data;
}

for (const name of MODEL_NAMES) {
  for (const optimizer of OPTIMIZER_NAMES) {
    test(`${name} + ${optimizer}: 16 steps on 256 images reduce the loss on them`, async () => {
      const data = slice(name);
      const initial = createModel(name, { seed: 3 });
      const before = await evaluateModel(initial, name, data);
      initial.dispose();
      const { model } = await trainModel({
        model: name,
        seed: 3,
        optimizer,
        epochs: 2,
        batchSize: 32,
        data: { train: data },
        evaluate: false,
      });
      const after = await evaluateModel(model, name, data);
      assert.ok(
        after.loss < 0.9 * before.loss,
        `loss ${before.loss.toFixed(3)} → ${after.loss.toFixed(3)}, expected a drop of 10%+`,
      );
      model.dispose();
    });
  }
}

test("doc example: trainModel on a slice, with progress callbacks", async () => {
  const batches: BatchProgress[] = [];
  const epochs: EpochResult[] = [];
  const { model, history, epochsCompleted, aborted } = await trainModel({
    model: "historical", // SDLM and the paper's loss by default
    epochs: 1,
    limit: 256, // the first 256 training images
    testLimit: 256,
    onBatch: (p) => batches.push(p),
    onEpoch: (e) => {
      epochs.push(e);
    },
  });
  assert.equal(epochsCompleted, 1);
  assert.equal(aborted, false);
  assert.deepEqual(history, epochs);
  assert.equal(batches.length, 16); // 256 / 16, SDLM's default batch size
  assert.deepEqual(
    batches.map((b) => [b.epoch, b.batch, b.batches, b.images]).at(-1),
    [1, 16, 16, 256],
  );
  const [e] = history;
  assert.equal(e.learningRate, 0.0005); // the paper's first pass
  assert.ok(e.testAccuracy !== null && e.testAccuracy >= 0 && e.testAccuracy <= 1);
  assert.ok(e.loss > 0 && e.imagesPerSec > 0 && e.seconds > 0);
  model.dispose();
});

test("the same seed gives the same weights and history; a built model can be passed in", async () => {
  const options: TrainOptions = {
    model: "modern",
    optimizer: "momentum",
    epochs: 1,
    batchSize: 32,
    seed: 5,
    data: { train: slice("modern") },
    evaluate: false,
  };
  const a = await trainModel(options);
  const built = createModel("modern", { seed: 5 });
  const b = await trainModel({ ...options, model: built, modelName: "modern" });
  assert.equal(b.model, built);
  assert.deepEqual(weightsOf(a.model), weightsOf(b.model));
  assert.deepEqual(untimed(a.history), untimed(b.history));
  [a.model, built].forEach((m) => m.dispose());
});

test("an abort stops after the current step, saves no partial epoch, and leaks no tensors", async () => {
  const before = tf.memory().numTensors;
  const controller = new AbortController();
  const dir = freshDir();
  let steps = 0;
  const result = await trainModel({
    model: "historical",
    epochs: 3,
    data: { train: slice("historical") },
    evaluate: false,
    outDir: dir,
    signal: controller.signal,
    onBatch: (p) => {
      steps++;
      if (p.batch === 2) controller.abort();
    },
  });
  assert.equal(steps, 2);
  assert.equal(result.aborted, true);
  assert.equal(result.epochsCompleted, 0);
  assert.deepEqual(result.history, []);
  assert.equal(existsSync(join(dir, MANIFEST_FILE)), false);
  result.model.dispose();
  assert.equal(tf.memory().numTensors, before, "tensors leaked");
});

test("a full run with evaluation, SDLM and checkpoints leaks no tensors", async () => {
  const before = tf.memory().numTensors;
  const data = slice("historical");
  const result = await trainModel({
    model: "historical",
    epochs: 2,
    batchSize: 64,
    data: { train: data, test: data },
    testLimit: 64,
    outDir: freshDir(),
  });
  assert.equal(result.history.length, 2);
  assert.deepEqual(
    result.history.map((e) => e.learningRate),
    [0.0005, 0.0005],
  );
  result.model.dispose();
  assert.equal(tf.memory().numTensors, before, "tensors leaked");
});

test("the distort hook sees every training batch with the run's Rng", async () => {
  const calls: [number, number][] = [];
  let rngs = 0;
  const { model } = await trainModel({
    model: "modern",
    optimizer: "sgd" satisfies OptimizerName,
    epochs: 1,
    batchSize: 100,
    limit: 250,
    data: { train: slice("modern") },
    evaluate: false,
    distort: (images, count, size, rng) => {
      assert.equal(images.length, count * size * size);
      calls.push([count, size]);
      if (rng instanceof Rng) rngs++;
      images.fill(0);
    },
  });
  assert.deepEqual(calls, [
    [100, 28],
    [100, 28],
    [50, 28],
  ]);
  assert.equal(rngs, 3);
  model.dispose();
});

test("on wasm without initBackend's kernels, training says to call initBackend", async () => {
  const kernel = tf.getKernel("Conv2DBackpropFilter", "wasm");
  assert.ok(kernel !== undefined, "initBackend registered it");
  tf.unregisterKernel("Conv2DBackpropFilter", "wasm"); // as in a process that never called it
  try {
    await assert.rejects(
      trainModel({
        model: "modern",
        engine: "tfjs", // the engine path needs no tfjs kernel to train
        epochs: 1,
        limit: 10,
        data: { train: slice("modern") },
        evaluate: false,
      }),
      /call `await initBackend\(\)` first/,
    );
  } finally {
    tf.registerKernel(kernel);
  }
  assert.equal(tf.getKernel("Conv2DBackpropFilter", "wasm"), kernel);
});
