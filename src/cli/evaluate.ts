/**
 * `lenet5 evaluate`: accuracy, error rate, per-class accuracy and the confusion matrix of a model
 * on the MNIST test set — the shipped weights by default, or a checkpoint folder (`--weights`).
 */
import { oneOf, parseOptions, positiveInteger } from "./args";
import { initBackend } from "../backend";
import { loadModelData } from "../train/data";
import { evaluateModel } from "../train/evaluate";
import type { ModelName } from "../models/registry";
import {
  loadModelFromCheckpoint,
  loadPretrained,
  SHIPPED_WEIGHTS,
  type ShippedWeightsName,
} from "../train/pretrained";
import type * as tf from "@tensorflow/tfjs";

/** Largest --limit of `evaluate` and `train`: more images than any MNIST-format set lenet5 reads. */
export const MAX_LIMIT = 10_000_000;

/**
 * A model with weights from `--weights DIR`, or the shipped ones of `name` (a model's own, or a
 * kept run's such as `historical-distorted`).
 */
export function modelWithWeights(
  name: ShippedWeightsName,
  weights: string | undefined,
): tf.LayersModel {
  return weights === undefined
    ? loadPretrained(name).model
    : loadModelFromCheckpoint(SHIPPED_WEIGHTS[name], weights).model;
}

/** What `evaluate --model` accepts: every model, and every other set of shipped weights. */
const SHIPPED_WEIGHTS_NAMES = Object.keys(SHIPPED_WEIGHTS) as ShippedWeightsName[];

/** "shipped" for a model's own weights, "shipped historical-distorted" for a kept run's. */
function shippedLabel(name: ShippedWeightsName): string {
  return name === SHIPPED_WEIGHTS[name] ? "shipped" : `shipped ${name}`;
}

/** Runs `lenet5 evaluate`; returns the exit code. */
export async function evaluateCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    model: { type: "string" },
    weights: { type: "string" },
    data: { type: "string" },
    limit: { type: "string" },
    json: { type: "boolean", default: false },
  });
  // A model name, or a kept run's name such as historical-distorted: its model, those weights.
  const shippedName: ShippedWeightsName = oneOf("--model", values.model, SHIPPED_WEIGHTS_NAMES);
  const modelName: ModelName = SHIPPED_WEIGHTS[shippedName];
  const backend = await initBackend();
  const model = modelWithWeights(shippedName, values.weights);
  const test = loadModelData(modelName, "test", {
    ...(values.data === undefined ? {} : { dir: values.data }),
    ...(values.limit === undefined
      ? {}
      : { limit: positiveInteger("--limit", values.limit, MAX_LIMIT) }),
  });
  const result = await evaluateModel(model, modelName, test);
  model.dispose();
  if (values.json) {
    const { accuracy, errorRate, perClass, confusion, count } = result;
    process.stdout.write(
      `${JSON.stringify({ model: modelName, backend, weights: values.weights ?? shippedLabel(shippedName), count, accuracy, errorRate, perClass, confusion })}\n`,
    );
    return 0;
  }
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const lines = [
    `model ${modelName} · backend ${backend} · weights ${values.weights ?? shippedLabel(shippedName)} · ${result.count.toLocaleString("en-US")} test images`,
    `accuracy ${pct(result.accuracy)}   error ${pct(result.errorRate)}`,
    `per class: ${result.perClass.map((a, d) => `${d} ${pct(a)}`).join("  ")}`,
    "confusion (rows: true digit, columns: predicted):",
    `     ${Array.from({ length: 10 }, (_, d) => String(d).padStart(5)).join("")}`,
    ...result.confusion.map(
      (row, d) => `  ${d}  ${row.map((n) => String(n).padStart(5)).join("")}`,
    ),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}
