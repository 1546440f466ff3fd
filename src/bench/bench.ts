/**
 * How fast lenet5's models train and infer on the active tfjs backend, and how that compares
 * with PyTorch running the same modern LeNet-5 on the same machine. No paper reference: the
 * paper trained on 1998 hardware; this measures today's.
 *
 * Measured per model (synthetic seeded inputs of the model's shape; speed does not depend on
 * the values):
 *   training   images/s = steps·B / seconds, B = `trainBatch` (default 64; `--batch` on the
 *              command line), one step being exactly what `trainModel` runs for a mini-batch
 *              (`startTrainingSteps`, src/train/train.ts): forward, loss (the paper's eq. 9 RBF
 *              loss for "rbf" models, softmax cross-entropy otherwise), backward and one step of
 *              the model's default optimiser (Adam; SDLM for `historical`), on one thread or
 *              split over two as trainModel would for a full MNIST epoch (src/train/parallel.ts),
 *              the loss read back every step so the work is done before the clock stops;
 *   inference  images/s = batches·M / seconds, M = `inferBatch` (default 1000), one forward pass
 *              of M images, read back.
 * PyTorch is given the same B and M.
 * After untimed warm-up steps, every measurement is repeated in `windows` timed windows; the
 * result is the median with the min–max. Where Debian's PyTorch imports under /usr/bin/python3,
 * scripts/bench_torch.py runs as a child process and its windows interleave with lenet5's
 * (round r: every tfjs window, then the PyTorch windows), so both see the same machine state.
 * PyTorch gets its best settings: GLIBC_TUNABLES malloc thresholds, OMP_WAIT_POLICY=PASSIVE,
 * and 1 and 2 threads both measured, the better median of each kind reported (and named); its
 * training step uses the same optimiser as lenet5's `modern` (Adam, lr 1e-3).
 *
 * Input shape: synthetic batches [B, S, S, 1] (training) and [M, S, S, 1] (inference), S the
 * model's input side (32 historical and seed-historical, 28 modern); labels [B].
 * Output: a {@link BenchResult}; `ratio` = lenet5's modern model ÷ PyTorch (above 1: lenet5 faster).
 * Progress lines go to `log` (stderr by default).
 */
import * as tf from "@tensorflow/tfjs";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { arch, cpus, loadavg, platform, totalmem } from "node:os";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { backendInfo, initBackend, type BackendName } from "../backend";
import { InterruptedError, interruptible, throwIfInterrupted } from "../interrupt";
import { MODEL_NAMES, MODEL_SPECS, createModel, type ModelName } from "../models/registry";
import { Rng } from "../rng";
import { median } from "../stats";
import type { OptimizerName } from "../train/optimizer-base";
import { createOptimizer } from "../train/optimizers";
import { chooseWorkers } from "../train/parallel";
import { sdlmMuForBatch } from "../train/sdlm";
import {
  DEFAULT_OPTIMIZERS,
  startTrainingSteps,
  yieldToEventLoop,
  type TrainingSteps,
} from "../train/train";
import { Engine } from "../engine/engine";
import { startNodeHelper } from "../engine/node-helper";
import { historicalParams } from "../models/historical";
import { modernParams } from "../models/modern";
import { TABLE_I } from "../paper";
import { engineSupports, engineThreadsFor, type TrainingEngine } from "../train/engine-steps";

/** Environment that steadies PyTorch on these VMs (large fresh allocations are slow there). */
export const TORCH_STEADY_ENV: Readonly<Record<string, string>> = {
  GLIBC_TUNABLES: "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824",
  OMP_WAIT_POLICY: "PASSIVE",
};

/** Debian's own Python, where `apt-get install python3-torch` puts PyTorch. */
export const DEFAULT_PYTHON = "/usr/bin/python3";

/** The PyTorch twin script, found from src/bench or dist/bench alike. */
export const DEFAULT_TORCH_SCRIPT = resolve(__dirname, "..", "..", "scripts", "bench_torch.py");

/** Options of {@link runBenchmark}; every field has a default. */
export interface BenchOptions {
  /** Models to time (default all: historical, seed-historical, modern). */
  readonly models?: readonly ModelName[];
  /** Timed windows per measurement (default 7). */
  readonly windows?: number;
  /** Training steps per tfjs window (default 30). */
  readonly trainSteps?: number;
  /** Inference batches per tfjs window (default 5). */
  readonly inferBatches?: number;
  /** Untimed training steps per model before the first window (default 5; plus one inference). */
  readonly warmupSteps?: number;
  /**
   * Untimed steps of the same kind right before every timed window, on both sides (default 3
   * training steps, and 1 inference batch): no window pays for switching from the model or
   * process timed just before it, a cost of benchmarking several in one run, not of training.
   */
  readonly windowWarmupSteps?: number;
  /** Training batch size (default 64). */
  readonly trainBatch?: number;
  /** Inference batch size (default 1000). */
  readonly inferBatch?: number;
  /**
   * Threads of the training step, as `trainModel`'s `threads` option (default "auto": what
   * trainModel picks for a full MNIST epoch at this batch size).
   */
  readonly threads?: 1 | 2 | "auto";
  /** Seed of the synthetic inputs and the weights (default 0). */
  readonly seed?: number;
  /** Backend to run on (default: lenet5's choice, see initBackend). */
  readonly backend?: BackendName;
  /** Time PyTorch too where it is importable (default true). */
  readonly torch?: boolean;
  /** Python to run the PyTorch twin with (default /usr/bin/python3, Debian's). */
  readonly python?: string;
  /** Arguments before the script's own (default none; tests run a stand-in through node). */
  readonly pythonArgs?: readonly string[];
  /** Path of scripts/bench_torch.py (default: found from this file). */
  readonly torchScript?: string;
  /** PyTorch thread counts to compare (default [1, 2]). */
  readonly torchThreads?: readonly number[];
  /** Training steps per PyTorch window (default 100: PyTorch is faster, windows stay ≥ 0.5 s). */
  readonly torchTrainSteps?: number;
  /** Inference batches per PyTorch window (default 10). */
  readonly torchInferBatches?: number;
  /**
   * Time the paper's online training too (default true when `historical` is measured):
   * `historical` with SDLM at batch 1, against a PyTorch twin of the faithful net at batch 1.
   */
  readonly online?: boolean;
  /** Online updates per lenet5 window (default 3000). */
  readonly onlineSteps?: number;
  /** Online updates per PyTorch window (default 300). */
  readonly torchOnlineSteps?: number;
  /** Where progress lines go (default: stderr). */
  readonly log?: (line: string) => void;
  /**
   * Stops the benchmark between timed windows (it throws an InterruptedError); so do Ctrl-C and
   * Jupyter's Kernel → Interrupt while it runs (src/interrupt.ts).
   */
  readonly signal?: AbortSignal;
}

/** A measurement over its timed windows, images per second. */
export interface RateSummary {
  /** Median of the window rates, images/s (the mean of the middle two for an even count). */
  readonly median: number;
  /** Slowest window, images/s. */
  readonly min: number;
  /** Fastest window, images/s. */
  readonly max: number;
  /** Every window's rate, in the order measured. */
  readonly windows: number[];
}

/** One tfjs model's figures. */
export interface ModelBench {
  /** Median training images/s over the windows, and the slowest and fastest window. */
  readonly trainImagesPerSec: number;
  /** Slowest training window, images/s. */
  readonly trainMin: number;
  /** Fastest training window, images/s. */
  readonly trainMax: number;
  /** Median inference images/s (batch `inferBatch`), and the slowest and fastest window. */
  readonly inferImagesPerSec: number;
  /** Slowest inference window, images/s. */
  readonly inferMin: number;
  /** Fastest inference window, images/s. */
  readonly inferMax: number;
  /** Every training window's rate, images/s, in the order measured. */
  readonly trainWindows: number[];
  /** Every inference window's rate, images/s, in the order measured. */
  readonly inferWindows: number[];
  /** Loss used in the training step. */
  readonly loss: "rbf" | "softmax-cross-entropy";
  /** Input side (28 or 32). */
  readonly inputSize: number;
  /**
   * Every parameter of the model, trainable or fixed (tfjs `countParams`): 60,840 for
   * `historical`, its 60,000 trainable ones and the 840 values of the fixed RBF prototypes.
   */
  readonly params: number;
  /** The loss of the last step (finite: the steps computed numbers). */
  readonly finalLoss: number;
  /** The optimiser of the training step: trainModel's default for the model. */
  readonly optimizer: OptimizerName;
  /** Threads that computed each training step's gradients (the engine's, or src/train/parallel.ts). */
  readonly threads: number;
  /** Which path ran the steps: lenet5's engine or tfjs autograd (trainModel's choice). */
  readonly engine: TrainingEngine;
}

/** The paper's online training: `historical`, SDLM, one example per update, images/s. */
export interface OnlineBench {
  /** lenet5's engine at batch 1 (one thread). */
  readonly lenet5: RateSummary;
  /** The faithful PyTorch twin at batch 1 (scripts/bench_torch.py), at its best thread count; null without PyTorch. */
  readonly torch: RateSummary | null;
  /** The thread count of `torch`. */
  readonly torchThreads: number | null;
}

/** PyTorch's figures: the better thread count for each kind, and both counts' details. */
export interface TorchBench {
  /** Median training images/s (batch `trainBatch`) at the best training thread count. */
  readonly trainImagesPerSec: number;
  /** Slowest training window at that thread count, images/s. */
  readonly trainMin: number;
  /** Fastest training window at that thread count, images/s. */
  readonly trainMax: number;
  /** Median inference images/s (batch `inferBatch`) at the best inference thread count. */
  readonly inferImagesPerSec: number;
  /** Slowest inference window at that thread count, images/s. */
  readonly inferMin: number;
  /** Fastest inference window at that thread count, images/s. */
  readonly inferMax: number;
  /** The thread count behind each reported median. */
  readonly threads: {
    /** Threads of the reported training median. */
    readonly train: number;
    /** Threads of the reported inference median. */
    readonly infer: number;
  };
  /** Every thread count measured (keyed by the count as a string): training and inference summaries. */
  readonly byThreads: Record<
    string,
    {
      /** Training rates at this thread count, images/s. */
      train: RateSummary;
      /** Inference rates at this thread count, images/s. */
      infer: RateSummary;
    }
  >;
  /** `torch.__version__` as the child reported it ("unknown" if it did not). */
  readonly torchVersion: string;
  /** The optimiser of PyTorch's training step (trainModel's default for `modern`: Adam). */
  readonly optimizer: string;
  /** Version of the Python that ran the child. */
  readonly pythonVersion: string;
  /** Path of the Python executable that ran the child (`sys.executable`). */
  readonly executable: string;
  /** The steadying settings the child ran with. */
  readonly env: Record<string, string | null>;
}

/** Everything {@link runBenchmark} measured, JSON-ready. */
export interface BenchResult {
  /** The tfjs backend measured, by lenet5's name. */
  readonly backend: BackendName;
  /** Whether the wasm backend runs with SIMD; absent for backends where it does not apply. */
  readonly simd?: boolean;
  /** Version of @tensorflow/tfjs. */
  readonly tfjsVersion: string;
  /** ISO date-time of the run. */
  readonly date: string;
  /** The machine the figures come from. */
  readonly machine: {
    /** Model name of the first CPU core, as the OS reports it. */
    readonly cpu: string;
    /** Logical CPU cores. */
    readonly cores: number;
    /** Total memory, GiB (one decimal). */
    readonly memoryGiB: number;
    /** Operating system and architecture, e.g. "linux x64". */
    readonly platform: string;
    /** Node.js version, e.g. "v20.20.0". */
    readonly node: string;
    /** 1-minute load average before and after the run: well above 0 before means others were
     *  using the CPU too (2 cores here), and the figures are lower and noisier than they should be. */
    readonly loadBefore: number;
    /** 1-minute load average after the run. */
    readonly loadAfter: number;
  };
  /** The settings the run used, defaults filled in (see {@link BenchOptions}). */
  readonly settings: {
    /** Timed windows per measurement. */
    readonly windows: number;
    /** Training steps per tfjs window. */
    readonly trainSteps: number;
    /** Inference batches per tfjs window. */
    readonly inferBatches: number;
    /** Untimed training steps per model before the first window. */
    readonly warmupSteps: number;
    /** Untimed training steps before every timed training window (1 batch before inference ones). */
    readonly windowWarmupSteps: number;
    /** Training batch size, images. */
    readonly trainBatch: number;
    /** Inference batch size, images. */
    readonly inferBatch: number;
    /** Training steps per PyTorch window. */
    readonly torchTrainSteps: number;
    /** Inference batches per PyTorch window. */
    readonly torchInferBatches: number;
    /** PyTorch thread counts compared. */
    readonly torchThreads: number[];
  };
  /** Each measured tfjs model's figures, by model name. */
  readonly models: Partial<Record<ModelName, ModelBench>>;
  /** PyTorch's figures, or null where it was off or not importable (see `torchNote`). */
  readonly torch: TorchBench | null;
  /** Why `torch` is null, when it is. */
  readonly torchNote?: string;
  /** The paper's online training, where measured (see {@link BenchOptions.online}). */
  readonly online: OnlineBench | null;
  /** lenet5 ÷ PyTorch; null without both. */
  readonly ratio: {
    /** Median training images/s, modern ÷ PyTorch's modern (above 1: lenet5 faster). */
    readonly train: number;
    /** Median inference images/s, modern ÷ PyTorch's modern (above 1: lenet5 faster). */
    readonly infer: number;
    /** Median training images/s, lenet5's historical ÷ PyTorch's modern, both at the same batch. */
    readonly historicalTrain: number | null;
    /** Online (batch 1) images/s, lenet5's historical ÷ the faithful PyTorch twin. */
    readonly online: number | null;
  } | null;
}

/**
 * Median, min and max of window rates.
 * @example
 * ```ts
 * summarise([3, 1, 2, 10]); // { median: 2.5, min: 1, max: 10, windows: [3, 1, 2, 10] }
 * ```
 */
export function summarise(windows: readonly number[]): RateSummary {
  if (windows.length === 0) throw new RangeError("summarise: no windows");
  return {
    median: median(windows),
    min: Math.min(...windows),
    max: Math.max(...windows),
    windows: [...windows],
  };
}

/**
 * A training and an inference summary as a benchmark record's flat fields (median, slowest and
 * fastest window of each), the shape {@link ModelBench} and {@link TorchBench} share.
 */
function flatRates(train: RateSummary, infer: RateSummary) {
  return {
    trainImagesPerSec: train.median,
    trainMin: train.min,
    trainMax: train.max,
    inferImagesPerSec: infer.median,
    inferMin: infer.min,
    inferMax: infer.max,
  };
}

/** Window rates of one measured side (a tfjs model, or PyTorch at one thread count), images/s. */
interface WindowRates {
  /** Training windows, in the order measured. */
  readonly train: number[];
  /** Inference windows, in the order measured. */
  readonly infer: number[];
}

/** One model set up for timing: weights, optimiser and fixed synthetic batches. */
interface Subject {
  readonly name: ModelName;
  readonly model: tf.Sequential;
  readonly optimizer: OptimizerName;
  readonly threads: number;
  readonly engine: TrainingEngine;
  /** Its timed windows so far. */
  readonly windows: WindowRates;
  /** The loss of the last training step (NaN before the first). */
  readonly lastLoss: number;
  /** One training step, trainModel's own; resolves to the loss. */
  trainStep(): Promise<number>;
  /** One inference batch, read back (on the engine where it runs the model). */
  inferBatch(): void;
  dispose(): Promise<void>;
}

/** Seeded synthetic inputs [count, S, S, 1] and labels: speed does not depend on the values. */
function syntheticBatch(rng: Rng, count: number, side: number) {
  const inputs = Float32Array.from({ length: count * side * side }, () => rng.normal());
  const labels = Int32Array.from({ length: count }, () => rng.int(10));
  return { inputs, labels };
}

/**
 * The forward pass of a batch, read back: on an engine of its own (two threads) for a model
 * the engine runs, else tfjs's `model.apply`. Returns the pass and its disposal.
 */
function inferenceOf(name: ModelName, model: tf.Sequential, inputs: Float32Array, count: number) {
  const side = MODEL_SPECS[name].inputSize;
  if (engineSupports(name)) {
    const engine = Engine.create(name === "historical" ? "historical" : "modern", {
      maxBatch: count,
      helper: startNodeHelper,
    });
    if (name === "historical") engine.setParams(historicalParams(model));
    else engine.setParams(modernParams(model) as never);
    return { run: () => void engine.predict(inputs), dispose: () => engine.dispose() };
  }
  const x = tf.tensor4d(inputs, [count, side, side, 1]); // [M, S, S, 1]
  const run = () => {
    const output = tf.tidy(() => model.apply(x) as tf.Tensor2D); // [M, 10]
    output.dataSync();
    output.dispose();
  };
  return { run, dispose: () => x.dispose() };
}

/**
 * Builds a model with synthetic seeded inputs [batch, S, S, 1] and labels for timing, and the
 * training steps `trainModel` would run on it (its default optimiser, path and thread choice).
 */
async function makeSubject(
  name: ModelName,
  settings: { trainBatch: number; inferBatch: number; threads: 1 | 2 | "auto" },
  backend: BackendName,
  seed: number,
): Promise<Subject> {
  const size = MODEL_SPECS[name].inputSize;
  const rng = new Rng(seed);
  const train = syntheticBatch(rng, settings.trainBatch, size);
  const inferX = syntheticBatch(rng, settings.inferBatch, size).inputs;
  const model = createModel(name, { seed });
  const optimizerName = DEFAULT_OPTIMIZERS[name];
  const optimizer = createOptimizer(optimizerName, { mu: sdlmMuForBatch(settings.trainBatch) });
  const requested = settings.threads === "auto" ? undefined : settings.threads;
  const threads = engineSupports(name)
    ? engineThreadsFor(settings.trainBatch, requested)
    : chooseWorkers({
        requested: settings.threads,
        backend,
        batchSize: settings.trainBatch,
        images: 60_000, // one MNIST epoch
        modelOptions: {},
      });
  let steps: TrainingSteps;
  try {
    steps = await startTrainingSteps({
      model,
      modelName: name,
      modelOptions: {},
      optimizer,
      side: size,
      threads,
      maxBatch: settings.trainBatch,
    });
  } catch (error) {
    optimizer.dispose();
    model.dispose();
    throw error;
  }
  const inference = inferenceOf(name, model, inferX, settings.inferBatch);
  let lastLoss = Number.NaN;
  return {
    name,
    model,
    optimizer: optimizerName,
    threads: steps.threads,
    engine: steps.engine,
    windows: { train: [], infer: [] },
    get lastLoss() {
      return lastLoss;
    },
    async trainStep() {
      lastLoss = (await steps.step(train.inputs, train.labels)).loss;
      return lastLoss;
    },
    inferBatch: inference.run,
    async dispose() {
      await steps.dispose();
      inference.dispose();
      optimizer.dispose();
      model.dispose();
    },
  };
}

/** The paper's online training set up for timing: `historical`, SDLM, batch 1, one thread. */
async function makeOnlineSubject(seed: number) {
  const rng = new Rng(seed + 1);
  const examples = syntheticBatch(rng, 256, 32);
  const model = createModel("historical", { seed });
  const optimizer = createOptimizer("sdlm", { mu: sdlmMuForBatch(1) });
  const steps = await startTrainingSteps({
    model,
    modelName: "historical",
    modelOptions: {},
    optimizer,
    side: 32,
    threads: 1,
    maxBatch: 1,
  });
  let next = 0;
  return {
    windows: [] as number[],
    async step() {
      const k = next++ % 256;
      await steps.step(
        examples.inputs.subarray(k * 1024, (k + 1) * 1024),
        examples.labels.subarray(k, k + 1),
      );
    },
    async dispose() {
      await steps.dispose();
      optimizer.dispose();
      model.dispose();
    },
  };
}

/** Runs `work` `times` times, one after another; returns images per second. */
async function timeRate(
  times: number,
  imagesEach: number,
  work: () => void | Promise<void>,
): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < times; i++) await work();
  const seconds = (performance.now() - start) / 1000;
  return (times * imagesEach) / seconds;
}

/** A reply of the PyTorch child, one JSON line. */
interface TorchReply {
  readonly ready?: boolean;
  readonly error?: string;
  readonly images?: number;
  readonly seconds?: number;
  readonly torch?: string;
  readonly optimizer?: string;
  readonly python?: string;
  readonly executable?: string;
  readonly env?: Record<string, string | null>;
}

/** The PyTorch twin as a child process that times one window per request (scripts/bench_torch.py --serve). */
class TorchPeer {
  private readonly waiting: ((reply: TorchReply | Error) => void)[] = [];
  private readonly early: (TorchReply | Error)[] = [];
  private stderr = "";
  private closed = false;

  private constructor(private readonly child: ChildProcess) {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      let reply: TorchReply | Error;
      try {
        reply = JSON.parse(line) as TorchReply;
      } catch {
        reply = new Error(`unexpected output from the PyTorch child: ${line.slice(0, 200)}`);
      }
      this.deliver(reply);
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    const fail = (why: string) => {
      this.closed = true;
      const error = new Error(
        `${why}${this.stderr ? `: ${this.stderr.trim().split("\n").slice(-3).join(" | ")}` : ""}`,
      );
      while (this.waiting.length > 0) this.waiting.shift()!(error);
      this.early.push(error);
    };
    child.on("error", (error) => fail(`the PyTorch child could not start (${error.message})`));
    lines.on("close", () => fail("the PyTorch child exited"));
  }

  private deliver(reply: TorchReply | Error): void {
    const resolveNext = this.waiting.shift();
    if (resolveNext) resolveNext(reply);
    else this.early.push(reply);
  }

  /** The next reply line. */
  private next(): Promise<TorchReply> {
    return new Promise((resolveReply, rejectReply) => {
      const handle = (reply: TorchReply | Error) =>
        reply instanceof Error ? rejectReply(reply) : resolveReply(reply);
      const ready = this.early.shift();
      if (ready !== undefined) handle(ready);
      else this.waiting.push(handle);
    });
  }

  /** Starts the child and waits for its "ready" line; a string says why PyTorch is unavailable. */
  static async start(
    python: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv,
  ): Promise<{ peer: TorchPeer; hello: TorchReply } | string> {
    const child = spawn(python, [...args, "--serve"], { env, stdio: ["pipe", "pipe", "pipe"] });
    const peer = new TorchPeer(child);
    try {
      const hello = await peer.next();
      if (!hello.ready) {
        peer.close();
        return hello.error ?? "the PyTorch child did not start";
      }
      return { peer, hello };
    } catch (error) {
      peer.close();
      return (error as Error).message;
    }
  }

  /** Sends one command and waits for its reply. */
  async request(command: Record<string, number | string>): Promise<TorchReply> {
    if (this.closed) throw new Error("the PyTorch child is gone");
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
    const reply = await this.next();
    if (reply.error) throw new Error(`PyTorch child: ${reply.error}`);
    return reply;
  }

  /** Asks the child to quit (and makes sure it does). */
  close(): void {
    if (this.child.exitCode === null && !this.child.killed) {
      if (!this.closed && this.child.stdin?.writable)
        this.child.stdin.end(`${JSON.stringify({ op: "quit" })}\n`);
      const timer = setTimeout(() => this.child.kill(), 2000);
      timer.unref();
    }
    this.closed = true;
  }
}

/** A rate from a PyTorch window reply. */
function replyRate(reply: TorchReply): number {
  if (!(reply.images! > 0) || !(reply.seconds! > 0)) {
    throw new Error(`PyTorch child sent a window without images/seconds: ${JSON.stringify(reply)}`);
  }
  return reply.images! / reply.seconds!;
}

/** Rounds a rate for the progress lines. */
const rate = (imagesPerSecond: number) => `${Math.round(imagesPerSecond)} img/s`;

/** {@link BenchOptions} with every default filled in and checked. */
interface BenchSettings {
  readonly models: ModelName[];
  readonly windows: number;
  readonly trainSteps: number;
  readonly inferBatches: number;
  readonly warmupSteps: number;
  readonly windowWarmupSteps: number;
  readonly trainBatch: number;
  readonly inferBatch: number;
  readonly threads: 1 | 2 | "auto";
  readonly seed: number;
  readonly torchThreads: number[];
  readonly torchTrainSteps: number;
  readonly torchInferBatches: number;
  readonly online: boolean;
  readonly onlineSteps: number;
  readonly torchOnlineSteps: number;
}

/** The options with their defaults; throws a RangeError on a count that makes no sense. */
function benchSettings(options: BenchOptions): BenchSettings {
  const settings: BenchSettings = {
    models: [...(options.models ?? MODEL_NAMES)],
    windows: options.windows ?? 7,
    trainSteps: options.trainSteps ?? 30,
    inferBatches: options.inferBatches ?? 5,
    warmupSteps: options.warmupSteps ?? 5,
    windowWarmupSteps: options.windowWarmupSteps ?? 3,
    trainBatch: options.trainBatch ?? 64,
    inferBatch: options.inferBatch ?? 1000,
    threads: options.threads ?? "auto",
    seed: options.seed ?? 0,
    torchThreads: [...(options.torchThreads ?? [1, 2])],
    torchTrainSteps: options.torchTrainSteps ?? 100,
    torchInferBatches: options.torchInferBatches ?? 10,
    online: options.online ?? (options.models ?? MODEL_NAMES).includes("historical"),
    onlineSteps: options.onlineSteps ?? 3000,
    torchOnlineSteps: options.torchOnlineSteps ?? 300,
  };
  for (const key of [
    "windows",
    "trainSteps",
    "inferBatches",
    "trainBatch",
    "inferBatch",
    "torchTrainSteps",
    "torchInferBatches",
    "onlineSteps",
    "torchOnlineSteps",
  ] as const) {
    const value = settings[key];
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`runBenchmark: ${key} must be a positive integer, got ${value}`);
  }
  for (const key of ["warmupSteps", "windowWarmupSteps"] as const) {
    if (!Number.isInteger(settings[key]) || settings[key] < 0) {
      throw new RangeError(`runBenchmark: ${key} must be an integer ≥ 0, got ${settings[key]}`);
    }
  }
  if (
    settings.torchThreads.length === 0 ||
    settings.torchThreads.some((t) => !Number.isInteger(t) || t < 1)
  ) {
    throw new RangeError(
      `runBenchmark: torchThreads must be positive integers, got ${settings.torchThreads}`,
    );
  }
  return settings;
}

/** The PyTorch side of a run: the child and its hello line, or why there is none. */
type TorchSide =
  | {
      readonly peer: TorchPeer;
      readonly hello: TorchReply;
      readonly windows: Map<number, WindowRates>;
      /** The faithful twin's online windows, per thread count. */
      readonly online: Map<number, number[]>;
    }
  | { readonly note: string };

/**
 * Starts the PyTorch twin with the run's seed, optimiser and batch sizes and the steadying
 * environment, unless turned off or its script is missing.
 */
async function startTorch(
  options: BenchOptions,
  settings: BenchSettings,
  log: (line: string) => void,
): Promise<TorchSide> {
  if (options.torch === false) return { note: "PyTorch comparison turned off" };
  const python = options.python ?? DEFAULT_PYTHON;
  const script = options.torchScript ?? DEFAULT_TORCH_SCRIPT;
  if (!existsSync(script)) return { note: `PyTorch twin script not found at ${script}` };
  log(`[bench] starting PyTorch twin: ${python} ${script}`);
  const started = await TorchPeer.start(
    python,
    [
      ...(options.pythonArgs ?? []),
      script,
      "--seed",
      String(settings.seed),
      "--optimizer",
      DEFAULT_OPTIMIZERS.modern,
      // The same batch sizes on both sides, whatever the settings.
      "--train-batch",
      String(settings.trainBatch),
      "--infer-batch",
      String(settings.inferBatch),
      // Table I for the faithful twin's masked C3 (the one copy of it is src/paper.ts).
      "--table",
      JSON.stringify(TABLE_I),
    ],
    { ...process.env, ...TORCH_STEADY_ENV },
  );
  if (typeof started === "string") return { note: `PyTorch not available: ${started}` };
  const windows = new Map(settings.torchThreads.map((t) => [t, { train: [], infer: [] }]));
  const online = new Map(settings.torchThreads.map((t) => [t, [] as number[]]));
  return { ...started, windows, online };
}

/** Untimed steps before the first round: each model's, and PyTorch's at each thread count. */
async function warmUp(
  subjects: readonly Subject[],
  torch: TorchSide,
  settings: BenchSettings,
  signal: AbortSignal,
): Promise<void> {
  for (const subject of subjects) {
    for (let i = 0; i < settings.warmupSteps; i++) await subject.trainStep();
    subject.inferBatch();
    await checkpoint(signal);
  }
  if (!("peer" in torch)) return;
  for (const threads of settings.torchThreads) {
    await torch.peer.request({ op: "warmup", threads, steps: Math.max(1, settings.warmupSteps) });
  }
}

/** One model's timed training and inference windows of a round, each after its own warm-up. */
async function timeSubjectWindows(
  subject: Subject,
  settings: BenchSettings,
  tag: string,
  log: (line: string) => void,
): Promise<void> {
  for (let i = 0; i < settings.windowWarmupSteps; i++) await subject.trainStep();
  const trainRate = await timeRate(settings.trainSteps, settings.trainBatch, async () => {
    await subject.trainStep();
  });
  if (settings.windowWarmupSteps > 0) subject.inferBatch();
  const inferRate = await timeRate(settings.inferBatches, settings.inferBatch, () =>
    subject.inferBatch(),
  );
  subject.windows.train.push(trainRate);
  subject.windows.infer.push(inferRate);
  log(`${tag} ${subject.name}: train ${rate(trainRate)}, infer ${rate(inferRate)}`);
}

/** PyTorch's windows of a round at every thread count, the order rotated by `round`. */
async function timeTorchWindows(
  torch: TorchSide,
  settings: BenchSettings,
  round: number,
  tag: string,
  log: (line: string) => void,
): Promise<void> {
  if (!("peer" in torch)) return;
  const { peer } = torch;
  const warm = settings.windowWarmupSteps;
  // Rotate the thread order every round so neither count always runs first.
  const order = settings.torchThreads.map((_, i, all) => all[(i + round) % all.length]);
  for (const threads of order) {
    if (warm > 0) await peer.request({ op: "warmup", threads, steps: warm });
    const trainRate = replyRate(
      await peer.request({ op: "train", threads, steps: settings.torchTrainSteps }),
    );
    if (warm > 0) await peer.request({ op: "infer", threads, batches: 1 });
    const inferRate = replyRate(
      await peer.request({ op: "infer", threads, batches: settings.torchInferBatches }),
    );
    torch.windows.get(threads)!.train.push(trainRate);
    torch.windows.get(threads)!.infer.push(inferRate);
    log(
      `${tag} pytorch ${threads} thread${threads > 1 ? "s" : ""}: train ${rate(trainRate)}, infer ${rate(inferRate)}`,
    );
  }
}

/** A measured model's figures, from its windows. */
function modelBench(subject: Subject): ModelBench {
  const spec = MODEL_SPECS[subject.name];
  const train = summarise(subject.windows.train);
  const infer = summarise(subject.windows.infer);
  return {
    ...flatRates(train, infer),
    trainWindows: train.windows,
    inferWindows: infer.windows,
    loss: spec.output === "rbf" ? "rbf" : "softmax-cross-entropy",
    inputSize: spec.inputSize,
    params: subject.model.countParams(),
    finalLoss: subject.lastLoss,
    optimizer: subject.optimizer,
    threads: subject.threads,
    engine: subject.engine,
  };
}

/** PyTorch's figures: every thread count summarised, the best median of each kind reported. */
function torchBench(
  torch: Extract<TorchSide, { peer: TorchPeer }>,
  settings: BenchSettings,
  python: string,
): TorchBench {
  const byThreads: TorchBench["byThreads"] = {};
  for (const threads of settings.torchThreads) {
    const windows = torch.windows.get(threads)!;
    byThreads[String(threads)] = {
      train: summarise(windows.train),
      infer: summarise(windows.infer),
    };
  }
  const best = (kind: "train" | "infer") =>
    settings.torchThreads.reduce((a, b) =>
      byThreads[String(b)][kind].median > byThreads[String(a)][kind].median ? b : a,
    );
  const trainThreads = best("train");
  const inferThreads = best("infer");
  const { hello } = torch;
  return {
    ...flatRates(byThreads[String(trainThreads)].train, byThreads[String(inferThreads)].infer),
    threads: { train: trainThreads, infer: inferThreads },
    byThreads,
    torchVersion: hello.torch ?? "unknown",
    optimizer: hello.optimizer ?? "unknown",
    pythonVersion: hello.python ?? "unknown",
    executable: hello.executable ?? python,
    env: hello.env ?? {},
  };
}

/** This machine, as {@link BenchResult} records it; `loadBefore` was read before the run. */
function describeMachine(loadBefore: number): BenchResult["machine"] {
  const cpuList = cpus();
  return {
    cpu: cpuList[0]?.model.trim() ?? "unknown",
    cores: cpuList.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadBefore: Math.round(loadBefore * 100) / 100,
    loadAfter: Math.round(loadavg()[0] * 100) / 100,
    platform: `${platform()} ${arch()}`,
    node: process.version,
  };
}

/** The settings as {@link BenchResult} records them (what the figures depend on). */
function recordedSettings(settings: BenchSettings): BenchResult["settings"] {
  const { windows, trainSteps, inferBatches, warmupSteps, windowWarmupSteps } = settings;
  const { trainBatch, inferBatch, torchTrainSteps, torchInferBatches, torchThreads } = settings;
  return {
    windows,
    trainSteps,
    inferBatches,
    warmupSteps,
    windowWarmupSteps,
    trainBatch,
    inferBatch,
    torchTrainSteps,
    torchInferBatches,
    torchThreads,
  };
}

/** Warns when others were using the CPU before the run: the figures will be low and noisy. */
function warnIfBusy(loadBefore: number, log: (line: string) => void): void {
  if (loadBefore > 0.5) {
    log(
      `[bench] warning: load average ${loadBefore.toFixed(2)} before the run: other processes share the CPU, figures will be low and noisy`,
    );
  }
}

/** The online subject (lenet5's `historical` at batch 1), when the run measures it. */
type OnlineSubject = Awaited<ReturnType<typeof makeOnlineSubject>>;

/** One round's online windows: lenet5's, then the faithful twin's at each thread count. */
async function timeOnlineWindows(
  online: OnlineSubject,
  torch: TorchSide,
  settings: BenchSettings,
  tag: string,
  log: (line: string) => void,
): Promise<void> {
  for (let i = 0; i < 20; i++) await online.step(); // untimed, as every window
  const mine = await timeRate(settings.onlineSteps, 1, () => online.step());
  online.windows.push(mine);
  log(`${tag} historical online (batch 1, SDLM): ${rate(mine)}`);
  if (!("peer" in torch)) return;
  for (const threads of settings.torchThreads) {
    await torch.peer.request({ op: "online", threads, steps: 20 });
    const theirs = replyRate(
      await torch.peer.request({ op: "online", threads, steps: settings.torchOnlineSteps }),
    );
    torch.online.get(threads)!.push(theirs);
    log(
      `${tag} pytorch faithful twin online, ${threads} thread${threads > 1 ? "s" : ""}: ${rate(theirs)}`,
    );
  }
}

/** Every timed round: each model's windows, then PyTorch's (see the file header), then online. */
async function timeRounds(
  subjects: readonly Subject[],
  online: OnlineSubject | null,
  torch: TorchSide,
  settings: BenchSettings,
  log: (line: string) => void,
  signal: AbortSignal,
): Promise<void> {
  log(`[bench] warm-up done; ${settings.windows} rounds of timed windows`);
  for (let round = 0; round < settings.windows; round++) {
    const tag = `[bench] round ${round + 1}/${settings.windows}`;
    for (const subject of subjects) {
      await timeSubjectWindows(subject, settings, tag, log);
      await checkpoint(signal);
    }
    await timeTorchWindows(torch, settings, round, tag, log);
    await checkpoint(signal);
    if (online !== null) await timeOnlineWindows(online, torch, settings, tag, log);
    await checkpoint(signal);
  }
}

/**
 * Between windows: lets the event loop deliver SIGINT (a single-thread step resolves without
 * ever reaching it), then stops if the signal aborted.
 */
async function checkpoint(signal: AbortSignal): Promise<void> {
  await yieldToEventLoop();
  throwIfInterrupted(signal, "runBenchmark");
}

/** The online figures: lenet5's windows, and the twin's at its best thread count. */
function onlineBench(online: OnlineSubject, torch: TorchSide): OnlineBench {
  if (!("peer" in torch))
    return { lenet5: summarise(online.windows), torch: null, torchThreads: null };
  const [threads, windows] = [...torch.online.entries()].reduce((a, b) =>
    median(b[1]) > median(a[1]) ? b : a,
  );
  return { lenet5: summarise(online.windows), torch: summarise(windows), torchThreads: threads };
}

/** lenet5 ÷ PyTorch where both were measured, and the note when not. */
function compareWithTorch(
  models: Partial<Record<ModelName, ModelBench>>,
  online: OnlineBench | null,
  pytorch: TorchBench | null,
  torch: TorchSide,
): Pick<BenchResult, "ratio" | "torchNote"> {
  if ("note" in torch) return { ratio: null, torchNote: torch.note };
  const { modern, historical } = models;
  if (!modern || !pytorch) {
    return { ratio: null, torchNote: "no ratio: the modern model was not measured" };
  }
  return {
    ratio: {
      train: modern.trainImagesPerSec / pytorch.trainImagesPerSec,
      infer: modern.inferImagesPerSec / pytorch.inferImagesPerSec,
      historicalTrain: historical ? historical.trainImagesPerSec / pytorch.trainImagesPerSec : null,
      online: online?.torch ? online.lenet5.median / online.torch.median : null,
    },
  };
}

/**
 * Measures training and inference images/s of each model on the active backend (and PyTorch's
 * modern LeNet-5 alongside, where it is importable), windows interleaved; see the file header.
 * `signal`, Ctrl-C or Jupyter's Kernel → Interrupt stop it between windows (InterruptedError).
 * @example
 * ```ts
 * const result = await runBenchmark({ models: ["modern"], windows: 3, trainSteps: 5, torch: false });
 * result.models.modern?.trainImagesPerSec; // e.g. 1400
 * ```
 */
export async function runBenchmark(options: BenchOptions = {}): Promise<BenchResult> {
  return interruptible(options.signal, "runBenchmark", async (signal) => {
    try {
      return await benchmark(options, signal);
    } catch (error) {
      // Ctrl-C also reaches the PyTorch child (same process group), which then fails its request.
      if (signal.aborted) throw new InterruptedError("runBenchmark");
      throw error;
    }
  });
}

/** {@link runBenchmark} with the signal that also carries SIGINT. */
async function benchmark(options: BenchOptions, signal: AbortSignal): Promise<BenchResult> {
  const settings = benchSettings(options);
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const loadBefore = loadavg()[0];
  const backend = await initBackend(options.backend);
  const info = backendInfo();
  log(
    `[bench] backend ${backend}${info.simd ? " (SIMD)" : ""}, tfjs ${info.tfjsVersion}; models ${settings.models.join(", ")}`,
  );
  const torch = await startTorch(options, settings, log);
  if ("note" in torch) log(`[bench] ${torch.note}`);
  warnIfBusy(loadBefore, log);

  const subjects: Subject[] = [];
  let online: OnlineSubject | null = null;
  try {
    for (const name of settings.models) {
      subjects.push(await makeSubject(name, settings, backend, settings.seed));
    }
    if (settings.online) online = await makeOnlineSubject(settings.seed);
    await warmUp(subjects, torch, settings, signal);
    await timeRounds(subjects, online, torch, settings, log, signal);
  } finally {
    for (const subject of subjects) await subject.dispose();
    await online?.dispose();
    if ("peer" in torch) torch.peer.close();
  }

  const models: Partial<Record<ModelName, ModelBench>> = {};
  for (const subject of subjects) models[subject.name] = modelBench(subject);
  const pytorch =
    "peer" in torch ? torchBench(torch, settings, options.python ?? DEFAULT_PYTHON) : null;
  const onlineFigures = online === null ? null : onlineBench(online, torch);
  const { ratio, torchNote } = compareWithTorch(models, onlineFigures, pytorch, torch);
  return {
    backend,
    ...(info.simd === undefined ? {} : { simd: info.simd }),
    tfjsVersion: info.tfjsVersion,
    date: new Date().toISOString(),
    machine: describeMachine(loadBefore),
    settings: recordedSettings(settings),
    models,
    torch: pytorch,
    ...(torchNote === undefined ? {} : { torchNote }),
    online: onlineFigures,
    ratio,
  };
}

/**
 * The result as a plain-text table (what `lenet5 bench` prints without --json).
 * @example
 * ```ts
 * console.log(formatBenchmark(result)); // result from runBenchmark
 * ```
 */
export function formatBenchmark(result: BenchResult): string {
  const number = (value: number) => Math.round(value).toLocaleString("en-US");
  const cell = (median: number, min: number, max: number) =>
    `${number(median)} (${number(min)}–${number(max)})`;
  const rows: string[][] = [
    ["model", "train img/s, median (min–max)", "infer img/s, median (min–max)"],
  ];
  for (const name of MODEL_NAMES) {
    const m = result.models[name];
    if (m)
      rows.push([
        `${name} [${result.backend}, ${m.optimizer}, ${m.threads}T]`,
        cell(m.trainImagesPerSec, m.trainMin, m.trainMax),
        cell(m.inferImagesPerSec, m.inferMin, m.inferMax),
      ]);
  }
  const t = result.torch;
  if (t) {
    rows.push([
      `modern [PyTorch ${t.torchVersion}, ${t.optimizer}]`,
      `${cell(t.trainImagesPerSec, t.trainMin, t.trainMax)} ${t.threads.train}T`,
      `${cell(t.inferImagesPerSec, t.inferMin, t.inferMax)} ${t.threads.infer}T`,
    ]);
  }
  const widths = rows[0].map((_, k) => Math.max(...rows.map((row) => row[k].length)));
  const lines = rows.map((row) =>
    row
      .map((text, k) => text.padEnd(widths[k]))
      .join("  ")
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  const s = result.settings;
  lines.push(
    "",
    `${result.backend}${result.simd ? " (SIMD)" : ""}, tfjs ${result.tfjsVersion}, ${result.machine.cpu} × ${result.machine.cores}, Node ${result.machine.node}`,
    `${s.windows} windows of ${s.trainSteps} training steps (batch ${s.trainBatch}) and ${s.inferBatches} inference batches (${s.inferBatch}) per model`,
  );
  const o = result.online;
  if (o) {
    const twin = o.torch
      ? `; PyTorch's faithful twin ${cell(o.torch.median, o.torch.min, o.torch.max)} (${o.torchThreads}T)`
      : "";
    lines.push(
      `historical online (batch 1, SDLM): ${cell(o.lenet5.median, o.lenet5.min, o.lenet5.max)} img/s${twin}`,
    );
  }
  if (result.ratio) {
    const r = result.ratio;
    const extra = [
      r.historicalTrain === null ? "" : `, historical train ${r.historicalTrain.toFixed(2)}×`,
      r.online === null ? "" : `, online ${r.online.toFixed(2)}×`,
    ].join("");
    lines.push(
      `lenet5 ÷ PyTorch: modern train ${r.train.toFixed(2)}×, infer ${r.infer.toFixed(2)}×${extra} (PyTorch threads: train ${t!.threads.train}, infer ${t!.threads.infer})`,
    );
  } else if (result.torchNote) {
    lines.push(`PyTorch: ${result.torchNote}`);
  }
  return lines.join("\n");
}
