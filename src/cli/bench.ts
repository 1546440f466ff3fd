/**
 * `lenet5 bench`: the command-line face of {@link runBenchmark} — parses the options, runs the
 * benchmark, prints a table or (with --json) the result as JSON on stdout; progress goes to
 * stderr. The entry point (main.ts) wires it; the measuring lives in src/bench.
 */
import { integerOption, oneOf, parseOptions, positiveInteger } from "./args";
import { MODEL_NAMES, type ModelName } from "../models/registry";
import { formatBenchmark, runBenchmark, type BenchOptions } from "../bench/bench";

/** Usage text of `lenet5 bench`, for the CLI's help. */
export const BENCH_USAGE = `lenet5 bench [--json] [--models a,b] [--windows N] [--train-steps N] [--infer-batches N]
             [--warmup N] [--window-warmup N] [--batch N] [--threads 1|2|auto] [--no-torch] [--python PATH] [--torch-threads 1,2]
             [--quick]
    Training and inference images/s of each model on the active backend (median and min–max of
    timed windows), with PyTorch's modern LeNet-5 interleaved where /usr/bin/python3 imports it.
    Whole numbers: --windows 1–1,000; --train-steps, --infer-batches 1–100,000; --warmup,
    --window-warmup 0–100,000; --batch 1–4,096; --torch-threads 1–64.`;

/** Largest --train-steps, --infer-batches, --warmup and --window-warmup. */
const MAX_STEPS = 100_000;

/** Where the command writes: stdout for the result, stderr for progress. */
export interface BenchIo {
  /** Receives the result: the table, or the JSON with --json. */
  readonly stdout: (text: string) => void;
  /** Receives the progress lines. */
  readonly stderr: (text: string) => void;
}

/** The --threads value as runBenchmark takes it. */
function threadsOption(value: "1" | "2" | "auto"): 1 | 2 | "auto" {
  return value === "auto" ? "auto" : value === "1" ? 1 : 2;
}

/**
 * Parses `lenet5 bench` arguments into {@link runBenchmark} options (and whether to print JSON).
 * @example
 * ```ts
 * parseBenchArgs(["--json", "--models", "modern", "--windows", "3"]);
 * // { json: true, options: { models: ["modern"], windows: 3 } }
 * ```
 */
export function parseBenchArgs(args: string[]): {
  /** True with --json: print the result as JSON instead of a table. */
  json: boolean;
  /**
   * The options for runBenchmark: those given on the command line (and --quick's); the rest
   * are left to its defaults.
   */
  options: BenchOptions;
} {
  const { values } = parseOptions(args, {
    json: { type: "boolean", default: false },
    models: { type: "string" },
    windows: { type: "string" },
    "train-steps": { type: "string" },
    "infer-batches": { type: "string" },
    warmup: { type: "string" },
    "window-warmup": { type: "string" },
    batch: { type: "string" },
    threads: { type: "string" },
    "no-torch": { type: "boolean", default: false },
    python: { type: "string" },
    "torch-threads": { type: "string" },
    quick: { type: "boolean", default: false },
  });
  const models =
    values.models === undefined
      ? undefined
      : values.models
          .split(",")
          .map((name): ModelName => oneOf("--models", name.trim(), MODEL_NAMES));
  const torchThreads = values["torch-threads"]
    ?.split(",")
    .map((t) => positiveInteger("--torch-threads", t.trim(), 64)!);
  const countOrNone = (flag: string, text: string | undefined): number | undefined =>
    integerOption(flag, text, { min: 0, max: MAX_STEPS });
  const warmup = countOrNone("--warmup", values.warmup);
  const windowWarmup = countOrNone("--window-warmup", values["window-warmup"]);
  // --quick: a smoke run (seconds, not minutes); explicit options still win.
  const quick = values.quick
    ? {
        windows: 2,
        trainSteps: 3,
        inferBatches: 1,
        warmupSteps: 1,
        windowWarmupSteps: 0,
        torchTrainSteps: 10,
        torchInferBatches: 1,
      }
    : {};
  const options: BenchOptions = {
    ...quick,
    ...(models && { models }),
    ...(values.windows !== undefined && {
      windows: positiveInteger("--windows", values.windows, 1_000),
    }),
    ...(values["train-steps"] !== undefined && {
      trainSteps: positiveInteger("--train-steps", values["train-steps"], MAX_STEPS),
    }),
    ...(values["infer-batches"] !== undefined && {
      inferBatches: positiveInteger("--infer-batches", values["infer-batches"], MAX_STEPS),
    }),
    ...(warmup !== undefined && { warmupSteps: warmup }),
    ...(windowWarmup !== undefined && { windowWarmupSteps: windowWarmup }),
    ...(values.batch !== undefined && {
      trainBatch: positiveInteger("--batch", values.batch, 4_096),
    }),
    ...(values.threads !== undefined && {
      threads: threadsOption(oneOf("--threads", values.threads, ["1", "2", "auto"])),
    }),
    ...(values["no-torch"] && { torch: false }),
    ...(values.python !== undefined && { python: values.python }),
    ...(torchThreads && { torchThreads }),
  };
  return { json: values.json ?? false, options };
}

/**
 * Runs `lenet5 bench` with command-line `args`; returns the exit code (0). Usage mistakes throw
 * a UsageError (the CLI prints usage and exits 2).
 * @example
 * ```ts
 * await benchCommand(["--json", "--quick", "--models", "modern", "--no-torch"]); // JSON on stdout
 * ```
 */
export async function benchCommand(
  args: string[],
  io: BenchIo = {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
  },
): Promise<number> {
  const { json, options } = parseBenchArgs(args);
  const result = await runBenchmark({ ...options, log: (line) => io.stderr(`${line}\n`) });
  io.stdout(json ? `${JSON.stringify(result, null, 2)}\n` : `${formatBenchmark(result)}\n`);
  return 0;
}
