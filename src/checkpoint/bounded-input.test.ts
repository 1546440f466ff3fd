// Regression tests of issue 16 for checkpoints: a data file that is /dev/zero, a FIFO (D3) or a
// folder (D4) is a typed error naming it; every manifest field is checked and a fault names it
// (D7, D8); NaN or ±Inf weights and optimiser slots neither load nor save (D7); a folder that
// holds a checkpoint is not trained over by accident, and an unusable one fails at once (D10).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend";
import { createModel } from "../models/registry";
import { Rng } from "../rng";
import { AdamOptimizer } from "../train/optimizers";
import {
  UNPRIVILEGED_SKIP,
  runIsolated,
  sourcePath,
  unprivilegedRunnable,
} from "../test-support/isolated";
import {
  CheckpointError,
  type CheckpointFault,
  MANIFEST_FILE,
  loadCheckpoint,
  loadWeightsInto,
  modelFromCheckpoint,
  prepareCheckpointDir,
  saveCheckpoint,
} from "./index";

const root = mkdtempSync(join(tmpdir(), "lenet5-checkpoint-bounded-"));
chmodSync(root, 0o755); // a child running as `nobody` must reach the folders inside
let counter = 0;
const freshDir = () => join(root, `c${counter++}`);

before(() => initBackend());
after(() => rmSync(root, { recursive: true, force: true }));

/** A modern checkpoint with an Adam state after one step, as `train` writes it. */
async function saveAdamCheckpoint(dir: string): Promise<void> {
  const model = createModel("modern", { seed: 3 });
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = new AdamOptimizer();
  const grads = variables.map((v) => tf.onesLike(v));
  optimizer.step(variables, grads);
  tf.dispose(grads);
  await saveCheckpoint(dir, {
    modelName: "modern",
    model,
    optimizer,
    epoch: 1,
    rngState: new Rng(5).getState(),
    recipe: { modelOptions: {} },
  });
  model.dispose();
  optimizer.dispose();
}

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, MANIFEST_FILE), "utf8"));
const writeManifest = (dir: string, manifest: unknown) =>
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(manifest));

/** Asserts a CheckpointError of this fault naming `file`; returns its message. */
function faultOf(fn: () => unknown, fault: CheckpointFault, file: string): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof CheckpointError, `not a CheckpointError: ${String(error)}`);
    assert.equal(error.fault, fault, error.message);
    assert.equal(error.file, file);
    assert.ok(error.message.startsWith(`${file}: `), error.message);
    return error.message;
  }
  assert.fail(`expected CheckpointError "${fault}"`);
}

/**
 * Rewrites one data file of the checkpoint in `dir` through `edit`, re-hashed and renamed as a
 * save would, with the manifest updated: a file that passes every size and hash check.
 */
function rewriteDataFile(
  dir: string,
  which: "weights" | "optimizer",
  edit: (v: Float32Array) => void,
) {
  const manifest = manifestOf(dir);
  const entry = manifest[which];
  const bytes = new Uint8Array(readFileSync(join(dir, entry.file)));
  edit(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const file = `${which}-${sha256.slice(0, 16)}.bin`;
  writeFileSync(join(dir, entry.file), bytes);
  renameSync(join(dir, entry.file), join(dir, file));
  writeManifest(dir, { ...manifest, [which]: { ...entry, file, sha256 } });
  return join(dir, file);
}

test("D3: a data file that is /dev/zero or a FIFO is 'not-a-file', without hanging", async () => {
  const dir = freshDir();
  await saveAdamCheckpoint(dir);
  const { weights, optimizer } = manifestOf(dir);
  const weightsPath = join(dir, weights.file);
  const optimizerPath = join(dir, optimizer.file);
  rmSync(weightsPath);
  symlinkSync("/dev/zero", weightsPath);
  const files = JSON.stringify(sourcePath("checkpoint", "files.ts"));
  const first = runIsolated<{ file: string; fault: string; message: string }>(`
    const { loadCheckpoint } = require(${files});
    try { loadCheckpoint(${JSON.stringify(dir)}); console.log("{}"); }
    catch (e) { console.log(JSON.stringify({ file: e.file, fault: e.fault, message: e.message })); }
  `);
  assert.deepEqual([first.file, first.fault], [weightsPath, "not-a-file"]);
  assert.match(first.message, /character device \(a symlink to \/dev\/zero\)/);
  rmSync(weightsPath);
  execFileSync("mkfifo", [weightsPath]);
  rmSync(optimizerPath);
  const second = runIsolated<{ file: string; fault: string }>(`
    const { loadCheckpoint } = require(${files});
    try { loadCheckpoint(${JSON.stringify(dir)}); console.log("{}"); }
    catch (e) { console.log(JSON.stringify({ file: e.file, fault: e.fault })); }
  `);
  assert.deepEqual([second.file, second.fault], [weightsPath, "not-a-file"]);
});

test("D4: a data file that is a folder is 'not-a-file' naming it; a manifest that is one too", async () => {
  const dir = freshDir();
  await saveAdamCheckpoint(dir);
  const weightsPath = join(dir, manifestOf(dir).weights.file);
  rmSync(weightsPath);
  mkdirSync(weightsPath);
  assert.match(
    faultOf(() => loadCheckpoint(dir), "not-a-file", weightsPath),
    /is a directory, not a regular file/,
  );
  const other = freshDir();
  mkdirSync(join(other, MANIFEST_FILE), { recursive: true });
  faultOf(() => loadCheckpoint(other), "not-a-file", join(other, MANIFEST_FILE));
});

test("D7: a missing, negative or non-numeric optimizer.iterations is refused, naming the field", async () => {
  const dir = freshDir();
  await saveAdamCheckpoint(dir);
  const good = manifestOf(dir);
  const manifestPath = join(dir, MANIFEST_FILE);
  for (const [iterations, says] of [
    [undefined, /optimizer\.iterations is missing; it must be a whole number ≥ 0/],
    [-5, /optimizer\.iterations is -5; it must be a whole number ≥ 0/],
    ["x", /optimizer\.iterations is "x"/],
    [1.5, /optimizer\.iterations is 1\.5/],
  ] as const) {
    writeManifest(dir, { ...good, optimizer: { ...good.optimizer, iterations } });
    assert.match(
      faultOf(() => loadCheckpoint(dir), "bad-manifest", manifestPath),
      says,
    );
  }
  for (const [edit, says] of [
    [
      { optimizer: { ...good.optimizer, learningRate: "fast" } },
      /optimizer\.learningRate is "fast"/,
    ],
    [
      { optimizer: { ...good.optimizer, hyper: { beta1: null } } },
      /optimizer\.hyper\.beta1 is null/,
    ],
    [{ optimizer: { ...good.optimizer, name: "rmsprop" } }, /optimizer\.name is "rmsprop"/],
    [{ epoch: "six" }, /epoch is "six"/],
    [{ history: [{ epoch: 0 }] }, /history\[0\]\.epoch is 0/],
    [{ recipe: [] }, /recipe is \[\]/],
    [{ weights: { ...good.weights, dtype: "float64" } }, /weights\.dtype is "float64"/],
    [{ savedAt: 5 }, /savedAt is 5; it must be a string/],
  ] as const) {
    writeManifest(dir, { ...good, ...edit });
    assert.match(
      faultOf(() => loadCheckpoint(dir), "bad-manifest", manifestPath),
      says,
    );
  }
});

test("D7: NaN or Inf in a weight or an optimiser slot, hashes recomputed, is 'non-finite'", async () => {
  const dir = freshDir();
  await saveAdamCheckpoint(dir);
  const pristine = manifestOf(dir);
  const slotPath = rewriteDataFile(dir, "optimizer", (values) => (values[10] = NaN));
  assert.match(
    faultOf(() => loadCheckpoint(dir), "non-finite", slotPath),
    /m\/0 holds NaN at index 10 of 150/,
  );
  writeManifest(dir, pristine);
  const weightsPath = rewriteDataFile(dir, "weights", (values) => (values[3] = Infinity));
  assert.match(
    faultOf(() => loadCheckpoint(dir), "non-finite", weightsPath),
    /C1\/kernel holds Infinity at index 3/,
  );
  // evaluate and predict load through loadWeightsInto / modelFromCheckpoint: the same refusal.
  const model = createModel("modern");
  faultOf(() => loadWeightsInto(model, dir), "non-finite", weightsPath);
  model.dispose();
});

test("D8: a bad RNG state and impossible model options name the file and the field", async () => {
  const dir = freshDir();
  await saveAdamCheckpoint(dir);
  const good = manifestOf(dir);
  const manifestPath = join(dir, MANIFEST_FILE);
  writeManifest(dir, { ...good, rngState: [1, 2, "x", 4] });
  assert.match(
    faultOf(() => loadCheckpoint(dir), "bad-manifest", manifestPath),
    /rngState\[2\] is "x"; it must be an unsigned 32-bit integer/,
  );
  writeManifest(dir, { ...good, rngState: [1, 2, 3, 2 ** 32] });
  faultOf(() => loadCheckpoint(dir), "bad-manifest", manifestPath);
  writeManifest(dir, { ...good, recipe: { modelOptions: { dropout: 5 } } });
  const checkpoint = loadCheckpoint(dir);
  assert.match(
    faultOf(() => modelFromCheckpoint(checkpoint, manifestPath), "bad-manifest", manifestPath),
    /recipe\.modelOptions \{"dropout":5\} cannot build the model: .*dropout must be in \[0, 1\), got 5/,
  );
});

test("D7: saveCheckpoint refuses NaN weights and leaves the checkpoint there as it was", async () => {
  const dir = freshDir();
  await saveAdamCheckpoint(dir);
  const before = readdirSync(dir)
    .sort()
    .map((f) => [f, readFileSync(join(dir, f)).toString("hex")]);
  const model = createModel("modern", { seed: 1 });
  const [kernel, ...rest] = model.getWeights();
  const poisoned = tf.tidy(() => kernel.add(tf.scalar(NaN)));
  model.setWeights([poisoned, ...rest]);
  poisoned.dispose();
  await assert.rejects(saveCheckpoint(dir, { modelName: "modern", model, epoch: 2 }), (error) => {
    assert.ok(error instanceof CheckpointError);
    assert.equal(error.fault, "non-finite");
    assert.match(error.message, /weight C1\/kernel holds NaN at index 0 .*nothing was saved/);
    return true;
  });
  const afterwards = readdirSync(dir)
    .sort()
    .map((f) => [f, readFileSync(join(dir, f)).toString("hex")]);
  assert.deepEqual(afterwards, before);
  model.dispose();
});

test("D10: prepareCheckpointDir refuses a folder with a checkpoint unless resume or overwrite", async (t) => {
  const dir = freshDir();
  await saveAdamCheckpoint(dir);
  assert.match(
    faultOf(() => prepareCheckpointDir(dir), "checkpoint-exists", dir),
    /already holds a checkpoint \(modern, epoch 1\); continue it with --resume/,
  );
  prepareCheckpointDir(dir, { resume: true });
  prepareCheckpointDir(dir, { overwrite: true });
  faultOf(
    () => prepareCheckpointDir(dir, { resume: true, overwrite: true }),
    "checkpoint-exists",
    dir,
  );
  assert.equal(loadCheckpoint(dir).epoch, 1, "checking changed nothing");
  // A file where the folder should be, or a folder under a file: "not-a-folder", at once.
  const file = join(root, `file${counter++}`);
  writeFileSync(file, "x");
  faultOf(() => prepareCheckpointDir(file), "not-a-folder", file);
  faultOf(() => prepareCheckpointDir(join(file, "run")), "not-a-folder", join(file, "run"));
  // A folder lenet5 may not write in: "permission-denied" before any epoch.
  if (!unprivilegedRunnable())
    return t.diagnostic(`unwritable folder not tested: ${UNPRIVILEGED_SKIP}`);
  const closed = freshDir();
  mkdirSync(closed, { mode: 0o555 });
  chmodSync(closed, 0o555);
  const files = JSON.stringify(sourcePath("checkpoint", "files.ts"));
  const out = runIsolated<{ fault: string; message: string }>(
    `
    const { prepareCheckpointDir } = require(${files});
    try { prepareCheckpointDir(${JSON.stringify(closed)}); console.log("{}"); }
    catch (e) { console.log(JSON.stringify({ fault: e.fault, message: e.message })); }
  `,
    { unprivileged: true },
  );
  assert.equal(out.fault, "permission-denied");
  assert.equal(out.message, `${closed}: is not writable (permission denied)`);
});
