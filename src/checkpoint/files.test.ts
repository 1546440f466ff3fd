import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend";
import { createModel } from "../models/registry";
import { Rng } from "../rng";
import {
  CHECKPOINT_FORMAT_VERSION,
  type CheckpointFault,
  CheckpointError,
  MANIFEST_FILE,
  hasCheckpoint,
  loadCheckpoint,
  loadWeightsInto,
  modelWeightEntries,
  saveCheckpoint,
  setModelWeights,
} from "./index";
import { MomentumOptimizer } from "../train/optimizers";
import { weightsOf } from "../test-support/training";

const root = mkdtempSync(join(tmpdir(), "lenet5-checkpoint-test-"));
let counter = 0;
const freshDir = () => join(root, `c${counter++}`);

before(() => initBackend());
after(() => rmSync(root, { recursive: true, force: true }));

/** A trained-looking historical checkpoint: weights, a momentum state after one step, RNG, history. */
async function saveExample(dir: string) {
  const model = createModel("historical", { seed: 4 });
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = new MomentumOptimizer({ learningRate: 0.01 });
  const grads = variables.map((v) => tf.randomNormal(v.shape, 0, 1, "float32", 7));
  optimizer.step(variables, grads);
  tf.dispose(grads);
  const rng = new Rng(12);
  rng.next();
  const history = [
    {
      epoch: 1,
      loss: 1.5,
      trainAccuracy: 0.5,
      testAccuracy: null,
      seconds: 2,
      imagesPerSec: 10,
      learningRate: 0.01,
    },
  ];
  const manifest = await saveCheckpoint(dir, {
    modelName: "historical",
    model,
    optimizer,
    epoch: 1,
    rngState: rng.getState(),
    history,
    recipe: { batchSize: 64 },
  });
  return { model, optimizer, rng, history, manifest };
}

/** Asserts that `fn` throws a CheckpointError with this fault whose message names `file`. */
function assertFault(fn: () => unknown, fault: CheckpointFault, file: string, pattern: RegExp) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof CheckpointError, `not a CheckpointError: ${String(error)}`);
    assert.equal(error.fault, fault);
    assert.ok(error.message.startsWith(file), `"${error.message}" should start with ${file}`);
    assert.match(error.message, pattern);
    return true;
  });
}

test("round trip: weights, optimiser state, epoch, RNG state and history come back bit for bit", async () => {
  const dir = freshDir();
  const { model, optimizer, rng, history, manifest } = await saveExample(dir);
  assert.equal(manifest.formatVersion, CHECKPOINT_FORMAT_VERSION);
  assert.equal(manifest.modelName, "historical");
  assert.equal(manifest.weights.bytes, 4 * (60_000 + 840)); // trainable + the fixed prototypes
  assert.deepEqual(manifest.weights.tensors[0], { name: "C1/kernel", shape: [5, 5, 1, 6] });

  const loaded = loadCheckpoint(dir, { expectModel: "historical" });
  assert.equal(loaded.epoch, 1);
  assert.deepEqual(loaded.rngState, rng.getState());
  assert.deepEqual(loaded.history, history);
  assert.deepEqual(loaded.recipe, { batchSize: 64 });
  const state = optimizer.getState();
  assert.deepEqual(loaded.optimizerState, { ...state, hyper: { ...state.hyper } });

  const fresh = createModel("historical", { seed: 99 });
  loadWeightsInto(fresh, dir);
  assert.deepEqual(weightsOf(fresh), weightsOf(model)); // Float32Arrays compared exactly
  [model, fresh].forEach((m) => m.dispose());
  optimizer.dispose();
});

test("doc examples: modelWeightEntries, hasCheckpoint, a weights-only checkpoint", async () => {
  const dir = freshDir();
  assert.equal(hasCheckpoint(dir), false);
  const model = createModel("historical", { seed: 1 });
  assert.deepEqual(modelWeightEntries(model)[0], { name: "C1/kernel", shape: [5, 5, 1, 6] });
  await saveCheckpoint(dir, { modelName: "historical", model, epoch: 0 });
  assert.equal(hasCheckpoint(dir), true);
  const checkpoint = loadCheckpoint(dir, { expectModel: "historical" });
  assert.equal(checkpoint.epoch, 0);
  assert.equal(checkpoint.optimizerState, null);
  const copy = createModel("historical", { seed: 2 });
  setModelWeights(copy, checkpoint.weights, join(dir, MANIFEST_FILE));
  assert.deepEqual(weightsOf(copy), weightsOf(model));
  [model, copy].forEach((m) => m.dispose());
});

test("saving again replaces the checkpoint and leaves no stale data or temporary files", async () => {
  const dir = freshDir();
  const { model, optimizer } = await saveExample(dir);
  writeFileSync(join(dir, ".lenet5-tmp-0123-manifest.json"), "half-written"); // a killed save
  const first = readdirSync(dir).filter((f) => f.endsWith(".bin"));
  model.getLayer("F6").setWeights(
    model
      .getLayer("F6")
      .getWeights()
      .map((w) => tf.mul(w, 2)),
  );
  await saveCheckpoint(dir, { modelName: "historical", model, optimizer, epoch: 2 });
  const files = readdirSync(dir).sort();
  assert.equal(files.length, 3, files.join(", ")); // manifest + weights + optimizer
  assert.ok(files.includes(MANIFEST_FILE));
  assert.ok(!files.includes(first.find((f) => f.startsWith("weights")) ?? ""));
  assert.equal(loadCheckpoint(dir).epoch, 2);
  model.dispose();
  optimizer.dispose();
});

test("until the manifest is renamed, the old checkpoint is what loads (a new data file beside it changes nothing)", async () => {
  const dir = freshDir();
  const { model, optimizer } = await saveExample(dir);
  const other = freshDir();
  model.getLayer("C1").setWeights(
    model
      .getLayer("C1")
      .getWeights()
      .map((w) => tf.neg(w)),
  );
  await saveCheckpoint(other, { modelName: "historical", model, optimizer, epoch: 2 });
  // A kill after step 1 of a save into `dir`: the new weights file is there, the manifest is old.
  for (const f of readdirSync(other).filter((name) => name.endsWith(".bin"))) {
    writeFileSync(join(dir, f), readFileSync(join(other, f)));
  }
  assert.equal(loadCheckpoint(dir).epoch, 1);
  model.dispose();
  optimizer.dispose();
});

test("a truncated, corrupted or missing data file is rejected, naming the file", async () => {
  const dir = freshDir();
  const { model, optimizer, manifest } = await saveExample(dir);
  const weightsPath = join(dir, manifest.weights.file);
  const bytes = readFileSync(weightsPath);

  writeFileSync(weightsPath, bytes.subarray(0, 1000));
  assertFault(
    () => loadCheckpoint(dir),
    "truncated",
    weightsPath,
    /truncated: 1000 bytes, the manifest says 243360/,
  );

  const flipped = Buffer.from(bytes);
  flipped[500] ^= 0x40;
  writeFileSync(weightsPath, flipped);
  assertFault(
    () => loadCheckpoint(dir),
    "checksum-mismatch",
    weightsPath,
    /SHA-256 is [0-9a-f]{64}, the manifest says/,
  );

  writeFileSync(weightsPath, Buffer.concat([bytes, Buffer.from([0])]));
  assertFault(() => loadCheckpoint(dir), "size-mismatch", weightsPath, /243361 bytes/);

  rmSync(weightsPath);
  assertFault(() => loadCheckpoint(dir), "missing-file", weightsPath, /missing/);
  model.dispose();
  optimizer.dispose();
});

test("a wrong model, wrong shapes or an unknown format version is rejected, naming the manifest", async () => {
  const dir = freshDir();
  const { model, optimizer } = await saveExample(dir);
  const manifestPath = join(dir, MANIFEST_FILE);
  const original = readFileSync(manifestPath, "utf8");

  assertFault(
    () => loadCheckpoint(dir, { expectModel: "modern" }),
    "wrong-model",
    manifestPath,
    /holds weights of the "historical" model, not "modern"/,
  );
  const modern = createModel("modern", { seed: 1 });
  assertFault(() => loadWeightsInto(modern, dir), "wrong-model", manifestPath, /not "modern"/);
  // Loaded into a model of another shape under the same name: the first differing weight is named.
  assertFault(
    () => setModelWeights(modern, loadCheckpoint(dir).weights, manifestPath),
    "shape-mismatch",
    manifestPath,
    /holds 13 weights .*, the model has 10/,
  );

  // Same byte count, other shapes: C1/kernel [5, 5, 1, 6] declared as [5, 5, 6, 1].
  const edited = JSON.parse(original);
  edited.weights.tensors[0].shape = [5, 5, 6, 1];
  writeFileSync(manifestPath, JSON.stringify(edited));
  const fresh = createModel("historical");
  assertFault(
    () => loadWeightsInto(fresh, dir),
    "shape-mismatch",
    manifestPath,
    /weight 0 is C1\/kernel \[5, 5, 6, 1\], the model expects C1\/kernel \[5, 5, 1, 6\]/,
  );

  writeFileSync(manifestPath, JSON.stringify({ ...JSON.parse(original), formatVersion: 99 }));
  assertFault(
    () => loadCheckpoint(dir),
    "unknown-format",
    manifestPath,
    /format version 99 is unknown/,
  );
  writeFileSync(manifestPath, "{ not json");
  assertFault(() => loadCheckpoint(dir), "bad-manifest", manifestPath, /not valid JSON/);
  const empty = freshDir();
  assertFault(
    () => loadCheckpoint(empty),
    "missing-manifest",
    join(empty, MANIFEST_FILE),
    /no checkpoint/,
  );
  [model, modern, fresh].forEach((m) => m.dispose());
  optimizer.dispose();
});
