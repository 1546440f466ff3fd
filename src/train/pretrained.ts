/**
 * The weights shipped with lenet5: one weights-only checkpoint per model in `weights/<model>/`
 * at the package root, plus the runs kept beside them for comparison (`historical-distorted`,
 * `historical-batch16`, `modern-plain`, …; see {@link SHIPPED_WEIGHTS}), produced by
 * `scripts/train-shipped.mjs` and `scripts/sdlm-study.mjs` (each folder's manifest and
 * `results.json` hold the recipe and the results; docs/training.md lists them all). Notebooks,
 * the CLI's `evaluate`/`predict` without `--weights`, and the site load them from here, so nobody
 * has to train before looking inside a trained LeNet-5. The site copies the same folders and
 * loads them with the browser entry (../browser), through the same checkpoint format
 * (../checkpoint/format).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type * as tf from "@tensorflow/tfjs";
import type { ModelName } from "../models/registry";
import { loadCheckpoint, MANIFEST_FILE, modelFromCheckpoint, type Checkpoint } from "../checkpoint";

/** The folder holding the shipped weights (two levels up from this file, in src/ and in dist/). */
export const SHIPPED_WEIGHTS_DIR = join(__dirname, "..", "..", "weights");

/**
 * Every set of shipped weights, by folder name, and the model it is for. Each model's own name
 * is its default weights; the others are runs kept beside them to compare with. `historical` is
 * trained the paper's way (online SDLM at μ = 0.02, 20 passes over the plain digits, the
 * setting of the paper's 0.95%) and `historical-distorted` the same on distorted digits (the
 * paper's 0.8%); the `historical-batch16` pair are the earlier mini-batch runs (batches of 16,
 * μ = 1.6); `modern` has batch norm and distortions, `modern-plain` neither.
 */
export const SHIPPED_WEIGHTS = {
  /**
   * The paper's way: online SDLM (batch 1, μ = 0.02, eq. 9, h_kk on 500 digits), 20 passes over
   * the plain digits, from ±2.4/√F_i with the paper's η × 0.2 and h_kk re-estimated every 1,000
   * updates in pass 1 (the study's reading `sqrt-init-reestimate-1000-schedule-0.2`).
   */
  historical: "historical",
  /**
   * Online SDLM at μ = 0.02 on randomly distorted training digits (§III-B), in EBLearn's reading
   * (±2.4/√F_i, ½·y_D, h_kk on 100 digits per pass, the paper's η × 0.2), which had the lower
   * median on distorted digits.
   */
  "historical-distorted": "historical",
  /** SDLM in batches of 16 with μ = 1.6, the paper's η, 20 passes over the plain digits: 1.18%. */
  "historical-batch16": "historical",
  /** The same on distorted digits: 0.92%. */
  "historical-batch16-distorted": "historical",
  /** The seed tutorial's variant, Adam, 6 epochs: 1.14%. */
  "seed-historical": "seed-historical",
  /** The modern net with batch norm, Adam, 15 epochs over distorted digits: 0.61%. */
  modern: "modern",
  /** The modern net without batch norm or distortions, Adam, 15 epochs: 0.99%. */
  "modern-plain": "modern",
} as const satisfies Readonly<Record<string, ModelName>>;

/** The name of a set of shipped weights: a model name, or a kept run such as `historical-distorted`. */
export type ShippedWeightsName = keyof typeof SHIPPED_WEIGHTS;

/**
 * The folder of a set of shipped weights.
 * @example
 * ```ts
 * shippedWeightsDir("historical"); // …/weights/historical
 * shippedWeightsDir("historical-distorted"); // …/weights/historical-distorted
 * ```
 */
export function shippedWeightsDir(name: ShippedWeightsName): string {
  return join(SHIPPED_WEIGHTS_DIR, name);
}

/**
 * Builds `name` with the options recorded in the checkpoint in `dir` (e.g. batch norm for
 * `modern`) and loads its weights: any training run's folder or a shipped one. Reads the
 * checkpoint once; throws, naming the file, for another model's checkpoint or a damaged one.
 * @example
 * ```ts
 * const { model } = loadModelFromCheckpoint("modern", shippedWeightsDir("modern"));
 * ```
 */
export function loadModelFromCheckpoint(
  name: ModelName,
  dir: string,
): {
  /** The built model, its weights set from the checkpoint. */
  model: tf.LayersModel;
  /** The checkpoint read from `dir` (manifest, epoch, history, recipe). */
  checkpoint: Checkpoint;
} {
  const checkpoint = loadCheckpoint(dir, { expectModel: name });
  return { model: modelFromCheckpoint(checkpoint, join(dir, MANIFEST_FILE)), checkpoint };
}

/**
 * Builds the model a set of shipped weights is for, with the options it was trained with, and
 * loads them: `loadPretrained("historical")` for a model's default weights, or a kept run such
 * as `loadPretrained("historical-distorted")`. Throws, naming the folder, when they are missing or
 * do not match the model.
 * @example
 * ```ts
 * const { model, checkpoint } = loadPretrained("historical");
 * checkpoint.epoch; // passes the shipped weights were trained for
 * const distorted = loadPretrained("historical-distorted"); // the same net, trained on distorted digits
 * ```
 */
export function loadPretrained(name: ShippedWeightsName): {
  /** The built model, its weights set from the shipped checkpoint. */
  model: tf.LayersModel;
  /** The shipped checkpoint (manifest, epoch, history, recipe). */
  checkpoint: Checkpoint;
} {
  const dir = shippedWeightsDir(name);
  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) {
    throw new Error(
      `${manifestPath}: no shipped weights for "${name}" (train them with: node scripts/train-shipped.mjs ${name})`,
    );
  }
  return loadModelFromCheckpoint(SHIPPED_WEIGHTS[name], dir);
}
