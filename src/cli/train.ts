/**
 * `lenet5 train`: a thin wrapper over `trainModel` (src/train/train.ts). On a terminal it draws
 * a progress bar (images/s, loss, accuracy, ETA); with `--json` it prints one JSON line per epoch.
 * Ctrl-C stops after the current step; with `--out` the last complete epoch is on disk and
 * `--resume` continues from it.
 */
import { oneOf, parseOptions, positiveInteger, UsageError } from "./args";
import { initBackend } from "../backend";
import { paperDistortion } from "../data/distort";
import { normalisePixel } from "../data/preprocess";
import { MODEL_NAMES, MODEL_SPECS } from "../models/registry";
import { OPTIMIZER_NAMES } from "../train/optimizer-base";
import { trainModel, type BatchProgress, type EpochResult } from "../train/train";

function positiveNumber(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n))
    throw new UsageError(`${option} must be a positive number; got "${value}"`);
  return n;
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

/** What `--engine` takes: lenet5's engine, tfjs autograd, or trainModel's choice. */
const ENGINE_CHOICES = ["engine", "tfjs", "auto"] as const;

/** Runs `lenet5 train`; returns the exit code. */
export async function trainCommand(args: string[]): Promise<number> {
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
    json: { type: "boolean", default: false },
    engine: { type: "string" },
  });
  const modelName = oneOf("--model", values.model, MODEL_NAMES);
  const optimizer =
    values.optimizer === undefined
      ? undefined
      : oneOf("--optimizer", values.optimizer, OPTIMIZER_NAMES);
  if (values.resume && !values.out)
    throw new UsageError("--resume needs --out DIR (where the checkpoint is)");
  const seedText = values.seed;
  const seed = seedText === undefined ? undefined : Number(seedText);
  if (seed !== undefined && !Number.isInteger(seed))
    throw new UsageError(`--seed must be an integer; got "${seedText}"`);
  const epochs = positiveInteger("--epochs", values.epochs);
  const engine =
    values.engine === undefined ? undefined : oneOf("--engine", values.engine, ENGINE_CHOICES);

  const backend = await initBackend();
  const spec = MODEL_SPECS[modelName];
  const isTerminal = process.stderr.isTTY === true && !values.json;
  const abort = new AbortController();
  const onInterrupt = () => {
    process.stderr.write("\nstopping after this step…\n");
    abort.abort();
  };
  process.once("SIGINT", onInterrupt);
  process.stderr.write(`lenet5 train: model ${modelName}, backend ${backend}\n`);
  let lastDraw = 0;
  try {
    const result = await trainModel({
      model: modelName,
      optimizer,
      epochs,
      batchSize: positiveInteger("--batch", values.batch),
      learningRate: positiveNumber("--lr", values.lr),
      seed,
      dataDir: values.data,
      limit: positiveInteger("--limit", values.limit),
      distort: values.augment ? paperDistortion(normalisePixel(0, spec.normalisation)) : undefined,
      outDir: values.out,
      resume: values.resume,
      engine,
      signal: abort.signal,
      onBatch: (p) => {
        const now = Date.now();
        if (isTerminal && (now - lastDraw > 200 || p.batch === p.batches)) {
          lastDraw = now;
          process.stderr.write(`\r${progressLine(p)}\x1b[K`);
        }
      },
      onEpoch: (e: EpochResult) => {
        if (values.json) {
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
    if (result.aborted) process.stderr.write(`stopped after epoch ${result.epochsCompleted}\n`);
    if (values.out) process.stderr.write(`checkpoint: ${values.out}\n`);
    result.model.dispose();
    return result.aborted ? 130 : 0;
  } finally {
    process.off("SIGINT", onInterrupt);
  }
}
