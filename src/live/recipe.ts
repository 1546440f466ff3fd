/**
 * The live training view's shipped recipe: what the site's build writes beside the digits it
 * serves (scripts/train-view-assets.mjs) and the browser reads back. Every number in it comes
 * from the library at build time (trainModel's defaults: batch sizes, SDLM's μ and schedule,
 * Adam's hyper-parameters; createHistorical/createModern's initialisation), so the page trains
 * as `trainModel` would and no constant is written twice. No math, no I/O.
 */
import type { EngineNet, EngineOptimizer } from "../engine/engine";

/** The format tag of {@link LiveManifest}. */
export const LIVE_MANIFEST_FORMAT = "lenet5-live-training-1";

/** The optimisers the view offers. */
export type LiveOptimizerName = "sdlm" | "adam";

/** One shipped file: its name beside the manifest, its SHA-256 (hex) and byte length. */
export interface LiveFile {
  /** File name, relative to the manifest. */
  readonly file: string;
  /** SHA-256 of the file's bytes as served (the gzip), lower-case hex. */
  readonly sha256: string;
  /** Bytes as served. */
  readonly bytes: number;
}

/** A shipped set of digits: gzip of count×784 pixels (MNIST's 0…255) followed by count labels. */
export interface LiveDigitsFile extends LiveFile {
  /** Digits in the file. */
  readonly count: number;
  /** Where they come from ("train-images-idx3-ubyte, first 20000"). */
  readonly source: string;
}

/** How one optimiser trains one net: trainModel's defaults for it, as the engine takes them. */
export interface LiveRecipe {
  /** Examples per step. */
  readonly batchSize: number;
  /** The engine's optimiser (η is the first pass's; `schedule` gives every pass's). */
  readonly optimizer: EngineOptimizer;
  /** η of pass 1, 2, …; past the end the last entry holds. */
  readonly schedule: readonly number[];
  /** SDLM's Hessian samples re-drawn before each pass (0: not SDLM). */
  readonly hessianSamples: number;
}

/** One net's entry: its initial weights and a recipe per optimiser. */
export interface LiveNetEntry {
  /** Float32 little-endian, the engine's parameter record flattened in its order, gzipped. */
  readonly init: LiveFile & { readonly floats: number; readonly seed: number };
  /** The recipes, by optimiser. */
  readonly recipes: Readonly<Record<LiveOptimizerName, LiveRecipe>>;
}

/** The manifest the site serves at generated/train/manifest.json. */
export interface LiveManifest {
  /** {@link LIVE_MANIFEST_FORMAT}. */
  readonly format: string;
  /** The seed of the initial weights and of the run's Rng (shuffles, Hessian samples). */
  readonly seed: number;
  /** The paper's loss constant j (historical). */
  readonly j: number;
  /** The digits trained on and the digits tested on. */
  readonly digits: { readonly train: LiveDigitsFile; readonly test: LiveDigitsFile };
  /** Per net. */
  readonly nets: Readonly<Record<EngineNet, LiveNetEntry>>;
}

/**
 * Checks a parsed manifest's shape (format tag, files, counts, recipes); throws naming the
 * first thing wrong.
 * @example
 * ```ts
 * const manifest = parseLiveManifest(await (await fetch(url)).json());
 * ```
 */
export function parseLiveManifest(value: unknown): LiveManifest {
  const fail = (what: string): never => {
    throw new Error(`live training manifest: ${what}`);
  };
  const m = value as LiveManifest;
  if (typeof m !== "object" || m === null) return fail("not an object");
  if (m.format !== LIVE_MANIFEST_FORMAT) fail(`format is not ${LIVE_MANIFEST_FORMAT}`);
  const file = (f: LiveFile | undefined, name: string) => {
    if (typeof f?.file !== "string" || !/^[0-9a-f]{64}$/.test(f.sha256 ?? "")) {
      fail(`${name} needs a file name and a SHA-256`);
    }
  };
  for (const split of ["train", "test"] as const) {
    const d = m.digits?.[split];
    file(d, `digits.${split}`);
    if (!(Number.isInteger(d.count) && d.count >= 1)) fail(`digits.${split}.count`);
  }
  for (const net of ["historical", "modern"] as const) {
    const entry = m.nets?.[net];
    file(entry?.init, `nets.${net}.init`);
    for (const name of ["sdlm", "adam"] as const) {
      const r = entry.recipes?.[name];
      if (!(Number.isInteger(r?.batchSize) && r.batchSize >= 1)) fail(`${net}.${name}.batchSize`);
      if (r.optimizer?.name !== name) fail(`${net}.${name}.optimizer`);
      if (!(Array.isArray(r.schedule) && r.schedule.length >= 1)) fail(`${net}.${name}.schedule`);
    }
  }
  return m;
}

/** η of pass `epoch` (from 1) of a recipe: its schedule's entry, the last past its end. */
export function recipeRate(recipe: LiveRecipe, epoch: number): number {
  return recipe.schedule[Math.min(epoch, recipe.schedule.length) - 1];
}
