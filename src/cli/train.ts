/**
 * `lenet5 train`: a thin wrapper over `trainModel` (src/train/train.ts). On a terminal it draws
 * a progress bar (images/s, loss, accuracy, ETA); with `--json` it prints one JSON line per epoch.
 * Ctrl-C stops after the current step; with `--out` the last complete epoch is on disk and
 * `--resume` continues from it.
 */
import {
  integerOption,
  numberOption,
  oneOf,
  parseOptions,
  positiveInteger,
  UsageError,
} from "./args";
import { MAX_LIMIT } from "./evaluate";
import { initBackend } from "../backend";
import { paperDistortion } from "../data/distort";
import { normalisePixel } from "../data/preprocess";
import { MODEL_NAMES, MODEL_SPECS, type ModelName } from "../models/registry";
import { C3_CONNECTIONS, type C3Connections } from "../models/historical";
import type { InitScale } from "../layers/paper-uniform";
import { SUBSAMPLING_KINDS, type SubsamplingKind } from "../scratch/historical";
import { EQ8_OUTPUT_CURVATURE } from "../train/hessian";
import { OPTIMIZER_NAMES, type OptimizerName } from "../train/optimizer-base";
import { MAX_BATCH_SIZE, MAX_EPOCHS, MAX_LEARNING_RATE } from "../train/guards";
import { trainModel, type BatchProgress, type EpochResult } from "../train/train";

/** What `--engine` takes: lenet5's engine, tfjs autograd, or trainModel's choice. */
const ENGINE_CHOICES = ["engine", "tfjs", "auto"] as const;

/** What `--curvature` takes: SDLM's h_kk from eq. 8's loss (y_D alone) or eq. 9's (the full one). */
const CURVATURE_CHOICES = ["eq8", "eq9"] as const;

/** The largest `--j`: e^−j is then below float32's smallest normal number, the term gone. */
const MAX_J = 100;

/** `--init`'s syntax: a numerator, "/", then F (F_i) or sqrtF (√F_i). */
const INIT_SYNTAX = /^(?<numerator>\d+(?:\.\d+)?)\/(?<divisor>F|sqrtF)$/;

/** The ablation options of `historical` that `lenet5 train` takes. */
export interface AblationArgs {
  /** --c3: Table I (default) or full. */
  readonly c3?: C3Connections;
  /** --subsampling: trainable (default), average or max. */
  readonly subsampling?: SubsamplingKind;
  /** --init: the initial range rule (default 2.4/F). */
  readonly initScale?: InitScale;
  /** --j: the constant of eq. 9 (default 0.1). */
  readonly j?: number;
  /** --curvature: eq8 (y_D alone, 2 at F6's output) or eq9 (default). */
  readonly curvature?: (typeof CURVATURE_CHOICES)[number];
}

/** What `lenet5 train`'s arguments ask for, checked (ranges in the usage text). */
export interface TrainArgs {
  /** --model. */
  readonly modelName: ModelName;
  /** --optimizer (default: the model's, see DEFAULT_OPTIMIZERS). */
  readonly optimizer?: OptimizerName;
  /** --epochs, 1…MAX_EPOCHS. */
  readonly epochs?: number;
  /** --batch, 1…MAX_BATCH_SIZE. */
  readonly batchSize?: number;
  /** --lr, above 0 and at most MAX_LEARNING_RATE. */
  readonly learningRate?: number;
  /** --seed, 0…2³²−1. */
  readonly seed?: number;
  /** --data DIR. */
  readonly dataDir?: string;
  /** --limit, 1…MAX_LIMIT. */
  readonly limit?: number;
  /** --augment: the paper's distortions on every batch. */
  readonly augment: boolean;
  /** --out DIR: a checkpoint after every epoch. */
  readonly outDir?: string;
  /** --resume: continue the checkpoint in --out. */
  readonly resume: boolean;
  /** --overwrite: replace the checkpoint in --out. */
  readonly overwrite: boolean;
  /** --json: one JSON line per epoch. */
  readonly json: boolean;
  /** --engine: lenet5's engine, tfjs autograd, or trainModel's choice (default). */
  readonly engine?: (typeof ENGINE_CHOICES)[number];
  /** --c3, --subsampling, --init, --j, --curvature: `historical`'s ablation options. */
  readonly ablation: AblationArgs;
}

/** `--init K/F` or `--init K/sqrtF` as an InitScale; anything else is a UsageError. */
function initOption(value: string | undefined): InitScale | undefined {
  if (value === undefined) return undefined;
  const match = INIT_SYNTAX.exec(value);
  const numerator = Number(match?.groups?.numerator);
  if (match === null || !(numerator > 0) || numerator > 1000) {
    throw new UsageError(
      `--init must be K/F (±K/F_i) or K/sqrtF (±K/√F_i) with 0 < K ≤ 1000, e.g. 2.4/F; got "${value}"`,
    );
  }
  return { numerator, divisor: match.groups?.divisor === "F" ? "fanIn" : "sqrtFanIn" };
}

/** The ablation flags, checked; they are `historical`'s, and --curvature needs SDLM. */
function ablationArgs(
  values: Record<string, string | boolean | undefined>,
  modelName: ModelName,
  optimizer: OptimizerName | undefined,
): AblationArgs {
  const text = (key: string) => values[key] as string | undefined;
  const given = ["c3", "subsampling", "init", "j", "curvature"].filter(
    (key) => text(key) !== undefined,
  );
  if (given.length > 0 && modelName !== "historical") {
    throw new UsageError(`--${given[0]} is an option of --model historical only`);
  }
  const curvature =
    text("curvature") === undefined
      ? undefined
      : oneOf("--curvature", text("curvature"), CURVATURE_CHOICES);
  if (curvature !== undefined && (optimizer ?? "sdlm") !== "sdlm") {
    throw new UsageError("--curvature is SDLM's: it needs --optimizer sdlm (the default)");
  }
  return {
    ...(text("c3") === undefined ? {} : { c3: oneOf("--c3", text("c3"), C3_CONNECTIONS) }),
    ...(text("subsampling") === undefined
      ? {}
      : { subsampling: oneOf("--subsampling", text("subsampling"), SUBSAMPLING_KINDS) }),
    ...(text("init") === undefined ? {} : { initScale: initOption(text("init")) }),
    ...(text("j") === undefined
      ? {}
      : { j: numberOption("--j", text("j"), { min: 0, max: MAX_J, aboveMin: true }) }),
    ...(curvature === undefined ? {} : { curvature }),
  };
}

/**
 * Parses and checks `lenet5 train` arguments: every number in its range with a strict syntax
 * ("0x2" and " 1" are refused), --resume and --overwrite only with --out and not together.
 * Mistakes throw a UsageError naming the option.
 * @example
 * ```ts
 * parseTrainArgs(["--model", "modern", "--epochs", "2"]).epochs; // 2
 * ```
 */
export function parseTrainArgs(args: string[]): TrainArgs {
  const { values } = parseOptions(args, {
    model: { type: "string" },
    optimizer: { type: "string" },
    epochs: { type: "string" },
    batch: { type: "string" },
    lr: { type: "string" },
    augment: { type: "boolean", default: false },
    seed: { type: "string" },
    data: { type: "string" },
    limit: { type: "string" },
    out: { type: "string" },
    resume: { type: "boolean", default: false },
    overwrite: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    engine: { type: "string" },
    c3: { type: "string" },
    subsampling: { type: "string" },
    init: { type: "string" },
    j: { type: "string" },
    curvature: { type: "string" },
  });
  const resume = values.resume ?? false;
  const overwrite = values.overwrite ?? false;
  if ((resume || overwrite) && !values.out) {
    throw new UsageError(
      `--${resume ? "resume" : "overwrite"} needs --out DIR (where the checkpoint is)`,
    );
  }
  if (resume && overwrite) {
    throw new UsageError(
      "--resume (continue the checkpoint) and --overwrite (replace it) exclude each other",
    );
  }
  const modelName = oneOf("--model", values.model, MODEL_NAMES);
  const optimizer =
    values.optimizer === undefined
      ? undefined
      : oneOf("--optimizer", values.optimizer, OPTIMIZER_NAMES);
  return {
    modelName,
    optimizer,
    epochs: positiveInteger("--epochs", values.epochs, MAX_EPOCHS),
    batchSize: positiveInteger("--batch", values.batch, MAX_BATCH_SIZE),
    learningRate: numberOption("--lr", values.lr, {
      min: 0,
      max: MAX_LEARNING_RATE,
      aboveMin: true,
    }),
    seed: integerOption("--seed", values.seed, { min: 0, max: 2 ** 32 - 1 }),
    dataDir: values.data,
    limit: positiveInteger("--limit", values.limit, MAX_LIMIT),
    augment: values.augment ?? false,
    outDir: values.out,
    resume,
    overwrite,
    json: values.json ?? false,
    engine:
      values.engine === undefined ? undefined : oneOf("--engine", values.engine, ENGINE_CHOICES),
    ablation: ablationArgs(values, modelName, optimizer),
  };
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--:--";
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** One progress-bar line for a terminal. */
export function progressLine(p: BatchProgress, width = 24): string {
  const filled = Math.round((p.batch / p.batches) * width);
  const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
  const imagesPerBatch = p.images / p.batch;
  const epochImages = p.batches * imagesPerBatch;
  // The rest of this epoch and all later ones, at this epoch's pace (evaluation not included).
  const remainingImages =
    (p.batches - p.batch) * imagesPerBatch + (p.epochs - p.epoch) * epochImages;
  const eta = p.imagesPerSec > 0 ? remainingImages / p.imagesPerSec : NaN;
  return (
    `epoch ${p.epoch}/${p.epochs} ${bar} ${p.batch}/${p.batches} ` +
    `${Math.round(p.imagesPerSec)} img/s loss ${p.meanLoss.toFixed(4)} ` +
    `acc ${(100 * p.trainAccuracy).toFixed(1)}% eta ${formatDuration(eta)}`
  );
}

/** Runs `lenet5 train`; returns the exit code. */
export async function trainCommand(args: string[]): Promise<number> {
  const parsed = parseTrainArgs(args);
  const { modelName } = parsed;
  const backend = await initBackend();
  const spec = MODEL_SPECS[modelName];
  const isTerminal = process.stderr.isTTY === true && !parsed.json;
  const abort = new AbortController();
  const onInterrupt = () => {
    process.stderr.write("\nstopping after this step…\n");
    abort.abort();
  };
  process.once("SIGINT", onInterrupt);
  process.stderr.write(`lenet5 train: model ${modelName}, backend ${backend}\n`);
  let lastDraw = 0;
  const { c3, subsampling, initScale, j, curvature } = parsed.ablation;
  try {
    const result = await trainModel({
      model: modelName,
      modelOptions: {
        ...(c3 === undefined ? {} : { c3 }),
        ...(subsampling === undefined ? {} : { subsampling }),
        ...(initScale === undefined ? {} : { initScale }),
      },
      j,
      ...(curvature === undefined
        ? {}
        : { outputCurvature: curvature === "eq8" ? EQ8_OUTPUT_CURVATURE : "eq9" }),
      optimizer: parsed.optimizer,
      epochs: parsed.epochs,
      batchSize: parsed.batchSize,
      learningRate: parsed.learningRate,
      seed: parsed.seed,
      dataDir: parsed.dataDir,
      limit: parsed.limit,
      distort: parsed.augment ? paperDistortion(normalisePixel(0, spec.normalisation)) : undefined,
      outDir: parsed.outDir,
      resume: parsed.resume,
      overwrite: parsed.overwrite,
      engine: parsed.engine,
      signal: abort.signal,
      onBatch: (p) => {
        const now = Date.now();
        if (isTerminal && (now - lastDraw > 200 || p.batch === p.batches)) {
          lastDraw = now;
          process.stderr.write(`\r${progressLine(p)}\x1b[K`);
        }
      },
      onEpoch: (e: EpochResult) => {
        if (parsed.json) {
          const { epoch, loss, trainAccuracy, testAccuracy, seconds, imagesPerSec } = e;
          process.stdout.write(
            `${JSON.stringify({ epoch, loss, trainAccuracy, testAccuracy, seconds, imagesPerSec })}\n`,
          );
        } else {
          const test = e.testAccuracy === null ? "" : ` test ${(100 * e.testAccuracy).toFixed(2)}%`;
          process.stderr.write(
            `${isTerminal ? "\r\x1b[K" : ""}epoch ${e.epoch}: loss ${e.loss.toFixed(4)} train ${(100 * e.trainAccuracy).toFixed(2)}%${test} ` +
              `${e.seconds.toFixed(1)} s ${Math.round(e.imagesPerSec)} img/s\n`,
          );
        }
      },
    });
    const threads = result.recipe.threads ?? 1;
    const path = result.recipe.engine === "engine" ? "lenet5's engine" : "tfjs autograd";
    process.stderr.write(`steps ran on ${path}, ${threads} thread${threads > 1 ? "s" : ""}\n`);
    if (result.engineFallback !== null) {
      process.stderr.write(`(not the engine: ${result.engineFallback})\n`);
    }
    if (result.aborted) process.stderr.write(`stopped after epoch ${result.epochsCompleted}\n`);
    if (parsed.outDir) process.stderr.write(`checkpoint: ${parsed.outDir}\n`);
    result.model.dispose();
    return result.aborted ? 130 : 0;
  } finally {
    process.off("SIGINT", onInterrupt);
  }
}
