/**
 * The three nets by name — what the CLI's `--model` and the notebooks choose from — with the
 * facts each needs around it: input size, normalisation, output kind.
 */
import type * as tf from "@tensorflow/tfjs";
import { createHistorical, type HistoricalOptions } from "./historical";
import { createModern, MODERN_INPUT_SIZE, type ModernOptions } from "./modern";
import { createSeedHistorical } from "./seed-historical";
import { INPUT_SIZE } from "../paper";

/** Names of the models lenet5 builds. */
export const MODEL_NAMES = ["historical", "seed-historical", "modern"] as const;
/** One of {@link MODEL_NAMES}. */
export type ModelName = (typeof MODEL_NAMES)[number];

/** What surrounds a model: how to feed it and how to read its output. */
export interface ModelSpec {
  /** The model's name, as `--model` takes it. */
  readonly name: ModelName;
  /** One-line description. */
  readonly description: string;
  /** Input side: 32 (the paper's field) or 28 (MNIST as is). */
  readonly inputSize: 28 | 32;
  /** Input normalisation (see `toNetworkInput` in src/data). */
  readonly normalisation: "paper" | "modern";
  /** "rbf": outputs are distances, predict the argmin, train with the paper's loss;
   *  "logits": predict the argmax, train with softmax cross-entropy. */
  readonly output: "rbf" | "logits";
}

/** The spec of each model. */
export const MODEL_SPECS: Readonly<Record<ModelName, ModelSpec>> = {
  historical: {
    name: "historical",
    description: "the paper's LeNet-5: Table I C3, trainable subsampling, scaled tanh, RBF output",
    inputSize: INPUT_SIZE as 32,
    normalisation: "paper",
    output: "rbf",
  },
  "seed-historical": {
    name: "seed-historical",
    description:
      "the seed tutorial's HistoricalLeNet5: full C3, average subsampling, linear output",
    inputSize: INPUT_SIZE as 32,
    normalisation: "paper",
    output: "logits",
  },
  modern: {
    name: "modern",
    description: "the seed tutorial's ModernLeNet5: ReLU, max pooling, softmax",
    inputSize: MODERN_INPUT_SIZE,
    normalisation: "modern",
    output: "logits",
  },
};

/**
 * Every builder option any model takes: `modern`'s (`batchNorm`, `dropout`), `historical`'s
 * ablation options (`c3`, `subsampling`, `initScale`) and the seed. A recipe's `modelOptions`.
 */
export type ModelBuildOptions = ModernOptions & HistoricalOptions;

/** The options only `historical` builds with (its ablation options). */
const HISTORICAL_ONLY = ["c3", "subsampling", "initScale"] as const;

/**
 * True when `name` is one of {@link MODEL_NAMES}.
 * @example
 * ```ts
 * isModelName("modern"); // true
 * ```
 */
export function isModelName(name: string): name is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(name);
}

/**
 * Builds a model by name. `options` are passed to its builder (`batchNorm`/`dropout` only
 * matter for `modern`; `c3`, `subsampling` and `initScale`, the ablation options, are
 * `historical`'s only, and another model given one throws).
 *
 * Input shape: [N, 32, 32, 1] for "historical" and "seed-historical", [N, 28, 28, 1] for
 * "modern" (see {@link MODEL_SPECS}). Output shape: [N, 10], RBF distances ("historical") or
 * logits (the other two).
 * @example
 * ```ts
 * const model = createModel("historical", { seed: 1 });
 * ```
 */
export function createModel(name: ModelName, options: ModelBuildOptions = {}): tf.Sequential {
  const misplaced = HISTORICAL_ONLY.find((key) => options[key] !== undefined);
  if (name !== "historical" && misplaced !== undefined) {
    throw new RangeError(`createModel: ${misplaced} is an option of historical only, not ${name}`);
  }
  switch (name) {
    case "historical":
      return createHistorical(options);
    case "seed-historical":
      return createSeedHistorical(options);
    case "modern":
      return createModern(options);
    default:
      throw new Error(
        `createModel: unknown model "${name as string}" (one of ${MODEL_NAMES.join(", ")})`,
      );
  }
}
