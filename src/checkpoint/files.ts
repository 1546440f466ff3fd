/**
 * Checkpoints: a folder holding everything a training run needs to continue — model weights,
 * optimiser state, epoch, RNG state, history — and, without the optimiser part, the format the
 * shipped weights, `evaluate --weights`, `predict --weights` and the notebooks load.
 *
 * Layout of a checkpoint folder:
 *   manifest.json                  format and version, model name, epoch, RNG state, history,
 *                                  recipe, and for each data file its name, size, SHA-256 and
 *                                  tensors (name + shape, in file order)
 *   weights-<sha256[0:16]>.bin     every model weight (trainable or not, `model.weights` order),
 *                                  float32 little-endian, concatenated, no header
 *   optimizer-<sha256[0:16]>.bin   the optimiser's slots, same encoding (absent without one)
 *
 * Atomic saving — a kill at any moment leaves the old complete checkpoint or the new one:
 *   1. each data file is written under a temporary name, fsync'ed, then renamed to a name made
 *      from its own SHA-256, so it never replaces a file the current manifest needs (same name
 *      means same bytes);
 *   2. the folder is fsync'ed so the renames are on disk;
 *   3. manifest.json is written the same way (temporary name, fsync, rename: rename is atomic on
 *      POSIX file systems) — this single rename switches from the old checkpoint to the new;
 *   4. only then are data files no manifest refers to (and stale temporaries) deleted.
 * Loading reads only what manifest.json names and checks size and SHA-256 of each file. Only
 * regular files are read (a FIFO or /dev/zero under a data file's name would hang or grow
 * forever), and none larger than the manifest says. Saving refuses weights or optimiser slots
 * that are NaN or ±Inf, so a diverged run can never overwrite good weights. The format itself
 * (types, manifest validation, bytes → weights) lives in ./format, pure, so the browser reads
 * shipped weights the same way; this module adds the file system.
 *
 * Input shape / Output shape: each weight keeps its tfjs shape (e.g. C1/kernel [5, 5, 1, 6]).
 * Departures from the paper: none (the paper says nothing about saving weights).
 */
import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import {
  closeOpenedFile,
  describeAccessError,
  entryExists,
  type FileAccessFault,
  openRegularFile,
  readFileRange,
  readRegularFile,
} from "../data/regular-file";
import { type ModelName, isModelName } from "../models/registry";
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_FORMAT_VERSION,
  CHECKPOINT_MAX_MANIFEST_BYTES,
  CheckpointError,
  DATA_FILE_NAME,
  MANIFEST_FILE,
  encodeFloat32,
  modelWeightEntries,
  nonFiniteValue,
  parseCheckpoint,
  setModelWeights,
  type Checkpoint,
  type CheckpointManifest,
  type DataFileEntry,
  type LoadCheckpointOptions,
  type OptimizerEntry,
  type TensorEntry,
} from "./format";
import type { Optimizer, OptimizerState } from "../train/optimizer-base";
import type { EpochResult } from "../train/train";

/** What {@link saveCheckpoint} writes. */
export interface CheckpointContents {
  /** Registry name of `model`, recorded in the manifest and checked on load. */
  readonly modelName: ModelName;
  /** The model whose weights (all of `model.weights`) are saved. */
  readonly model: tf.LayersModel;
  /** The optimiser (or its saved state); omit for a weights-only checkpoint. */
  readonly optimizer?: Optimizer | OptimizerState | null;
  /** Complete epochs so far (0 for untrained weights). */
  readonly epoch: number;
  /** The training RNG's state (`Rng.getState()`), to resume the same shuffles; default null. */
  readonly rngState?: readonly number[] | null;
  /** One result per completed epoch (default none). */
  readonly history?: readonly EpochResult[];
  /** How the run was set up, free-form (a resume compares it); default null. */
  readonly recipe?: Readonly<Record<string, unknown>> | null;
}

/** The lenet5 package version (from package.json, two folders up in src/ and in dist/). */
export function lenet5Version(): string {
  // package.json lies outside rootDir (src), so it cannot be imported; require reads it at run time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("../../package.json") as { version: string }).version;
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Writes `bytes` to `path` and flushes them to disk. */
function writeDurably(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, "w");
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Flushes a folder's entries (the renames) to disk; not possible on every platform. */
function fsyncFolder(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Windows cannot open a folder for fsync; its renames are journaled by NTFS.
  }
}

const TEMP_PREFIX = ".lenet5-tmp-";

/** Writes `bytes` under a temporary name, flushes, and renames it to `name`. */
function writeAtomically(dir: string, name: string, bytes: Uint8Array): void {
  const temporary = join(dir, `${TEMP_PREFIX}${randomBytes(6).toString("hex")}-${name}`);
  writeDurably(temporary, bytes);
  renameSync(temporary, join(dir, name));
}

/** Writes a data file named by its own hash; returns its manifest entry. */
function writeDataFile(
  dir: string,
  prefix: "weights" | "optimizer",
  tensors: readonly TensorEntry[],
  arrays: readonly Float32Array[],
): DataFileEntry {
  const bytes = encodeFloat32(arrays);
  const sha256 = sha256Hex(bytes);
  const file = `${prefix}-${sha256.slice(0, 16)}.bin`;
  writeAtomically(dir, file, bytes);
  return { file, bytes: bytes.length, sha256, tensors };
}

/**
 * Throws, before anything is written, when a weight or an optimiser slot holds NaN or ±Inf:
 * such a checkpoint would replace good weights with ones that answer nonsense.
 */
function refuseNonFinite(
  dir: string,
  entries: readonly TensorEntry[],
  weights: readonly Float32Array[],
  state: OptimizerState | null,
): void {
  const named = entries.map((e, i) => ({
    name: `weight ${e.name}`,
    shape: e.shape,
    data: weights[i],
  }));
  const slots = (state?.slots ?? []).map((s) => ({ ...s, name: `optimizer slot ${s.name}` }));
  const bad = nonFiniteValue([...named, ...slots], dir);
  if (bad) {
    throw new CheckpointError(
      dir,
      "non-finite",
      `${bad.message.slice(dir.length + 2)}; nothing was saved (the checkpoint there, if any, is unchanged)`,
    );
  }
}

function isOptimizer(value: Optimizer | OptimizerState): value is Optimizer {
  return typeof (value as Optimizer).getState === "function";
}

/**
 * Saves a checkpoint into `dir` (created if needed) atomically (see the file header); returns
 * the manifest written.
 * @example
 * ```ts
 * const model = createModel("historical", { seed: 1 });
 * await saveCheckpoint("runs/h1", { modelName: "historical", model, epoch: 0 });
 * ```
 */
export async function saveCheckpoint(
  dir: string,
  contents: CheckpointContents,
): Promise<CheckpointManifest> {
  const { model, modelName } = contents;
  const entries = modelWeightEntries(model);
  const values = await Promise.all(model.weights.map((w) => w.read().data()));
  const weightArrays = values.map((v) => Float32Array.from(v as Float32Array));
  const state = contents.optimizer
    ? isOptimizer(contents.optimizer)
      ? contents.optimizer.getState()
      : contents.optimizer
    : null;
  refuseNonFinite(dir, entries, weightArrays, state);
  mkdirSync(dir, { recursive: true });
  const weights = writeDataFile(dir, "weights", entries, weightArrays);

  let optimizer: OptimizerEntry | null = null;
  if (state) {
    const slots = state.slots.map(({ name, shape }) => ({ name, shape: [...shape] }));
    const file = writeDataFile(
      dir,
      "optimizer",
      slots,
      state.slots.map((s) => s.data),
    );
    optimizer = {
      ...file,
      name: state.name,
      learningRate: state.learningRate,
      iterations: state.iterations,
      hyper: { ...state.hyper },
    };
  }
  fsyncFolder(dir);

  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    lenet5Version: lenet5Version(),
    tfjsVersion: tf.version_core,
    modelName,
    epoch: contents.epoch,
    savedAt: new Date().toISOString(),
    weights: { ...weights, dtype: "float32", byteOrder: "little-endian" },
    optimizer,
    rngState: contents.rngState ? [...contents.rngState] : null,
    history: contents.history ? [...contents.history] : [],
    recipe: contents.recipe ?? null,
  };
  writeAtomically(dir, MANIFEST_FILE, new TextEncoder().encode(JSON.stringify(manifest, null, 2)));
  fsyncFolder(dir);

  const keep = new Set([weights.file, ...(optimizer ? [optimizer.file] : [])]);
  for (const name of readdirSync(dir)) {
    if ((DATA_FILE_NAME.test(name) && !keep.has(name)) || name.startsWith(TEMP_PREFIX)) {
      unlinkSync(join(dir, name));
    }
  }
  return manifest;
}

/**
 * True when `dir` holds a manifest.json (it may still fail to load) — or anything else under
 * that name, even a broken link: a checkpoint folder is never taken for an empty one.
 * @example
 * ```ts
 * hasCheckpoint("runs/h1"); // false before the first save
 * ```
 */
export function hasCheckpoint(dir: string): boolean {
  return entryExists(join(dir, MANIFEST_FILE));
}

/** The error-maker for reading `path`: a CheckpointError, "missing-manifest" for the manifest. */
function checkpointFailure(path: string, isManifest: boolean) {
  return (fault: FileAccessFault, problem: string) =>
    isManifest && fault === "missing-file"
      ? new CheckpointError(path, "missing-manifest", "not found: no checkpoint here")
      : new CheckpointError(path, fault, problem);
}

/**
 * A data file's bytes, refusing (before reading) a file that is not regular or is larger than
 * the manifest says; undefined when it does not exist.
 */
function readDataBytes(path: string, expectedBytes: number): Uint8Array | undefined {
  if (!entryExists(path)) return undefined;
  const fail = checkpointFailure(path, false);
  const file = openRegularFile(path, fail);
  try {
    if (file.size > expectedBytes) {
      throw new CheckpointError(
        path,
        "size-mismatch",
        `${file.size} bytes, the manifest says ${expectedBytes}`,
      );
    }
    return readFileRange(file, 0, file.size, fail);
  } finally {
    closeOpenedFile(file);
  }
}

/**
 * Reads and checks the checkpoint in `dir`: manifest format, version and every field, model
 * name, each data file's presence, size, SHA-256 and finite values. Throws a
 * {@link CheckpointError} naming the file (and field) and fault.
 * @example
 * ```ts
 * const checkpoint = loadCheckpoint("runs/h1", { expectModel: "historical" });
 * checkpoint.epoch; // complete epochs
 * ```
 */
export function loadCheckpoint(dir: string, options: LoadCheckpointOptions = {}): Checkpoint {
  const manifestPath = join(dir, MANIFEST_FILE);
  const text = readRegularFile(
    manifestPath,
    CHECKPOINT_MAX_MANIFEST_BYTES,
    "a checkpoint manifest",
    checkpointFailure(manifestPath, true),
  );
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(text));
  } catch (error) {
    throw new CheckpointError(
      manifestPath,
      "bad-manifest",
      `not valid JSON (${(error as Error).message})`,
    );
  }
  const source = {
    dir,
    manifestPath,
    pathOf: (file: string) => join(dir, file),
    readFile: (file: string, expectedBytes: number) =>
      readDataBytes(join(dir, file), expectedBytes),
    sha256: sha256Hex,
  };
  return parseCheckpoint(raw, source, options);
}

/** Options of {@link prepareCheckpointDir}. */
export interface PrepareCheckpointDirOptions {
  /** The run continues the checkpoint there, if any. */
  readonly resume?: boolean;
  /** The run may replace the checkpoint there. */
  readonly overwrite?: boolean;
}

/**
 * Makes sure a training run can save into `dir` before it trains an epoch: creates it, checks
 * it is a folder lenet5 can write in (by writing and removing a probe file), and refuses one
 * that already holds a checkpoint unless the run continues it (`resume`) or replaces it
 * (`overwrite`). Every refusal is a {@link CheckpointError} naming the folder.
 * @example
 * ```ts
 * prepareCheckpointDir("runs/h1", { resume: true });
 * ```
 */
export function prepareCheckpointDir(dir: string, options: PrepareCheckpointDirOptions = {}): void {
  if (options.resume && options.overwrite) {
    throw new CheckpointError(dir, "checkpoint-exists", "resume and overwrite exclude each other");
  }
  createFolder(dir);
  if (hasCheckpoint(dir) && !options.resume && !options.overwrite) {
    throw new CheckpointError(
      dir,
      "checkpoint-exists",
      `already holds a checkpoint${describeCheckpoint(dir)}; continue it with --resume or ` +
        "replace it with --overwrite (trainModel: resume or overwrite)",
    );
  }
  probeWritable(dir);
}

/** mkdir -p, with "is a file" and "permission denied" said in words naming the folder. */
function createFolder(dir: string): void {
  let existing: Stats | undefined;
  try {
    existing = statSync(dir, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOTDIR") {
      throw new CheckpointError(
        dir,
        "not-a-folder",
        "cannot be created: a part of its path is a file",
      );
    }
    const { fault, problem } = describeAccessError(error);
    throw new CheckpointError(dir, fault, problem);
  }
  if (existing && !existing.isDirectory()) {
    throw new CheckpointError(dir, "not-a-folder", "is a file, not a folder for checkpoints");
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "ENOTDIR") {
      throw new CheckpointError(
        dir,
        "not-a-folder",
        "cannot be created: a part of its path is a file",
      );
    }
    const { fault, problem } = describeAccessError(error);
    throw new CheckpointError(
      dir,
      fault,
      `cannot be created: ${problem.replace(/^cannot be read: /, "")}`,
    );
  }
}

/** Writes and removes a probe file, so an unwritable folder fails now, not after an epoch. */
function probeWritable(dir: string): void {
  const probe = join(dir, `${TEMP_PREFIX}${randomBytes(6).toString("hex")}-probe`);
  try {
    writeDurably(probe, new Uint8Array(0));
    unlinkSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "EACCES" || code === "EPERM" ? "permission denied" : (error as Error).message;
    throw new CheckpointError(dir, "permission-denied", `is not writable (${why})`);
  }
}

/** " (modern, epoch 6)" for the checkpoint in `dir`, or "" when its manifest cannot be read. */
function describeCheckpoint(dir: string): string {
  try {
    const { modelName, epoch } = loadCheckpoint(dir).manifest;
    return ` (${modelName}, epoch ${epoch})`;
  } catch {
    return "";
  }
}

/**
 * Loads the checkpoint in `dir` into `model` (any checkpoint: a training run's or shipped
 * weights), refusing another model's; returns the checkpoint. The model name expected is
 * `options.expectModel`, else the model's own name when it is one of lenet5's.
 * @example
 * ```ts
 * const model = createModel("historical");
 * loadWeightsInto(model, "weights/historical");
 * ```
 */
export function loadWeightsInto(
  model: tf.LayersModel,
  dir: string,
  options: LoadCheckpointOptions = {},
): Checkpoint {
  const expectModel = options.expectModel ?? (isModelName(model.name) ? model.name : undefined);
  const checkpoint = loadCheckpoint(dir, expectModel === undefined ? {} : { expectModel });
  setModelWeights(model, checkpoint.weights, join(dir, MANIFEST_FILE));
  return checkpoint;
}
