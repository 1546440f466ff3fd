/**
 * Data-parallel training steps on two cores: the main thread and one worker thread each compute
 * the gradient of their half of the mini-batch, and the main thread averages the two and takes
 * the optimiser step. Why: tfjs's wasm backend runs single-threaded in Node (its threads are off),
 * so one training loop uses one core; this is how `trainModel` uses the second (docs/speed.md).
 *
 * Formula: for a batch of n examples split into A (the first round(n/2), main thread) and B (the rest,
 * worker), with g_A, g_B the gradients of each part's MEAN loss,
 *   g = (|A|·g_A + |B|·g_B) / n,
 * the gradient of the whole batch's mean loss, and loss = (|A|·loss_A + |B|·loss_B) / n. The
 * split is fixed, never by timing, so a seed gives the same weights run after run. (They differ
 * from a one-thread run's in the last bits: the sums are grouped differently.)
 *
 * The worker builds the same model from its name and options, and keeps a replica of the
 * optimiser: after each step the two threads swap their half-batch gradients, and both average
 * them the same way and take the same optimiser step, so the worker's weights stay equal to the
 * main thread's, bit for bit, without being sent. The main thread sends its weights and
 * optimiser state only when the replica may differ: the first step, another optimiser object, a
 * state loaded, SDLM's Hessian estimate replaced (before each pass), or weights assigned between
 * steps (it compares the step count, the Hessian's identity and the weights' tensor ids with
 * those after its last step). The main thread's optimiser is the one that counts (checkpoints,
 * schedules and SDLM work as with one thread). Models with
 * batch normalisation (statistics of the half batch) or dropout (masks from tfjs's generator in
 * another thread) are not split: {@link chooseWorkers} keeps them on one thread.
 *
 * Input shape: inputs [B, S, S, 1], labels [B]. Output shape: the step's mean loss and how many
 * of the B examples the model (before the step) classified right.
 */
import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { extname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { activeBackend, type BackendName } from "../backend";
import type { ModelBuildOptions, ModelName } from "../models/registry";
import { modelLoss } from "./evaluate";
import type { OutputKind } from "./hessian";
import type { Optimizer, OptimizerState } from "./optimizer-base";
import { SdlmOptimizer } from "./sdlm";
import { trainingForward } from "../kernels/training-forward";

/** The worker's entry file, beside this one (.ts under tsx, .js once compiled). */
const WORKER_FILE = join(__dirname, `parallel-worker${extname(__filename)}`);

/**
 * Images per training run below which a worker does not pay for its start-up (loading tfjs and
 * wasm in a thread, ~1 s).
 */
export const PARALLEL_MIN_IMAGES = 20_000;

/**
 * Smallest mini-batch "auto" splits. Each step costs a round trip to the worker and the fixed
 * per-step work of both threads, whatever the batch; 32 is a cautious floor (SDLM's default batch
 * of 16 stays on one thread). An explicit `threads: 2` splits any batch of ≥ 2.
 */
export const PARALLEL_MIN_BATCH = 32;

/**
 * Fraction of each batch the main thread computes; the worker takes the rest. Half: 0.45 and 0.42
 * (when only the main thread took the optimiser step) and 0.5625 and 0.59 (since the worker
 * replicates it) measured no faster here (docs/speed.md).
 */
export const MAIN_FRACTION = 0.5;

/**
 * Examples of an n-example batch the main thread computes: round(n·fraction), at least 1 and at
 * most n − 1 (each thread gets some).
 * @example
 * ```ts
 * mainShare(64, 0.5); // 32
 * mainShare(3, 0.5); // 2
 * ```
 */
export function mainShare(n: number, fraction: number): number {
  return Math.min(n - 1, Math.max(1, Math.round(n * fraction)));
}

/** What one thread's part of a step produced. */
export interface PartResult {
  /** The part's mean loss. */
  readonly loss: number;
  /** How many of the part's examples were classified right (before the step). */
  readonly correct: number;
}

/**
 * Forward and backward pass of one part of a batch: its mean loss, how many it got right, and the
 * gradient of its mean loss for each variable (kept: the caller disposes them).
 * @example
 * ```ts
 * const model = createModel("modern", { seed: 1 });
 * const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
 * const part = partGradients(model, "logits", variables, new Float32Array(2 * 784), Int32Array.from([3, 7]), 28, 0.1);
 * part.grads.length; // 10, one per variable
 * tf.dispose(part.grads);
 * ```
 */
export function partGradients(
  model: tf.LayersModel,
  kind: OutputKind,
  variables: readonly tf.Variable[],
  inputs: Float32Array,
  labels: Int32Array,
  side: number,
  j: number,
): PartResult & {
  /** ∂(part's mean loss)/∂v for each of `variables`, same order and shapes. */
  grads: tf.Tensor[];
} {
  const n = labels.length;
  let loss = NaN;
  let correct = 0;
  const grads = tf.tidy(() => {
    const x = tf.tensor4d(inputs, [n, side, side, 1]); // [n, S, S, 1]
    const y = tf.tensor1d(labels, "int32"); // [n]
    const kept: { outputs?: tf.Tensor2D } = {};
    const { value, grads: byName } = tf.variableGrads(() => {
      const outputs = trainingForward(model, x) as tf.Tensor2D; // [n, 10]
      kept.outputs = tf.keep(outputs);
      return modelLoss(kind, y, outputs, j);
    }, variables as tf.Variable[]);
    loss = value.dataSync()[0];
    const outputs = kept.outputs as tf.Tensor2D; // [n, 10]
    // Read back once and count in JavaScript: cheaper than four tiny kernels and a read-back.
    correct = countCorrect(outputs.dataSync() as Float32Array, labels, kind);
    outputs.dispose();
    return variables.map((v) => byName[v.name]);
  });
  return { loss, correct, grads };
}

/**
 * How many rows of `outputs` [n, 10] pick their label: the largest logit ("logits") or the
 * smallest RBF distance ("rbf"), the first one on ties (as tf.argMax / tf.argMin).
 * @example
 * ```ts
 * countCorrect(Float32Array.from([0, 2, 1, 5, 3, 4, 0, 0, 0, 0,  9, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
 *   Int32Array.from([3, 1]), "logits"); // 1: row 0 picks 3 (right), row 1 picks 0 (wrong)
 * ```
 */
export function countCorrect(outputs: Float32Array, labels: Int32Array, kind: OutputKind): number {
  const classes = outputs.length / labels.length;
  let correct = 0;
  for (let row = 0; row < labels.length; row++) {
    let best = 0;
    for (let c = 1; c < classes; c++) {
      const value = outputs[row * classes + c];
      const bestValue = outputs[row * classes + best];
      if (kind === "rbf" ? value < bestValue : value > bestValue) best = c;
    }
    if (best === labels[row]) correct++;
  }
  return correct;
}

/** Settings of {@link chooseWorkers}. */
export interface WorkerChoice {
  /** What the caller asked for: a count, or "auto" (the default). */
  readonly requested?: number | "auto";
  /** The active backend ("auto" splits on wasm only). */
  readonly backend: BackendName;
  /** Mini-batch size, images ("auto" splits batches of ≥ {@link PARALLEL_MIN_BATCH}). */
  readonly batchSize: number;
  /** Training images the run will process (images per epoch × epochs). */
  readonly images: number;
  /** The model's builder options: batch normalisation or dropout keep it on one thread. */
  readonly modelOptions: ModelBuildOptions;
  /** Cores of this machine (default os.availableParallelism()). */
  readonly cores?: number;
}

/**
 * How many threads compute a step's gradients: 1 or 2. "auto" picks 2 only where it pays and
 * changes nothing but speed: the wasm backend (tfjs-node and cpu bring their own threading or
 * none worth it), at least 2 cores, batches of ≥ 32, runs of ≥ 20,000 images, and no batch
 * normalisation or dropout (see the file header). An explicit 2 still refuses those two.
 * @example
 * ```ts
 * chooseWorkers({ backend: "wasm", batchSize: 64, images: 600_000, modelOptions: {}, cores: 2 }); // 2
 * chooseWorkers({ backend: "wasm", batchSize: 64, images: 256, modelOptions: {}, cores: 2 }); // 1
 * ```
 */
export function chooseWorkers(choice: WorkerChoice): 1 | 2 {
  const { requested = "auto", modelOptions } = choice;
  if (requested !== "auto" && requested !== 1 && requested !== 2) {
    throw new RangeError(`trainModel: threads must be 1, 2 or "auto", got ${requested}`);
  }
  const splittable =
    !modelOptions.batchNorm && !(modelOptions.dropout ?? 0) && choice.batchSize >= 2;
  if (requested === 2 && !splittable) {
    throw new Error(
      "trainModel: threads = 2 cannot split a batch for batch normalisation or dropout, or of 1 image",
    );
  }
  if (requested !== "auto") return requested;
  const cores = choice.cores ?? availableParallelism();
  const pays =
    choice.backend === "wasm" &&
    cores >= 2 &&
    choice.batchSize >= PARALLEL_MIN_BATCH &&
    choice.images >= PARALLEL_MIN_IMAGES;
  return splittable && pays ? 2 : 1;
}

/** A message from the worker (see parallel-worker.ts). */
interface WorkerReply {
  readonly ready?: boolean;
  readonly shapes?: number[][];
  readonly error?: string;
  readonly loss?: number;
  readonly correct?: number;
  readonly grads?: Float32Array;
  readonly weights?: Float32Array;
}

/**
 * What of an optimiser's state can change outside its steps, as an object whose identity changes
 * with it: SDLM's Hessian estimate (set before each pass); nothing for the others.
 */
function outsideState(optimizer: Optimizer): unknown {
  return optimizer instanceof SdlmOptimizer ? optimizer.getHessian() : null;
}

/** A step for the worker (parallel-worker.ts). */
export interface WorkerStepRequest {
  readonly kind: "step";
  /** Its examples [theirs, S, S, 1] and labels [theirs]. */
  readonly inputs: Float32Array;
  readonly labels: Int32Array;
  /** The main thread's weights, flattened in order: sent when the worker's copy may differ. */
  readonly weights?: Float32Array;
  /** The optimiser's state, for a new replica: sent with the weights. */
  readonly optimizer?: OptimizerState;
  /** The learning rate of this step, and the two parts' weights |A|/n and |B|/n. */
  readonly learningRate: number;
  readonly mainWeight: number;
  readonly workerWeight: number;
  readonly batchSize: number;
}

/** The main thread's half-batch gradient, flattened: the second half of every step. */
export interface WorkerGradientsMessage {
  readonly kind: "gradients";
  readonly grads: Float32Array;
}

/**
 * g = |A|/n·g_A + |B|/n·g_B element by element, rounded to float32 at each operation, into
 * `target` (which may be `worker`): both threads compute it this way, so they agree to the bit.
 * @example
 * ```ts
 * averageGradients(new Float32Array(2), Float32Array.from([1, 2]), Float32Array.from([3, 4]), 0.5, 0.5);
 * // Float32Array [2, 3]
 * ```
 */
export function averageGradients(
  target: Float32Array,
  main: Float32Array,
  worker: Float32Array,
  mainWeight: number,
  workerWeight: number,
): Float32Array {
  for (let k = 0; k < target.length; k++) {
    target[k] = Math.fround(
      Math.fround(main[k] * mainWeight) + Math.fround(worker[k] * workerWeight),
    );
  }
  return target;
}

/** Tensors (gradients or weights) read back into one array, one after another in order. */
export function flattenTensors(tensors: readonly tf.Tensor[]): Float32Array {
  const flat = new Float32Array(tensors.reduce((total, t) => total + t.size, 0));
  let offset = 0;
  for (const t of tensors) {
    flat.set(t.dataSync() as Float32Array, offset);
    offset += t.size;
  }
  return flat;
}

/**
 * The ArrayBuffer under `array`, for a postMessage transfer list (which takes no
 * SharedArrayBuffer). Every array lenet5 transfers was made here on a plain ArrayBuffer; anything
 * else throws rather than being copied silently.
 * @example
 * ```ts
 * const grads = new Float32Array(4);
 * port.postMessage({ grads }, [transferableBuffer(grads)]);
 * ```
 */
export function transferableBuffer(array: ArrayBufferView): ArrayBuffer {
  const { buffer } = array;
  if (!(buffer instanceof ArrayBuffer)) throw new Error("transfer: not a plain ArrayBuffer");
  return buffer;
}

/** One optimiser step with a flattened gradient (split back into the variables' shapes). */
export function stepWithFlatGradient(
  optimizer: Optimizer,
  variables: readonly tf.Variable[],
  flat: Float32Array,
  batchSize: number,
): void {
  tf.tidy(() => {
    let offset = 0;
    const gradients = variables.map((v) => {
      const g = tf.tensor(flat.subarray(offset, offset + v.size), v.shape); // like w
      offset += v.size;
      return g;
    });
    optimizer.step(variables, gradients, { batchSize });
  });
}

/** What the worker needs to build its copy of the model. */
export interface ParallelSetup {
  /** The model the worker builds. */
  readonly modelName: ModelName;
  /** Its builder options (the same as the main thread's model). */
  readonly modelOptions: ModelBuildOptions;
  /** How the output is read: "rbf" (the paper's loss, eq. 9) or "logits" (softmax cross-entropy). */
  readonly kind: OutputKind;
  /** Input side S. */
  readonly side: number;
  /** The paper's loss constant j (RBF models). */
  readonly j: number;
  /** Fraction of each batch the main thread computes (default {@link MAIN_FRACTION}). */
  readonly mainFraction?: number;
}

/**
 * Training steps whose gradients two threads compute (see the file header). Start it with
 * {@link DataParallelStepper.start}; always {@link DataParallelStepper.dispose} it (ends the thread).
 * @example
 * ```ts
 * const model = createModel("modern", { seed: 1 });
 * const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
 * const setup = { modelName: "modern", modelOptions: {}, kind: "logits", side: 28, j: 0.1 } as const;
 * const stepper = await DataParallelStepper.start(setup, model, variables);
 * const { loss } = await stepper.step(new SgdOptimizer({ learningRate: 0.1 }), inputs, labels); // inputs [B, 28, 28, 1]
 * await stepper.dispose();
 * ```
 */
export class DataParallelStepper {
  private readonly pending: ((reply: WorkerReply) => void)[] = [];
  private failure: Error | null = null;
  /** What the worker's replica optimiser matches, after the last step. */
  private replica: {
    optimizer: Optimizer;
    iterations: number;
    outside: unknown;
    dataIds: object[];
  } | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly model: tf.LayersModel,
    private readonly variables: readonly tf.Variable[],
    private readonly setup: ParallelSetup,
  ) {
    worker.on("message", (reply: WorkerReply) => this.pending.shift()?.(reply));
    const fail = (error: Error) => {
      this.failure = error;
      while (this.pending.length > 0) this.pending.shift()!({ error: error.message });
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`the training worker exited (code ${code})`)));
  }

  /** The next reply of the worker, or its failure. */
  private reply(): Promise<WorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) =>
      this.pending.push((reply) =>
        reply.error === undefined
          ? resolve(reply)
          : reject(new Error(`training worker: ${reply.error}`)),
      ),
    );
  }

  /**
   * Starts the worker thread on the active backend and checks that its model has the same
   * trainable weights (shapes, in order) as `model`'s `variables`.
   */
  static async start(
    setup: ParallelSetup,
    model: tf.LayersModel,
    variables: readonly tf.Variable[],
  ): Promise<DataParallelStepper> {
    // Under tsx (tests, notebooks from source) the worker compiles TypeScript the same way.
    const loader = extname(__filename) === ".ts" ? require.resolve("tsx/cjs") : "";
    const worker = new Worker(
      `const { workerData } = require("node:worker_threads");
       if (workerData.loader) require(workerData.loader);
       require(workerData.file);`,
      {
        eval: true,
        workerData: { file: WORKER_FILE, loader, backend: activeBackend(), ...setup },
      },
    );
    const stepper = new DataParallelStepper(worker, model, variables, setup);
    try {
      const hello = await stepper.reply();
      const shapes = variables.map((v) => v.shape);
      if (JSON.stringify(hello.shapes) !== JSON.stringify(shapes)) {
        throw new Error(
          `the worker's ${setup.modelName} has weights ${JSON.stringify(hello.shapes)}, ` +
            `this model ${JSON.stringify(shapes)}`,
        );
      }
    } catch (error) {
      await stepper.dispose();
      throw error;
    }
    return stepper;
  }

  /**
   * One optimiser step on a batch of n ≥ 2 examples: this thread takes the first
   * {@link mainShare}(n) examples (half, rounded), the worker the rest; the averaged gradient goes
   * to `optimizer`. Returns the batch's mean loss and how many it got right.
   */
  async step(optimizer: Optimizer, inputs: Float32Array, labels: Int32Array): Promise<PartResult> {
    const n = labels.length;
    const { side } = this.setup;
    const mine = mainShare(n, this.setup.mainFraction ?? MAIN_FRACTION);
    const theirs = n - mine;
    const pixels = side * side;
    const replica = this.replica;
    const inSync =
      replica !== null &&
      replica.optimizer === optimizer &&
      replica.iterations === optimizer.iterations &&
      replica.outside === outsideState(optimizer) &&
      this.variables.every((v, i) => v.dataId === replica.dataIds[i]);
    const weights = inSync ? undefined : flattenTensors(this.variables);
    const request: WorkerStepRequest = {
      kind: "step",
      inputs: inputs.slice(mine * pixels, n * pixels), // [theirs, S, S, 1]
      labels: labels.slice(mine), // [theirs]
      ...(weights && { weights, optimizer: optimizer.getState() }),
      learningRate: optimizer.learningRate,
      mainWeight: mine / n,
      workerWeight: theirs / n,
      batchSize: n,
    };
    const replied = this.reply();
    const transfers = [transferableBuffer(request.inputs), transferableBuffer(request.labels)];
    this.worker.postMessage(
      request,
      weights ? [...transfers, transferableBuffer(weights)] : transfers,
    );
    const local = partGradients(
      this.model,
      this.setup.kind,
      this.variables,
      inputs.subarray(0, mine * pixels),
      labels.subarray(0, mine),
      side,
      this.setup.j,
    );
    const localFlat = flattenTensors(local.grads);
    tf.dispose(local.grads);
    // The worker averages the same two gradients and steps its replica meanwhile.
    const message: WorkerGradientsMessage = { kind: "gradients", grads: localFlat.slice() };
    this.worker.postMessage(message, [transferableBuffer(message.grads)]);
    const remote = await replied;
    // g = (|A|·g_A + |B|·g_B)/n, in place in the worker's buffer.
    const averaged = averageGradients(
      remote.grads!,
      localFlat,
      remote.grads!,
      request.mainWeight,
      request.workerWeight,
    );
    stepWithFlatGradient(optimizer, this.variables, averaged, n);
    this.replica = {
      optimizer,
      iterations: optimizer.iterations,
      outside: outsideState(optimizer),
      dataIds: this.variables.map((v) => v.dataId),
    };
    return {
      loss: (local.loss * mine + remote.loss! * theirs) / n,
      correct: local.correct + remote.correct!,
    };
  }

  /**
   * The worker's copy of the trainable weights, flattened in order: equal to the main thread's
   * after every step (a check for tests and for the curious).
   */
  async workerWeights(): Promise<Float32Array> {
    const replied = this.reply();
    this.worker.postMessage({ kind: "weights" });
    return (await replied).weights!;
  }

  /** Ends the worker thread. */
  async dispose(): Promise<void> {
    this.failure ??= new Error("the training worker was stopped");
    await this.worker.terminate();
  }
}
