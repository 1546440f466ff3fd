// Fuzz test of checkpoint loading (issue 16): a valid checkpoint (modern, Adam state, RNG,
// history) whose manifest is mutated by a seeded Rng — fields deleted or set to odd values
// (−5, "x", null, huge, fractional, lists, objects), tensor entries swapped, shapes and sizes
// inflated, file names swapped, the JSON text cut or bit-flipped — and whose data files are
// truncated, flipped, or rewritten with NaN/Inf and re-hashed so only the value check can catch
// them. For every input, loading and then restoring it into a model and an optimiser either
// works or throws a CheckpointError naming a file of the checkpoint — never another error,
// never a hang, within a time and memory bound.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend";
import { createModel } from "../models/registry";
import { Rng } from "../rng";
import { restoreOptimizerState } from "../train/guards";
import { AdamOptimizer } from "../train/optimizers";
import {
  type CheckpointManifest,
  CheckpointError,
  type DataFileEntry,
  MANIFEST_FILE,
  loadCheckpoint,
  saveCheckpoint,
  setModelWeights,
} from "./index";

/** The two data files of a checkpoint, by their manifest field. */
type DataField = "weights" | "optimizer";
const DATA_FIELDS: readonly DataField[] = ["weights", "optimizer"];
/** A data-file entry of the valid manifest (both exist there). */
const entryOf = (manifest: CheckpointManifest, which: DataField) =>
  manifest[which] as DataFileEntry;

/** The seed (LENET5_FUZZ_SEED=n explores another); a failure names the case. */
const SEED = Number(process.env.LENET5_FUZZ_SEED ?? 16);
/** Mutated checkpoints tried. */
const CASES = 400;
/** No single input may take longer. */
const MAX_SECONDS_PER_INPUT = 2;
/** Peak resident memory of this test process (tfjs included; it starts near 200 MB). */
const MAX_RSS_MB = 640;

const root = mkdtempSync(join(tmpdir(), "lenet5-fuzz-checkpoint-"));
before(() => initBackend("wasm"));
after(() => rmSync(root, { recursive: true, force: true }));

const below = (rng: Rng, n: number) => Math.floor(rng.next() * n);
const pick = <T>(rng: Rng, items: readonly T[]): T => items[below(rng, items.length)];

/** Values a hand-edited or damaged manifest might hold where a number, string or list belongs. */
const ODD_VALUES: readonly unknown[] = [
  undefined,
  null,
  -5,
  -1,
  0,
  1.5,
  2 ** 32,
  2 ** 53,
  1e308,
  "x",
  "",
  "5",
  true,
  [],
  [1, 2, 3, 4],
  {},
  { a: 1 },
  "weights-0000000000000000.bin",
  "../../etc/passwd",
  [1e9, 1e9],
];

/** Every path to a value inside `value` (objects and arrays), e.g. ["optimizer", "hyper", "beta1"]. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [prefix];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [
    prefix,
    ...keys.flatMap((k) => paths((value as Record<string, unknown>)[k], [...prefix, k])),
  ];
}

/** A deep copy of `manifest` with the value at `path` replaced (or deleted, for undefined). */
function withValue(manifest: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(manifest) as Record<string | number, unknown>;
  if (path.length === 0) return value;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === undefined && !Array.isArray(node)) delete node[last];
  else node[last] = value;
  return copy;
}

/** A data file rewritten with odd float values, re-hashed and renamed so size and hash pass. */
function poisonDataFile(
  dir: string,
  manifest: CheckpointManifest,
  which: DataField,
  rng: Rng,
): unknown {
  const entry = entryOf(manifest, which);
  const bytes = new Uint8Array(readFileSync(join(dir, entry.file)));
  const floats = new Float32Array(bytes.buffer);
  const odd = [NaN, Infinity, -Infinity, 3e38, -0, 1e-45];
  for (let i = 0; i < 3; i++) floats[below(rng, floats.length)] = pick(rng, odd);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const file = `${which}-${sha256.slice(0, 16)}.bin`;
  writeFileSync(join(dir, file), bytes);
  return { ...manifest, [which]: { ...entry, file, sha256 } };
}

/** The mutations of a checkpoint folder; each returns the manifest (object or raw text) to write. */
function mutate(
  dir: string,
  good: CheckpointManifest,
  rng: Rng,
): { name: string; manifest: unknown } {
  const kind = below(rng, 7);
  const all = paths(good);
  switch (kind) {
    case 0: {
      const path = pick(rng, all);
      return {
        name: `set ${path.join(".")}`,
        manifest: withValue(good, path, pick(rng, ODD_VALUES)),
      };
    }
    case 1: {
      const path = pick(
        rng,
        all.filter((p) => p.length > 0),
      );
      return { name: `delete ${path.join(".")}`, manifest: withValue(good, path, undefined) };
    }
    case 2: {
      const which = pick(rng, DATA_FIELDS);
      const entry = entryOf(good, which);
      const tensors = [...entry.tensors];
      const [i, j] = [below(rng, tensors.length), below(rng, tensors.length)];
      [tensors[i], tensors[j]] = [tensors[j], tensors[i]];
      return {
        name: `swap ${which} tensors ${i}, ${j}`,
        manifest: { ...good, [which]: { ...entry, tensors } },
      };
    }
    case 3: {
      const which = pick(rng, DATA_FIELDS);
      const entry = entryOf(good, which);
      const tensors = entry.tensors.map((t, i) =>
        i === 0 ? { ...t, shape: [pick(rng, [1e9, 2 ** 31, 65536]), ...t.shape] } : t,
      );
      const bytes = rng.next() < 0.5 ? entry.bytes : 4 * 2 ** 31;
      return {
        name: `inflate ${which} shape`,
        manifest: { ...good, [which]: { ...entry, tensors, bytes } },
      };
    }
    case 4: {
      const text = JSON.stringify(good, null, 2);
      const bytes = new TextEncoder().encode(text);
      const cut = rng.next() < 0.5;
      const out = cut ? bytes.subarray(0, below(rng, bytes.length)) : bytes.slice();
      if (!cut) out[below(rng, out.length)] ^= 1 << below(rng, 8);
      return { name: cut ? "cut text" : "flipped text", manifest: new TextDecoder().decode(out) };
    }
    case 5: {
      const swapped = {
        ...good,
        weights: { ...good.weights, file: entryOf(good, "optimizer").file },
      };
      return { name: "weights file named as the optimizer's", manifest: swapped };
    }
    default: {
      const which = pick(rng, DATA_FIELDS);
      return { name: `poison ${which} values`, manifest: poisonDataFile(dir, good, which, rng) };
    }
  }
}

/** Loads `dir` and restores it into a model and an optimiser; "ok" or the CheckpointError's fault. */
function loadAndRestore(dir: string, model: tf.LayersModel, variables: tf.Variable[]): string {
  const files = new Set(readdirSync(dir).map((f) => join(dir, f)));
  files.add(join(dir, MANIFEST_FILE));
  const optimizer = new AdamOptimizer();
  try {
    const checkpoint = loadCheckpoint(dir, { expectModel: "modern" });
    setModelWeights(model, checkpoint.weights, join(dir, MANIFEST_FILE));
    if (checkpoint.optimizerState) {
      restoreOptimizerState(
        optimizer,
        checkpoint.optimizerState,
        variables,
        join(dir, MANIFEST_FILE),
      );
    }
    if (checkpoint.rngState) Rng.fromState(checkpoint.rngState);
    return "ok";
  } catch (error) {
    assert.ok(error instanceof CheckpointError, `${String(error)}\n${(error as Error).stack}`);
    const named = [...files].some((f) => error.file === f || error.file === dir);
    assert.ok(
      named || error.file.startsWith(`${dir}/`),
      `names no file of the checkpoint: ${error.message}`,
    );
    assert.ok(error.message.startsWith(`${error.file}: `), error.message);
    return error.fault;
  } finally {
    optimizer.dispose();
  }
}

test(
  "fuzz: mutated checkpoints load and restore, or fail with a CheckpointError naming the file",
  { timeout: 60_000 },
  async () => {
    const dir = join(root, "checkpoint");
    const source = createModel("modern", { seed: 2 });
    const sourceVariables = source.trainableWeights.map((w) => w.read() as tf.Variable);
    const adam = new AdamOptimizer();
    const grads = sourceVariables.map((v) => tf.onesLike(v));
    adam.step(sourceVariables, grads);
    tf.dispose(grads);
    const history = [
      {
        epoch: 1,
        loss: 0.5,
        trainAccuracy: 0.9,
        testAccuracy: null,
        seconds: 1,
        imagesPerSec: 100,
        learningRate: 0.001,
      },
    ];
    await saveCheckpoint(dir, {
      modelName: "modern",
      model: source,
      optimizer: adam,
      epoch: 1,
      rngState: new Rng(3).getState(),
      history,
      recipe: { modelOptions: {}, batchSize: 32 },
    });
    adam.dispose();
    source.dispose();
    const manifestPath = join(dir, MANIFEST_FILE);
    const good = JSON.parse(readFileSync(manifestPath, "utf8")) as CheckpointManifest;
    const files = new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f))]));

    const tensorsBefore = tf.memory().numTensors;
    const model = createModel("modern", { seed: 9 });
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    assert.equal(loadAndRestore(dir, model, variables), "ok");
    const rng = new Rng(SEED);
    const outcomes = new Map<string, number>();
    for (let c = 0; c < CASES; c++) {
      for (const f of readdirSync(dir))
        if (!files.has(f)) rmSync(join(dir, f), { recursive: true });
      for (const [f, bytes] of files) writeFileSync(join(dir, f), bytes);
      const { name, manifest } = mutate(dir, good, rng);
      writeFileSync(
        manifestPath,
        typeof manifest === "string" ? manifest : (JSON.stringify(manifest) ?? ""),
      );
      const start = performance.now();
      let outcome: string;
      try {
        outcome = loadAndRestore(dir, model, variables);
      } catch (error) {
        throw new Error(`case ${c} (${name}): ${(error as Error).message}`, { cause: error });
      }
      const seconds = (performance.now() - start) / 1000;
      assert.ok(seconds < MAX_SECONDS_PER_INPUT, `case ${c} (${name}) took ${seconds} s`);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      if (c % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    model.dispose();
    const text = JSON.stringify(Object.fromEntries(outcomes));
    console.log(`checkpoint fuzz, seed ${SEED}: ${text}`);
    assert.ok(outcomes.has("ok") && outcomes.size >= 5, text);
    assert.equal(
      tf.memory().numTensors,
      tensorsBefore,
      "no restore, failed or not, leaks a tensor",
    );
    const rssMb = process.resourceUsage().maxRSS / 1024;
    assert.ok(rssMb < MAX_RSS_MB, `peak RSS ${rssMb.toFixed(0)} MB`);
  },
);
