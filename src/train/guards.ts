/**
 * What keeps a training run from losing good weights, kept out of the loop itself (train.ts) so
 * the loop reads as its steps:
 *   - the options are checked at the entry, each against a stated range (a billion epochs would
 *     otherwise build a billion-long schedule before failing);
 *   - a step whose loss is NaN or ±Inf stops the run at once, naming the epoch and the step, and
 *     so do weights that are no longer finite at the end of an epoch — before its checkpoint, so
 *     the one on disk keeps the last good weights (saveCheckpoint refuses such weights too);
 *   - a checkpoint's optimiser state is restored only when its optimiser and settings are this
 *     run's, and a misfit names the manifest and the field, not an optimiser's internals.
 * No paper reference: the paper's runs did not diverge in print.
 */
import * as tf from "@tensorflow/tfjs";
import { CheckpointError } from "../checkpoint/format";
import type { Optimizer, OptimizerState } from "./optimizer-base";

/** Most epochs a run may ask for: 10,000 (the paper trains 20; each epoch is a full pass). */
export const MAX_EPOCHS = 10_000;
/** Largest mini-batch: 4,096 images (activation memory grows with it; the paper's is 1). */
export const MAX_BATCH_SIZE = 4_096;
/** Largest constant learning rate η accepted: 10 (every default is below 0.1). */
export const MAX_LEARNING_RATE = 10;

/**
 * A run stopped because the loss or a weight stopped being a finite number. Nothing of the
 * diverged epoch was saved: a checkpoint in the run's folder still holds the last good epoch.
 * @example
 * ```ts
 * try {
 *   await trainModel({ model: "modern", learningRate: 10, epochs: 1 });
 * } catch (error) {
 *   if (error instanceof TrainingDivergedError) console.log(error.epoch, error.step);
 * }
 * ```
 */
export class TrainingDivergedError extends Error {
  /** The epoch it happened in, from 1. */
  readonly epoch: number;
  /** The step (mini-batch) within the epoch, from 1. */
  readonly step: number;

  /**
   * @param epoch - the epoch, from 1.
   * @param step - the step within the epoch, from 1.
   * @param message - what happened, in plain words.
   */
  constructor(epoch: number, step: number, message: string) {
    super(message);
    this.name = "TrainingDivergedError";
    this.epoch = epoch;
    this.step = step;
  }
}

/** The numbers of trainModel's options that have a range (the rest are names and flags). */
export interface RunNumbers {
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly learningRate?: unknown;
  readonly j?: number;
  readonly mu?: number;
  readonly hessianSamples?: number;
}

/** Throws a RangeError naming the option unless `value` is an integer in [min, max]. */
function checkInteger(option: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `trainModel: ${option} must be an integer from ${min} to ${max.toLocaleString("en-US")}, got ${value}`,
    );
  }
}

/** Throws a RangeError naming the option unless `value` is a finite number in (0, max]. */
function checkPositive(option: string, value: number | undefined, max = Infinity): void {
  if (value === undefined) return;
  if (!(value > 0 && value <= max && Number.isFinite(value))) {
    const range = Number.isFinite(max) ? `in (0, ${max}]` : "a finite number > 0";
    throw new RangeError(`trainModel: ${option} must be ${range}, got ${value}`);
  }
}

/**
 * Checks every numeric setting of a run against its range (epochs 0…{@link MAX_EPOCHS}, batch
 * 1…{@link MAX_BATCH_SIZE}, seed 0…2³²−1, η in (0, {@link MAX_LEARNING_RATE}], j, μ > 0,
 * Hessian samples ≥ 1); a RangeError names the first one out of range.
 * @example
 * ```ts
 * checkRunNumbers({ epochs: 1e9, batchSize: 64, seed: 0 }); // RangeError: epochs must be …
 * ```
 */
export function checkRunNumbers(numbers: RunNumbers): void {
  checkInteger("epochs", numbers.epochs, 0, MAX_EPOCHS);
  checkInteger("batchSize", numbers.batchSize, 1, MAX_BATCH_SIZE);
  checkInteger("seed", numbers.seed, 0, 2 ** 32 - 1);
  if (typeof numbers.learningRate === "number") {
    checkPositive("learningRate", numbers.learningRate, MAX_LEARNING_RATE);
  }
  checkPositive("j", numbers.j);
  checkPositive("mu", numbers.mu);
  if (numbers.hessianSamples !== undefined) {
    checkInteger("hessianSamples", numbers.hessianSamples, 1, 1_000_000);
  }
}

/** Where a step happened, for the messages. */
export interface StepPlace {
  /** The epoch, from 1. */
  readonly epoch: number;
  /** The step within the epoch, from 1. */
  readonly step: number;
  /** Steps per epoch. */
  readonly steps: number;
  /** The run's checkpoint folder, if any. */
  readonly outDir?: string;
}

/** What is left on disk after a diverged run, for the end of the message. */
function keptNote(place: StepPlace): string {
  const where =
    place.outDir === undefined
      ? "no checkpoint is written"
      : `the checkpoint in ${place.outDir} is untouched (it holds the last complete epoch, if any)`;
  return `; training stopped and ${where}. Try a smaller learning rate`;
}

/**
 * Throws a {@link TrainingDivergedError} when a step's loss is NaN or ±Inf.
 * @example
 * ```ts
 * checkStepLoss(NaN, { epoch: 2, step: 17, steps: 40 }); // throws: "epoch 2, step 17 of 40: …"
 * ```
 */
export function checkStepLoss(loss: number, place: StepPlace): void {
  if (Number.isFinite(loss)) return;
  throw new TrainingDivergedError(
    place.epoch,
    place.step,
    `training diverged at epoch ${place.epoch}, step ${place.step} of ${place.steps}: the loss ` +
      `is ${loss}${keptNote(place)}`,
  );
}

/**
 * Throws a {@link TrainingDivergedError} when any of `model`'s weights holds NaN or ±Inf (read
 * once per epoch: the per-step loss check catches nearly all divergence first).
 * @example
 * ```ts
 * checkWeightsFinite(model, { epoch: 1, step: 40, steps: 40 });
 * ```
 */
export function checkWeightsFinite(model: tf.LayersModel, place: StepPlace): void {
  for (const weight of model.weights) {
    const values = weight.read().dataSync();
    const at = values.findIndex((v) => !Number.isFinite(v));
    if (at >= 0) {
      throw new TrainingDivergedError(
        place.epoch,
        place.step,
        `training diverged in epoch ${place.epoch} (checked after its step ${place.step} of ` +
          `${place.steps}): weight ${weight.originalName} holds ${values[at]} at index ${at}` +
          keptNote(place),
      );
    }
  }
}

/**
 * Restores a checkpoint's optimiser state into `optimizer` after checking it is this run's kind
 * of optimiser with this run's settings; any misfit is a {@link CheckpointError} naming the
 * manifest and the field ("optimizer.hyper.beta1 is 0.5, this run's adam uses 0.9").
 * @example
 * ```ts
 * restoreOptimizerState(optimizer, checkpoint.optimizerState!, variables, "runs/h1/manifest.json");
 * ```
 */
export function restoreOptimizerState(
  optimizer: Optimizer,
  state: OptimizerState,
  variables: readonly tf.Variable[],
  manifestPath: string,
): void {
  const wrong = (problem: string) =>
    new CheckpointError(
      manifestPath,
      "wrong-settings",
      `${problem}; resume with the same settings, or train into another folder`,
    );
  if (state.name !== optimizer.name) {
    throw wrong(`optimizer.name is "${state.name}", this run trains with "${optimizer.name}"`);
  }
  for (const [key, value] of Object.entries(optimizer.getState().hyper)) {
    if (state.hyper[key] !== value) {
      throw wrong(
        `optimizer.hyper.${key} is ${JSON.stringify(state.hyper[key]) ?? "missing"}, ` +
          `this run's ${optimizer.name} uses ${JSON.stringify(value)}`,
      );
    }
  }
  try {
    optimizer.setState(state, variables);
  } catch (error) {
    throw new CheckpointError(
      manifestPath,
      "shape-mismatch",
      `optimizer slots do not fit this model: ${(error as Error).message}`,
    );
  }
}
