/**
 * Which models lenet5's whole-step engine (src/engine/) can run: the test trainModel, the
 * benchmark and evaluateModel use to pick the engine or tfjs. No math here.
 */
import type * as tf from "@tensorflow/tfjs";
import type { ModernOptions } from "../models/modern";
import type { ModelName } from "../models/registry";
import { historicalZeros } from "../scratch/historical";
import { modernZeros } from "../scratch/modern";
import { namedTensors } from "../scratch/tensor";

/** Which training path runs the steps: lenet5's engine, or tfjs autograd (any model). */
export type TrainingEngine = "engine" | "tfjs";

/**
 * Whether the engine can train this model: `historical`, or `modern` without batch
 * normalisation or dropout (the layers the engine's nets have).
 * @example
 * ```ts
 * engineSupports("modern", { batchNorm: true }); // false: the engine's modern has no batch norm
 * ```
 */
export function engineSupports(modelName: ModelName, modelOptions: ModernOptions = {}): boolean {
  if (modelName === "historical") return true;
  return modelName === "modern" && !modelOptions.batchNorm && !(modelOptions.dropout ?? 0);
}

/**
 * Whether a tfjs model is one the engine can train as `modelName`: a supported name, the
 * engine's layer names and weight shapes in order, and no dropout or batch normalisation.
 * @example
 * ```ts
 * engineFits(createModel("modern", { seed: 1 }), "modern"); // true
 * ```
 */
export function engineFits(model: tf.LayersModel, modelName: ModelName): boolean {
  if (!engineSupports(modelName)) return false;
  const unsupported = ["Dropout", "BatchNormalization"];
  if (model.layers.some((layer) => unsupported.includes(layer.getClassName()))) return false;
  const template = modelName === "historical" ? historicalZeros() : modernZeros();
  const wanted = namedTensors(template)
    .filter(([name]) => name !== "prototypes")
    .map(([, t]) => t.shape.join(","));
  const actual = model.trainableWeights.map((w) => w.shape.join(","));
  const layers =
    modelName === "historical"
      ? ["C1", "S2", "C3", "S4", "C5", "F6"]
      : ["C1", "C3", "C5", "F6", "OUTPUT"];
  const names = new Set(model.layers.map((layer) => layer.name));
  return (
    JSON.stringify(wanted) === JSON.stringify(actual) && layers.every((name) => names.has(name))
  );
}
