/**
 * The checkpoint format, without a file system: manifest types, manifest validation, and turning
 * a data file's bytes back into named float32 weights. Pure (no Node modules), so the Node folder
 * loader (./files) and the browser (../browser, fetching the shipped weights) share one
 * reading of the format and report the same faults.
 *
 * Data files are float32 little-endian, concatenated in manifest order, no header; each is
 * checked for exact size and SHA-256 before it is decoded, and every value for being finite
 * (NaN or ±Inf weights would load "fine" and answer nonsense). Hashing is the caller's: Node
 * hashes synchronously with node:crypto, a browser with `crypto.subtle` (asynchronous) before
 * calling in. Every manifest field is checked for presence, type and range, and a fault names
 * the field ("optimizer.iterations is -5; …"), so a hand-edited or damaged manifest cannot
 * reach the optimiser or the RNG as garbage.
 *
 * Input shape / Output shape: each weight keeps its tfjs shape (e.g. C1/kernel [5, 5, 1, 6]).
 * Departures from the paper: none (the paper says nothing about saving weights).
 */
import * as tf from "@tensorflow/tfjs";
import type { FileAccessFault } from "../data/regular-file";
import {
  createModel,
  type ModelBuildOptions,
  type ModelName,
  isModelName,
} from "../models/registry";
import { isOptimizerName, type OptimizerState } from "../train/optimizer-base";
import type { EpochResult } from "../train/train";

/** The `format` field of every lenet5 manifest. */
export const CHECKPOINT_FORMAT = "lenet5-checkpoint";
/** The manifest format version this lenet5 writes and reads. */
export const CHECKPOINT_FORMAT_VERSION = 1;
/** Name of the manifest inside a checkpoint folder. */
export const MANIFEST_FILE = "manifest.json";
/** Names a data file may have: its kind and the first 16 hex digits of its SHA-256. */
export const DATA_FILE_NAME = /^(weights|optimizer)-[0-9a-f]{16}\.bin$/;
/**
 * Largest data file a manifest may declare: 64 MiB. Not part of the format: a bound on memory
 * (lenet5's largest model with Adam's two slots takes 0.75 MB).
 */
export const CHECKPOINT_MAX_DATA_BYTES = 64 * 1024 * 1024;
/** Largest manifest.json read: 16 MiB (a 10,000-epoch run's manifest takes about 2.5 MB). */
export const CHECKPOINT_MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/** The kinds of fault {@link CheckpointError} reports. */
export type CheckpointFault =
  | "missing-manifest"
  | "bad-manifest"
  | "unknown-format"
  | "wrong-model"
  | "wrong-settings"
  | "truncated"
  | "size-mismatch"
  | "checksum-mismatch"
  | "shape-mismatch"
  | "non-finite"
  | "checkpoint-exists"
  | FileAccessFault;

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
  /** Path (or URL) of the offending file. */
  readonly file: string;
  /** Short code for the kind of fault. */
  readonly fault: CheckpointFault;

  /**
   * Creates the error; its message is `"<file>: <problem>"`.
   * @param file - path (or URL) of the offending file.
   * @param fault - the kind of fault, for programs.
   * @param problem - what is wrong, for people.
   */
  constructor(file: string, fault: CheckpointFault, problem: string) {
    super(`${file}: ${problem}`);
    this.name = "CheckpointError";
    this.file = file;
    this.fault = fault;
  }
}

/** A tensor's place in a data file. */
export interface TensorEntry {
  /** Stable name: a weight's "C1/kernel" or an optimiser slot's "velocity/3". */
  readonly name: string;
  /** Its shape; it takes 4 bytes per value of this shape in the file. */
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
  /** Which optimiser saved it ("sgd", "momentum", "adam" or "sdlm"). */
  readonly name: OptimizerState["name"];
  /** The learning rate η in force when saved. */
  readonly learningRate: number;
  /** Steps the optimiser had taken (Adam's t). */
  readonly iterations: number;
  /** The optimiser's fixed settings (momentum, β₁, β₂, ε, μ, …), checked on restore. */
  readonly hyper: Readonly<Record<string, number | string>>;
}

/** manifest.json. */
export interface CheckpointManifest {
  /** Always {@link CHECKPOINT_FORMAT}, "lenet5-checkpoint". */
  readonly format: typeof CHECKPOINT_FORMAT;
  /** Manifest format version; must equal {@link CHECKPOINT_FORMAT_VERSION} to load. */
  readonly formatVersion: number;
  /** Version of the lenet5 package that wrote it. */
  readonly lenet5Version: string;
  /** Version of tfjs-core that computed the weights. */
  readonly tfjsVersion: string;
  /** Registry name of the model the weights belong to. */
  readonly modelName: ModelName;
  /** Complete epochs the weights have been trained for. */
  readonly epoch: number;
  /** When it was written, ISO 8601 UTC (`Date.toISOString()`). */
  readonly savedAt: string;
  /** The model-weights data file: every weight, `model.weights` order. */
  readonly weights: DataFileEntry & {
    /** Element type of the file, always float32. */
    dtype: "float32";
    /** Byte order of the file, always little-endian. */
    byteOrder: "little-endian";
  };
  /** The optimiser's state and slot data file; null in a weights-only checkpoint. */
  readonly optimizer: OptimizerEntry | null;
  /** The training RNG's state after `epoch` epochs (Rng.getState()). */
  readonly rngState: readonly number[] | null;
  /** One result per completed epoch, in order (empty for untrained weights). */
  readonly history: readonly EpochResult[];
  /** How the run was set up (optimiser, batch size, seed, …), free-form. */
  readonly recipe: Readonly<Record<string, unknown>> | null;
}

/** A weight read from a checkpoint. */
export interface NamedWeight {
  /** Stable name, e.g. "C1/kernel" (or a slot's "velocity/3"). */
  readonly name: string;
  /** Its tfjs shape, e.g. [5, 5, 1, 6] for C1/kernel (KH, KW, Cin, Cout). */
  readonly shape: readonly number[];
  /** The values, row-major in `shape`. */
  readonly data: Float32Array;
}

/** A loaded checkpoint. */
export interface Checkpoint {
  /** Where it was read from: a folder in Node, a base URL in a browser. */
  readonly dir: string;
  /** The validated manifest.json it was read from. */
  readonly manifest: CheckpointManifest;
  /** Registry name of the model the weights belong to. */
  readonly modelName: ModelName;
  /** Complete epochs the weights have been trained for. */
  readonly epoch: number;
  /** Every model weight, `model.weights` order. */
  readonly weights: readonly NamedWeight[];
  /** The optimiser's state, ready for `Optimizer.setState`; null in a weights-only checkpoint. */
  readonly optimizerState: OptimizerState | null;
  /** The training RNG's state after `epoch` epochs (for `Rng.fromState`), or null. */
  readonly rngState: readonly number[] | null;
  /** One result per completed epoch, in order (empty when the manifest has none). */
  readonly history: readonly EpochResult[];
  /** How the run was set up (e.g. `modelOptions`), free-form; null when not recorded. */
  readonly recipe: Readonly<Record<string, unknown>> | null;
}

/** Options of {@link parseCheckpoint}, `loadCheckpoint` and `loadWeightsInto`. */
export interface LoadCheckpointOptions {
  /** Refuse a checkpoint of another model. */
  readonly expectModel?: ModelName;
}

/** Where {@link parseCheckpoint} gets what the manifest names, and how names become paths. */
export interface CheckpointSource {
  /** The folder (or base URL) the checkpoint lives in; used for `Checkpoint.dir`. */
  readonly dir: string;
  /** The manifest's path or URL, for error messages. */
  readonly manifestPath: string;
  /** Path or URL of a data file named in the manifest, for error messages. */
  readonly pathOf: (file: string) => string;
  /**
   * The bytes of a data file named in the manifest, or undefined when it is missing. It may
   * refuse (throw a CheckpointError) a file that is not a regular file or is larger than the
   * `expectedBytes` the manifest gives, so as not to read it.
   */
  readonly readFile: (file: string, expectedBytes: number) => Uint8Array | undefined;
  /** Lower-case hex SHA-256 of some bytes. */
  readonly sha256: (bytes: Uint8Array) => string;
}

/** Number of values in a tensor of this shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** True on a little-endian machine (every browser and Node platform lenet5 meets in practice). */
function littleEndian(): boolean {
  return new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
}

/**
 * Float32 arrays → one little-endian byte buffer, concatenated in order (the data-file encoding).
 * @example
 * ```ts
 * encodeFloat32([Float32Array.of(1)]); // Uint8Array [0, 0, 128, 63]
 * ```
 */
export function encodeFloat32(arrays: readonly Float32Array[]): Uint8Array {
  const total = arrays.reduce((n, a) => n + a.length, 0);
  const out = new Uint8Array(total * 4);
  if (littleEndian()) {
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

/**
 * Little-endian bytes → one Float32Array per entry (the inverse of {@link encodeFloat32}).
 * @example
 * ```ts
 * decodeFloat32(Uint8Array.of(0, 0, 128, 63), [{ name: "b", shape: [1] }]);
 * // [{ name: "b", shape: [1], data: Float32Array [1] }]
 * ```
 */
export function decodeFloat32(bytes: Uint8Array, entries: readonly TensorEntry[]): NamedWeight[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let index = 0;
  return entries.map(({ name, shape }) => {
    const data = new Float32Array(sizeOf(shape));
    if (littleEndian()) {
      new Uint8Array(data.buffer).set(bytes.subarray(4 * index, 4 * (index + data.length)));
      index += data.length;
    } else {
      for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(4 * index++, true);
    }
    return { name, shape: [...shape], data };
  });
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

/** A value as a manifest fault shows it: "missing", or its JSON (cut short). */
function shown(value: unknown): string {
  if (value === undefined) return "missing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The error for manifest field `field` holding `value` where it must be `must`. */
function fieldFault(manifestPath: string, field: string, value: unknown, must: string): never {
  const is = value === undefined ? "is missing" : `is ${shown(value)}`;
  throw new CheckpointError(manifestPath, "bad-manifest", `${field} ${is}; it must be ${must}`);
}

/** True for a plain JSON object (not null, not an array). */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True for an integer 0 ≤ n ≤ 2^53 − 1. */
function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** Checks a tensor entry: a non-empty name and a shape of at most 8 whole dimensions. */
function checkTensorEntry(manifestPath: string, field: string, value: unknown): void {
  if (!isObject(value)) fieldFault(manifestPath, field, value, "a tensor entry { name, shape }");
  if (typeof value.name !== "string" || value.name === "") {
    fieldFault(manifestPath, `${field}.name`, value.name, "a non-empty string");
  }
  const shape = value.shape;
  if (!Array.isArray(shape) || shape.length > 8 || !shape.every(isCount)) {
    fieldFault(manifestPath, `${field}.shape`, shape, "a list of at most 8 whole numbers ≥ 0");
  }
}

/** Checks a data-file entry of the manifest (`what` is its field, "weights" or "optimizer"). */
function checkDataEntry(manifestPath: string, what: string, value: unknown): DataFileEntry {
  if (!isObject(value)) return fieldFault(manifestPath, what, value, "a data-file entry");
  if (typeof value.file !== "string" || !DATA_FILE_NAME.test(value.file)) {
    fieldFault(manifestPath, `${what}.file`, value.file, "a name like weights-<16 hex>.bin");
  }
  if (typeof value.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(value.sha256)) {
    fieldFault(manifestPath, `${what}.sha256`, value.sha256, "64 lower-case hex digits");
  }
  if (!Array.isArray(value.tensors)) {
    fieldFault(manifestPath, `${what}.tensors`, value.tensors, "a list of tensor entries");
  }
  const tensors = value.tensors as unknown[];
  tensors.forEach((t, i) => checkTensorEntry(manifestPath, `${what}.tensors[${i}]`, t));
  const expected = 4 * (tensors as TensorEntry[]).reduce((n, t) => n + sizeOf(t.shape), 0);
  if (expected > CHECKPOINT_MAX_DATA_BYTES) {
    fieldFault(
      manifestPath,
      `${what}.tensors`,
      `${expected} bytes`,
      `at most ${CHECKPOINT_MAX_DATA_BYTES} bytes of float32 values`,
    );
  }
  if (value.bytes !== expected) {
    fieldFault(manifestPath, `${what}.bytes`, value.bytes, `${expected}, what its tensors take`);
  }
  return value as unknown as DataFileEntry;
}

/** Checks the weights file's encoding: float32, little-endian (the only one lenet5 writes). */
function checkEncoding(manifestPath: string, weights: unknown): void {
  const { dtype, byteOrder } = weights as { dtype?: unknown; byteOrder?: unknown };
  if (dtype !== "float32") fieldFault(manifestPath, "weights.dtype", dtype, '"float32"');
  if (byteOrder !== "little-endian") {
    fieldFault(manifestPath, "weights.byteOrder", byteOrder, '"little-endian"');
  }
}

/** Checks the optimiser entry: its data file, name, η, step count and settings. */
function checkOptimizerEntry(manifestPath: string, value: unknown): void {
  checkDataEntry(manifestPath, "optimizer", value);
  const o = value as Record<string, unknown>;
  if (typeof o.name !== "string" || !isOptimizerName(o.name)) {
    fieldFault(manifestPath, "optimizer.name", o.name, "sgd, momentum, adam or sdlm");
  }
  if (
    typeof o.learningRate !== "number" ||
    !(o.learningRate >= 0) ||
    !Number.isFinite(o.learningRate)
  ) {
    fieldFault(manifestPath, "optimizer.learningRate", o.learningRate, "a finite number ≥ 0");
  }
  if (!isCount(o.iterations)) {
    fieldFault(manifestPath, "optimizer.iterations", o.iterations, "a whole number ≥ 0");
  }
  if (!isObject(o.hyper)) {
    fieldFault(manifestPath, "optimizer.hyper", o.hyper, "an object of settings");
  }
  for (const [key, setting] of Object.entries(o.hyper)) {
    if (typeof setting !== "string" && !(typeof setting === "number" && Number.isFinite(setting))) {
      fieldFault(manifestPath, `optimizer.hyper.${key}`, setting, "a finite number or a string");
    }
  }
}

/** Checks the RNG state: absent/null, or four unsigned 32-bit integers (xoshiro128**'s words). */
function checkRngState(manifestPath: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (!Array.isArray(value) || value.length !== 4) {
    fieldFault(manifestPath, "rngState", value, "null or a list of four unsigned 32-bit integers");
  }
  value.forEach((word: unknown, i: number) => {
    if (!isCount(word) || word > 0xffffffff) {
      fieldFault(manifestPath, `rngState[${i}]`, word, "an unsigned 32-bit integer");
    }
  });
}

/** The numeric fields of a history entry: a finite number, or null where JSON wrote NaN. */
const HISTORY_NUMBERS = [
  "loss",
  "trainAccuracy",
  "testAccuracy",
  "seconds",
  "imagesPerSec",
  "learningRate",
] as const;

/** Checks the history: absent, or a list of epoch results with whole epoch numbers. */
function checkHistory(manifestPath: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) fieldFault(manifestPath, "history", value, "a list of epoch results");
  value.forEach((entry: unknown, i: number) => {
    const field = `history[${i}]`;
    if (!isObject(entry)) return fieldFault(manifestPath, field, entry, "an epoch result");
    if (!isCount(entry.epoch) || entry.epoch < 1) {
      fieldFault(manifestPath, `${field}.epoch`, entry.epoch, "a whole number ≥ 1");
    }
    for (const key of HISTORY_NUMBERS) {
      const v = entry[key];
      if (v !== null && v !== undefined && !(typeof v === "number" && Number.isFinite(v))) {
        fieldFault(manifestPath, `${field}.${key}`, v, "a finite number or null");
      }
    }
  });
}

/** Checks the recipe: absent/null, or an object whose modelOptions (if any) is an object. */
function checkRecipe(manifestPath: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (!isObject(value)) fieldFault(manifestPath, "recipe", value, "null or an object");
  const options = value.modelOptions;
  if (options !== undefined && !isObject(options)) {
    fieldFault(manifestPath, "recipe.modelOptions", options, "an object of model options");
  }
}

/**
 * The first value of `weights` that is NaN or ±Inf, as a CheckpointError naming `path`, or null.
 * @example
 * ```ts
 * nonFiniteValue([{ name: "w", shape: [2], data: Float32Array.of(1, NaN) }], "w.bin")?.fault; // "non-finite"
 * ```
 */
export function nonFiniteValue(
  weights: readonly NamedWeight[],
  path: string,
): CheckpointError | null {
  for (const { name, data } of weights) {
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        return new CheckpointError(
          path,
          "non-finite",
          `${name} holds ${data[i]} at index ${i} of ${data.length}; every value must be a finite number`,
        );
      }
    }
  }
  return null;
}

/**
 * Checks a data file's bytes against its manifest entry (exact size, then SHA-256 via `sha256`),
 * decodes them and checks that every value is finite; `path` names the file in a
 * {@link CheckpointError}.
 * @example
 * ```ts
 * const weights = decodeDataFile(bytes, manifest.weights, "weights/historical/weights-….bin", sha256Hex);
 * ```
 */
export function decodeDataFile(
  bytes: Uint8Array,
  entry: DataFileEntry,
  path: string,
  sha256: (bytes: Uint8Array) => string,
): NamedWeight[] {
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
  const digest = sha256(bytes);
  if (digest !== entry.sha256) {
    throw new CheckpointError(
      path,
      "checksum-mismatch",
      `SHA-256 is ${digest}, the manifest says ${entry.sha256}: the file is corrupt`,
    );
  }
  const decoded = decodeFloat32(bytes, entry.tensors);
  const nonFinite = nonFiniteValue(decoded, path);
  if (nonFinite) throw nonFinite;
  return decoded;
}

/**
 * Validates a parsed manifest.json: format and version, model name (and `expectModel`), epoch,
 * the data-file entries, the optimiser's name, η, step count and settings, the RNG state, the
 * history and the recipe — each present where required, of the right type and range. Throws a
 * {@link CheckpointError} naming `manifestPath` and the field at fault.
 * @example
 * ```ts
 * const manifest = parseManifest(JSON.parse(text), "weights/historical/manifest.json");
 * manifest.weights.file; // "weights-bf71238d17269d68.bin"
 * ```
 */
export function parseManifest(
  raw: unknown,
  manifestPath: string,
  options: LoadCheckpointOptions = {},
): CheckpointManifest {
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
  if (!isCount(manifest.epoch)) {
    fieldFault(manifestPath, "epoch", manifest.epoch, "a whole number ≥ 0");
  }
  checkDataEntry(manifestPath, "weights", manifest.weights);
  checkEncoding(manifestPath, manifest.weights);
  for (const field of ["lenet5Version", "tfjsVersion", "savedAt"] as const) {
    if (typeof manifest[field] !== "string") {
      fieldFault(manifestPath, field, manifest[field], "a string");
    }
  }
  if (manifest.optimizer !== null && manifest.optimizer !== undefined) {
    checkOptimizerEntry(manifestPath, manifest.optimizer);
  }
  checkRngState(manifestPath, manifest.rngState);
  checkHistory(manifestPath, manifest.history);
  checkRecipe(manifestPath, manifest.recipe);
  return manifest as CheckpointManifest;
}

/** Reads one data file through `source`, checking presence, size and SHA-256. */
function readDataFile(source: CheckpointSource, entry: DataFileEntry): NamedWeight[] {
  const path = source.pathOf(entry.file);
  const bytes = source.readFile(entry.file, entry.bytes);
  if (bytes === undefined) {
    throw new CheckpointError(path, "missing-file", "missing (the manifest refers to it)");
  }
  return decodeDataFile(bytes, entry, path, source.sha256);
}

/**
 * A whole checkpoint from its parsed manifest and a way to read the files it names: validates
 * the manifest ({@link parseManifest}), then reads and checks each data file. The one reading of
 * the format behind `loadCheckpoint` (files) and the browser's `checkpointFromBytes` (fetch).
 * @example
 * ```ts
 * const checkpoint = parseCheckpoint(JSON.parse(manifestText), {
 *   dir: "weights/historical",
 *   manifestPath: "weights/historical/manifest.json",
 *   pathOf: (file) => `weights/historical/${file}`,
 *   readFile: (file) => files.get(file),
 *   sha256: sha256Hex,
 * });
 * ```
 */
export function parseCheckpoint(
  raw: unknown,
  source: CheckpointSource,
  options: LoadCheckpointOptions = {},
): Checkpoint {
  const manifest = parseManifest(raw, source.manifestPath, options);
  const weights = readDataFile(source, manifest.weights);
  let optimizerState: OptimizerState | null = null;
  if (manifest.optimizer !== null && manifest.optimizer !== undefined) {
    const o = manifest.optimizer;
    optimizerState = {
      name: o.name,
      learningRate: o.learningRate,
      iterations: o.iterations,
      hyper: { ...o.hyper },
      slots: readDataFile(source, o),
    };
  }
  return {
    dir: source.dir,
    manifest,
    modelName: manifest.modelName,
    epoch: manifest.epoch,
    weights,
    optimizerState,
    rngState: manifest.rngState ?? null,
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
 * Builds the checkpoint's model with the options its recipe records (e.g. batch norm for
 * `modern`) and sets its weights; `source` names the manifest in errors. Disposes the model and
 * rethrows when the weights do not fit it.
 * @example
 * ```ts
 * const model = modelFromCheckpoint(loadCheckpoint("weights/modern"), "weights/modern/manifest.json");
 * ```
 */
export function modelFromCheckpoint(checkpoint: Checkpoint, source: string): tf.LayersModel {
  const options = (checkpoint.recipe?.modelOptions ?? {}) as ModelBuildOptions;
  let model: tf.LayersModel;
  try {
    model = createModel(checkpoint.modelName, options);
  } catch (error) {
    // The builder's own message ("dropout must be in [0, 1)"), with the file and field at fault.
    throw new CheckpointError(
      source,
      "bad-manifest",
      `recipe.modelOptions ${shown(options)} cannot build the model: ${(error as Error).message}`,
    );
  }
  try {
    setModelWeights(model, checkpoint.weights, source);
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}
