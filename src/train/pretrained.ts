/**
 * The weights shipped with lenet5: one weights-only checkpoint per model in `weights/<model>/`
 * at the package root, plus the runs kept beside them for comparison (`historical-plain`,
 * `historical-online`, `modern-plain`; see {@link SHIPPED_WEIGHTS}), produced by `scripts/train-shipped.mjs` (its recipe and results are in
 * each folder's manifest and `results.json`, and in docs/training.md). Notebooks, the CLI's
 * `evaluate`/`predict` without `--weights`, and the site load them from here, so nobody has to
 * train before looking inside a trained LeNet-5. The site copies the same folders and loads them
 * with the browser entry (../browser), through the same checkpoint format (../checkpoint/format).
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
 * is its default weights; the others are runs kept beside them to compare with: `historical`
 * was trained on distorted digits, `historical-plain` on the plain set (the setting of the
 * paper's 0.95%); `modern` with batch norm and distortions, `modern-plain` without.
 */
export const SHIPPED_WEIGHTS = {
  /** The paper's net, SDLM, 20 passes over distorted digits: 0.92% test error. */
  historical: "historical",
  /** The same on the plain training set (the setting of the paper's 0.95%): 1.18%. */
  "historical-plain": "historical",
  /**
   * The paper's own way: online SDLM (batch 1, μ = 0.02), plain digits, from ±2.4/√F_i, h_kk
   * from y_D alone, re-estimated every 1,000 updates in pass 1 (docs/training.md): 1.67%.
   */
  "historical-online": "historical",
  /** The same on distorted digits: 3.21%. */
  "historical-online-distorted": "historical",
  /** The seed tutorial's variant, Adam, 6 epochs: 1.14%. */
  "seed-historical": "seed-historical",
  /** The modern net with batch norm, Adam, 15 epochs over distorted digits: 0.61%. */
  modern: "modern",
  /** The modern net without batch norm or distortions, Adam, 15 epochs: 0.99%. */
  "modern-plain": "modern",
} as const satisfies Readonly<Record<string, ModelName>>;

/** The name of a set of shipped weights: a model name, or a kept run such as `historical-plain`. */
export type ShippedWeightsName = keyof typeof SHIPPED_WEIGHTS;

/**
 * The folder of a set of shipped weights.
 * @example
 * ```ts
 * shippedWeightsDir("historical"); // …/weights/historical
 * shippedWeightsDir("historical-plain"); // …/weights/historical-plain
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
 * as `loadPretrained("historical-plain")`. Throws, naming the folder, when they are missing or
 * do not match the model.
 * @example
 * ```ts
 * const { model, checkpoint } = loadPretrained("historical");
 * checkpoint.epoch; // passes the shipped weights were trained for
 * const plain = loadPretrained("historical-plain"); // the same net, trained on undistorted digits
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
