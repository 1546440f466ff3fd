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
 * Loading reads only what manifest.json names and checks size and SHA-256 of each file.
 *
 * Input shape / Output shape: each weight keeps its tfjs shape (e.g. C1/kernel [5, 5, 1, 6]).
 * Departures from the paper: none (the paper says nothing about saving weights).
 */
import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { endianness } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { type ModelName, isModelName } from "../models/registry";
import type { Optimizer, OptimizerState } from "./optimizer-base";
import { isOptimizerName } from "./optimizers";
import type { EpochResult } from "./train";

/** The `format` field of every lenet5 manifest. */
export const CHECKPOINT_FORMAT = "lenet5-checkpoint";
/** The manifest format version this lenet5 writes and reads. */
export const CHECKPOINT_FORMAT_VERSION = 1;
/** Name of the manifest inside a checkpoint folder. */
export const MANIFEST_FILE = "manifest.json";

/** The kinds of fault {@link CheckpointError} reports. */
export type CheckpointFault =
  | "missing-manifest"
  | "bad-manifest"
  | "unknown-format"
  | "wrong-model"
  | "missing-file"
  | "truncated"
  | "size-mismatch"
  | "checksum-mismatch"
  | "shape-mismatch";

/**
 * Why a checkpoint could not be loaded: the file at fault, a short fault code for programs, and a
 * message starting with the file's path.
 * @example
 * ```ts
 * try {
 *   loadCheckpoint("runs/none");
 * } catch (error) {
 *   if (error instanceof CheckpointError) console.log(error.fault); // "missing-manifest"
 * }
 * ```
 */
export class CheckpointError extends Error {
  /** Path of the offending file. */
  readonly file: string;
  /** Short code for the kind of fault. */
  readonly fault: CheckpointFault;

  constructor(file: string, fault: CheckpointFault, problem: string) {
    super(`${file}: ${problem}`);
    this.name = "CheckpointError";
    this.file = file;
    this.fault = fault;
  }
}

/** A tensor's place in a data file. */
export interface TensorEntry {
  readonly name: string;
  readonly shape: readonly number[];
}

/** One data file as the manifest describes it. */
export interface DataFileEntry {
  /** File name inside the checkpoint folder. */
  readonly file: string;
  /** Exact size in bytes (4 per float32). */
  readonly bytes: number;
  /** Hex SHA-256 of the file. */
  readonly sha256: string;
  /** The tensors it holds, in order. */
  readonly tensors: readonly TensorEntry[];
}

/** The optimiser's part of the manifest (its slots are the data file's tensors). */
export interface OptimizerEntry extends DataFileEntry {
  readonly name: OptimizerState["name"];
  readonly learningRate: number;
  readonly iterations: number;
  readonly hyper: Readonly<Record<string, number | string>>;
}

/** manifest.json. */
export interface CheckpointManifest {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly formatVersion: number;
  /** Version of the lenet5 package that wrote it. */
  readonly lenet5Version: string;
  /** Version of tfjs-core that computed the weights. */
  readonly tfjsVersion: string;
  readonly modelName: ModelName;
  /** Complete epochs the weights have been trained for. */
  readonly epoch: number;
  readonly savedAt: string;
  readonly weights: DataFileEntry & { dtype: "float32"; byteOrder: "little-endian" };
  readonly optimizer: OptimizerEntry | null;
  /** The training RNG's state after `epoch` epochs (Rng.getState()). */
  readonly rngState: readonly number[] | null;
  readonly history: readonly EpochResult[];
  /** How the run was set up (optimiser, batch size, seed, …), free-form. */
  readonly recipe: Readonly<Record<string, unknown>> | null;
}

/** What {@link saveCheckpoint} writes. */
export interface CheckpointContents {
  readonly modelName: ModelName;
  readonly model: tf.LayersModel;
  /** The optimiser (or its saved state); omit for a weights-only checkpoint. */
  readonly optimizer?: Optimizer | OptimizerState | null;
  /** Complete epochs so far (0 for untrained weights). */
  readonly epoch: number;
  readonly rngState?: readonly number[] | null;
  readonly history?: readonly EpochResult[];
  readonly recipe?: Readonly<Record<string, unknown>> | null;
}

/** A weight read from a checkpoint. */
export interface NamedWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** A loaded checkpoint. */
export interface Checkpoint {
  readonly dir: string;
  readonly manifest: CheckpointManifest;
  readonly modelName: ModelName;
  readonly epoch: number;
  /** Every model weight, `model.weights` order. */
  readonly weights: readonly NamedWeight[];
  readonly optimizerState: OptimizerState | null;
  readonly rngState: readonly number[] | null;
  readonly history: readonly EpochResult[];
  readonly recipe: Readonly<Record<string, unknown>> | null;
}

/** The lenet5 package version (from package.json, two folders up in src/ and in dist/). */
export function lenet5Version(): string {
  // package.json lies outside rootDir (src), so it cannot be imported; require reads it at run time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("../../package.json") as { version: string }).version;
}

/**
 * The stable name of each model weight — the layer's name and the weight's ("C1/kernel"), not
 * tfjs's per-process unique variable name ("C1/kernel_1") — with its shape, `model.weights` order.
 * @example
 * ```ts
 * modelWeightEntries(createModel("historical"))[0]; // { name: "C1/kernel", shape: [5, 5, 1, 6] }
 * ```
 */
export function modelWeightEntries(model: tf.LayersModel): TensorEntry[] {
  return model.weights.map((w) => ({ name: w.originalName, shape: [...w.shape] as number[] }));
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Float32 arrays → one little-endian byte buffer. */
function encodeFloat32(arrays: readonly Float32Array[]): Uint8Array {
  const total = arrays.reduce((n, a) => n + a.length, 0);
  const out = new Uint8Array(total * 4);
  if (endianness() === "LE") {
    let offset = 0;
    for (const a of arrays) {
      out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offset);
      offset += a.byteLength;
    }
    return out;
  }
  const view = new DataView(out.buffer);
  let index = 0;
  for (const a of arrays) for (const v of a) view.setFloat32(4 * index++, v, true);
  return out;
}

/** Little-endian bytes → one Float32Array per entry. */
function decodeFloat32(bytes: Uint8Array, entries: readonly TensorEntry[]): NamedWeight[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let index = 0;
  return entries.map(({ name, shape }) => {
    const data = new Float32Array(sizeOf(shape));
    if (endianness() === "LE") {
      new Uint8Array(data.buffer).set(bytes.subarray(4 * index, 4 * (index + data.length)));
      index += data.length;
    } else {
      for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(4 * index++, true);
    }
    return { name, shape: [...shape], data };
  });
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
const DATA_FILE = /^(weights|optimizer)-[0-9a-f]{16}\.bin$/;

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
  mkdirSync(dir, { recursive: true });
  const entries = modelWeightEntries(model);
  const values = await Promise.all(model.weights.map((w) => w.read().data()));
  const weightArrays = values.map((v) => Float32Array.from(v as Float32Array));
  const weights = writeDataFile(dir, "weights", entries, weightArrays);

  let optimizer: OptimizerEntry | null = null;
  if (contents.optimizer) {
    const state = isOptimizer(contents.optimizer)
      ? contents.optimizer.getState()
      : contents.optimizer;
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
    if ((DATA_FILE.test(name) && !keep.has(name)) || name.startsWith(TEMP_PREFIX)) {
      unlinkSync(join(dir, name));
    }
  }
  return manifest;
}

/**
 * True when `dir` holds a manifest.json (it may still fail to load).
 * @example
 * ```ts
 * hasCheckpoint("runs/h1"); // false before the first save
 * ```
 */
export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, MANIFEST_FILE));
}

function isShape(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((d) => Number.isInteger(d) && d >= 0);
}

/** Checks a data-file entry of the manifest; returns it typed. */
function checkDataEntry(manifestPath: string, what: string, value: unknown): DataFileEntry {
  const entry = value as Partial<DataFileEntry> | null;
  const bad = (problem: string): never => {
    throw new CheckpointError(manifestPath, "bad-manifest", `${what}: ${problem}`);
  };
  if (entry === null || typeof entry !== "object") return bad("missing");
  if (typeof entry.file !== "string" || !DATA_FILE.test(entry.file)) {
    return bad(`bad file name ${JSON.stringify(entry.file)}`);
  }
  if (typeof entry.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(entry.sha256)) {
    return bad("bad sha256");
  }
  if (!Array.isArray(entry.tensors)) return bad("no tensor list");
  for (const t of entry.tensors) {
    if (typeof t?.name !== "string" || !isShape(t.shape)) {
      return bad(`bad tensor entry ${JSON.stringify(t)}`);
    }
  }
  const expected = 4 * entry.tensors.reduce((n, t) => n + sizeOf(t.shape), 0);
  if (entry.bytes !== expected) {
    return bad(`says ${entry.bytes} bytes, but its tensors take ${expected}`);
  }
  return entry as DataFileEntry;
}

/** Reads a data file and checks its size and SHA-256 against the manifest. */
function readDataFile(dir: string, entry: DataFileEntry): NamedWeight[] {
  const path = join(dir, entry.file);
  if (!existsSync(path)) {
    throw new CheckpointError(path, "missing-file", "missing (the manifest refers to it)");
  }
  const bytes = new Uint8Array(readFileSync(path));
  if (bytes.length < entry.bytes) {
    throw new CheckpointError(
      path,
      "truncated",
      `truncated: ${bytes.length} bytes, the manifest says ${entry.bytes}`,
    );
  }
  if (bytes.length > entry.bytes) {
    throw new CheckpointError(
      path,
      "size-mismatch",
      `${bytes.length} bytes, the manifest says ${entry.bytes}`,
    );
  }
  const sha256 = sha256Hex(bytes);
  if (sha256 !== entry.sha256) {
    throw new CheckpointError(
      path,
      "checksum-mismatch",
      `SHA-256 is ${sha256}, the manifest says ${entry.sha256}: the file is corrupt`,
    );
  }
  return decodeFloat32(bytes, entry.tensors);
}

/** Options of {@link loadCheckpoint} and {@link loadWeightsInto}. */
export interface LoadCheckpointOptions {
  /** Refuse a checkpoint of another model. */
  readonly expectModel?: ModelName;
}

/**
 * Reads and checks the checkpoint in `dir`: manifest format and version, model name, each data
 * file's presence, size and SHA-256. Throws a {@link CheckpointError} naming the file and fault.
 * @example
 * ```ts
 * const checkpoint = loadCheckpoint("runs/h1", { expectModel: "historical" });
 * checkpoint.epoch; // complete epochs
 * ```
 */
export function loadCheckpoint(dir: string, options: LoadCheckpointOptions = {}): Checkpoint {
  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) {
    throw new CheckpointError(manifestPath, "missing-manifest", "not found: no checkpoint here");
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestPath, "utf8"));
  } catch (error) {
    throw new CheckpointError(
      manifestPath,
      "bad-manifest",
      `not valid JSON (${(error as Error).message})`,
    );
  }
  const manifest = raw as Partial<CheckpointManifest> | null;
  if (manifest === null || typeof manifest !== "object" || manifest.format !== CHECKPOINT_FORMAT) {
    throw new CheckpointError(
      manifestPath,
      "unknown-format",
      `not a lenet5 checkpoint manifest (format ${JSON.stringify(manifest?.format)})`,
    );
  }
  if (manifest.formatVersion !== CHECKPOINT_FORMAT_VERSION) {
    throw new CheckpointError(
      manifestPath,
      "unknown-format",
      `format version ${JSON.stringify(manifest.formatVersion)} is unknown to this lenet5, ` +
        `which reads version ${CHECKPOINT_FORMAT_VERSION}`,
    );
  }
  const modelName = manifest.modelName;
  if (typeof modelName !== "string" || !isModelName(modelName)) {
    throw new CheckpointError(manifestPath, "bad-manifest", `unknown model "${modelName}"`);
  }
  if (options.expectModel !== undefined && modelName !== options.expectModel) {
    throw new CheckpointError(
      manifestPath,
      "wrong-model",
      `holds weights of the "${modelName}" model, not "${options.expectModel}"`,
    );
  }
  if (!Number.isInteger(manifest.epoch) || (manifest.epoch as number) < 0) {
    throw new CheckpointError(manifestPath, "bad-manifest", `bad epoch ${manifest.epoch}`);
  }
  const weightsEntry = checkDataEntry(manifestPath, "weights", manifest.weights);
  const weights = readDataFile(dir, weightsEntry);

  let optimizerState: OptimizerState | null = null;
  if (manifest.optimizer) {
    const entry = checkDataEntry(manifestPath, "optimizer", manifest.optimizer);
    const o = manifest.optimizer;
    if (!isOptimizerName(o.name) || typeof o.learningRate !== "number") {
      throw new CheckpointError(manifestPath, "bad-manifest", `optimizer: bad name or rate`);
    }
    optimizerState = {
      name: o.name,
      learningRate: o.learningRate,
      iterations: o.iterations,
      hyper: { ...o.hyper },
      slots: readDataFile(dir, entry),
    };
  }
  const rngState = manifest.rngState ?? null;
  if (rngState !== null && (!Array.isArray(rngState) || rngState.length !== 4)) {
    throw new CheckpointError(manifestPath, "bad-manifest", "rngState must be four numbers");
  }
  return {
    dir,
    manifest: manifest as CheckpointManifest,
    modelName,
    epoch: manifest.epoch as number,
    weights,
    optimizerState,
    rngState,
    history: Array.isArray(manifest.history) ? manifest.history : [],
    recipe: manifest.recipe ?? null,
  };
}

/**
 * Sets `model`'s weights from checkpoint weights after checking that names, count and shapes
 * match the model exactly; `source` names the file in the error.
 * @example
 * ```ts
 * setModelWeights(model, loadCheckpoint("runs/h1").weights, "runs/h1/manifest.json");
 * ```
 */
export function setModelWeights(
  model: tf.LayersModel,
  weights: readonly NamedWeight[],
  source: string,
): void {
  const expected = modelWeightEntries(model);
  const names = (list: readonly TensorEntry[]) => list.map((w) => w.name).join(", ");
  if (expected.length !== weights.length) {
    throw new CheckpointError(
      source,
      "shape-mismatch",
      `holds ${weights.length} weights (${names(weights)}), the model has ${expected.length} ` +
        `(${names(expected)})`,
    );
  }
  expected.forEach((want, i) => {
    const got = weights[i];
    if (got.name !== want.name || got.shape.join(",") !== want.shape.join(",")) {
      throw new CheckpointError(
        source,
        "shape-mismatch",
        `weight ${i} is ${got.name} [${got.shape.join(", ")}], the model expects ` +
          `${want.name} [${want.shape.join(", ")}]`,
      );
    }
  });
  const tensors = weights.map((w) => tf.tensor(w.data, [...w.shape], "float32")); // each weight's shape
  model.setWeights(tensors);
  tf.dispose(tensors);
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
