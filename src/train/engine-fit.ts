/**
 * Which models lenet5's whole-step engine (src/engine/) can run: the test trainModel, the
 * benchmark and evaluateModel use to pick the engine or tfjs. No math here.
 */
import type * as tf from "@tensorflow/tfjs";
import type { ModelBuildOptions, ModelName } from "../models/registry";
import { historicalZeros } from "../scratch/historical";
import { modernZeros } from "../scratch/modern";
import { namedTensors } from "../scratch/tensor";

/** Which training path runs the steps: lenet5's engine, or tfjs autograd (any model). */
export type TrainingEngine = "engine" | "tfjs";

/**
 * Why the engine cannot train this model, or null when it can. The engine runs `historical`
 * with Table I's C3 and trainable subsampling (any initial range: the weights are copied in),
 * and `modern` without batch normalisation or dropout. Full C3 would change its parameter
 * layout (96 packed C3 kernels instead of 60) and pooling S2/S4 its kernels, so those ablation
 * variants train on tfjs.
 * @example
 * ```ts
 * engineUnsupportedReason("historical", { subsampling: "max" }); // "the engine's S2/S4 are …"
 * engineUnsupportedReason("historical", {}); // null
 * ```
 */
export function engineUnsupportedReason(
  modelName: ModelName,
  modelOptions: ModelBuildOptions = {},
): string | null {
  if (modelName === "historical") {
    if ((modelOptions.c3 ?? "table-i") !== "table-i") {
      return "the engine's C3 is Table I's 60 packed kernels; full C3 (96) is not in its parameter layout";
    }
    if ((modelOptions.subsampling ?? "trainable") !== "trainable") {
      return `the engine's S2/S4 are the paper's trainable subsampling, not ${modelOptions.subsampling} pooling`;
    }
    return null;
  }
  if (modelName !== "modern") return `the engine has no ${modelName} net`;
  if (modelOptions.batchNorm) return "the engine's modern has no batch normalisation";
  if (modelOptions.dropout ?? 0) return "the engine's modern has no dropout";
  return null;
}

/**
 * Whether the engine can train this model: `historical` (Table I's C3, trainable subsampling),
 * or `modern` without batch normalisation or dropout (the layers the engine's nets have); see
 * {@link engineUnsupportedReason} for why not.
 * @example
 * ```ts
 * engineSupports("modern", { batchNorm: true }); // false: the engine's modern has no batch norm
 * engineSupports("historical", { c3: "full" }); // false: full C3 trains on tfjs
 * ```
 */
export function engineSupports(
  modelName: ModelName,
  modelOptions: ModelBuildOptions = {},
): boolean {
  return engineUnsupportedReason(modelName, modelOptions) === null;
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
