/**
 * The `lenet5` command's usage texts: one per command (what `lenet5 <command> --help` prints, and
 * what a usage mistake in that command prints after the error), and the overview of them all
 * (`lenet5 --help`). Text only; src/cli/main.ts decides when to print which.
 */
import { BENCH_USAGE } from "./bench";
import { SHIPPED_WEIGHTS } from "../train/pretrained";

/** The commands of `lenet5`, in the order the overview lists them. */
export const COMMAND_NAMES = [
  "summary",
  "train",
  "evaluate",
  "predict",
  "bench",
  "data",
  "doctor",
] as const;

/** A command of `lenet5`. */
export type CommandName = (typeof COMMAND_NAMES)[number];

/** True when `name` is one of {@link COMMAND_NAMES}. */
export function isCommandName(name: string): name is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}

const MODELS = "historical|seed-historical|modern";
/** The shipped weights that are not a model's own (evaluate reads them by name). */
const KEPT_RUNS = Object.entries(SHIPPED_WEIGHTS)
  .filter(([name, model]) => name !== model)
  .map(([name]) => name)
  .join(", ");

/**
 * Each command: its synopsis (lines that start a form of the command begin at column 0, the
 * description is indented) and, for `--help`, its options.
 */
const COMMANDS: Record<CommandName, { synopsis: string; options: string }> = {
  summary: {
    synopsis: `summary --model ${MODELS} [--json]
    Per-layer table: output shape, trainable parameters, connections.`,
    options: `  --model M      the model (required)
  --json         the table as JSON on stdout`,
  },
  train: {
    synopsis: `train --model M [--optimizer sgd|momentum|adam|sdlm] [--epochs N] [--batch B] [--lr X]
        [--augment] [--seed S] [--data DIR] [--limit N] [--out DIR [--resume | --overwrite]]
        [--json] [--engine engine|tfjs|auto]
        [--c3 table-i|full] [--subsampling trainable|average|max] [--init K/F|K/sqrtF]
        [--j X] [--curvature eq8|eq9]
    Train a model; a progress bar on a terminal, one JSON line per epoch with --json.`,
    options: `  --model M      the model to train: ${MODELS} (required)
  --optimizer O  sgd, momentum, adam or sdlm (default: sdlm for historical, the paper's; else adam)
  --epochs N     passes over the training set, 1–10,000 (default: 20 with sdlm; else 10)
  --batch B      mini-batch size, 1–4,096 (default: 16 with sdlm; else 64)
  --lr X         global learning rate, above 0 and at most 10, e.g. 0.001 or 1e-3 (default: the
                 paper's schedule with sdlm; else per optimiser)
  --augment      distort the training digits as the paper does
  --seed S       seed of the initialisation, shuffles and distortions, 0–4,294,967,295 (default 0)
  --data DIR     a folder with the four MNIST IDX files (default: the bundled set)
  --limit N      train on the first N training images only, 1–10,000,000
  --out DIR      write a checkpoint there after every epoch; a folder already holding one is
                 refused unless --resume (continue it) or --overwrite (replace it)
  --resume       continue from the checkpoint in --out
  --overwrite    replace the checkpoint in --out
  --json         one JSON line per epoch on stdout
  --engine E     engine (lenet5's whole-step engine), tfjs (tfjs autograd) or auto (default)

Ablation options of --model historical (each a departure from the paper, recorded in the
checkpoint's recipe and listed in the fidelity ledger):
  --c3 C         table-i (the paper's Table I, default) or full (every C3 map reads all 6 S2
                 maps: 2,416 parameters instead of 1,516; trains on tfjs)
  --subsampling S  trainable (the paper's: sum × coefficient + bias, then squash; default),
                 average or max (2×2 pooling, no parameters, no squash; trains on tfjs)
  --init R       initial range: K/F (±K/F_i) or K/sqrtF (±K/√F_i), 0 < K ≤ 1000 (default
                 2.4/F, the paper's)
  --j X          the constant j of the loss (eq. 9), above 0 and at most 100 (default 0.1)
  --curvature C  SDLM's h_kk from eq9 (the full loss, default) or eq8 (y_D alone: 2 at F6)

A run whose loss or weights become NaN stops. Ctrl-C stops after the current step (exit 130);
with --out, --resume continues from the last complete epoch.`,
  },
  evaluate: {
    synopsis: `evaluate --model M [--weights DIR] [--data DIR] [--limit N] [--json]
    Accuracy, error rate, per-class accuracy and confusion matrix on the test set.`,
    options: `  --model M      the model: ${MODELS} (required), or a kept run
                 of the shipped weights: ${KEPT_RUNS}
  --weights DIR  a checkpoint folder (default: the shipped weights)
  --data DIR     a folder with the four MNIST IDX files (default: the bundled set)
  --limit N      the first N test images only, 1–10,000,000
  --json         the result as JSON on stdout`,
  },
  predict: {
    synopsis: `predict --model M [--weights DIR] [--json] FILE...
    Classify PNG or PGM pictures of digits (up to 8.4 megapixels, e.g. 4096×2048, either
    polarity); a picture with no digit (too small, uniform) gets a warning instead of an answer.`,
    options: `  --model M      the model: ${MODELS} (required)
  --weights DIR  a checkpoint folder (default: the shipped weights)
  --json         the results as JSON on stdout
  FILE...        one or more .png or .pgm pictures, one digit each`,
  },
  bench: {
    synopsis: BENCH_USAGE.replace(/^lenet5 /, ""),
    options: `  --json            the result as JSON on stdout (progress on stderr)
  --models a,b      models to time (default: all three)
  --windows N       timed windows per measurement (default 7)
  --quick           a smoke run of a few seconds; explicit options still win
  --no-torch        do not time PyTorch
  (the other options set the window sizes, batch, threads and PyTorch's Python)`,
  },
  data: {
    synopsis: `data verify [--data DIR] [--json]
    Check the MNIST files (headers, counts, and sizes/SHA-256 for the bundled set).
data download --to DIR [--mirror URL]
    Fetch the four MNIST files from a public mirror (only when you ask), checksummed;
    URL is http(s).`,
    options: `  --data DIR     verify: the folder to check (default: the bundled set)
  --json         verify: the report as JSON on stdout
  --to DIR       download: where to write the four files (required)
  --mirror URL   download: the mirror to fetch from (http or https)`,
  },
  doctor: {
    synopsis: `doctor [--json]
    Check what lenet5 needs where you run it: Node, the library, the tfjs backend, the data, the
    shipped weights, and inside the lenet5 repository also tslab, Jupyter and the kernel; print
    a fix for each failure.`,
    options: `  --json         the checks as JSON on stdout`,
  },
};

const COMMON = `Options common to all commands:
  --help, -h       this text
  --version        the lenet5 version`;

const ENVIRONMENT = `Environment:
  LENET5_BACKEND=node|wasm|cpu   choose the tfjs backend (default: node if installed, else wasm)`;

/** `lenet5 --help`: every command's synopsis, the common options and the environment. */
export const USAGE = `Usage: lenet5 <command> [options]

Commands:
${COMMAND_NAMES.map((name) => `  ${COMMANDS[name].synopsis.replace(/\n/g, "\n  ")}`).join("\n")}

${COMMON.replace("this text", "this text, or with a command: that command's options")}

${ENVIRONMENT}
`;

/**
 * `lenet5 <command> --help`: the command's synopsis and options, the common options and the
 * environment.
 * @example
 * ```ts
 * commandUsage("train").startsWith("Usage: lenet5 train --model M"); // true
 * ```
 */
export function commandUsage(name: CommandName): string {
  const { synopsis, options } = COMMANDS[name];
  const forms = synopsis
    .split("\n")
    .map((line, i) => (/^\S/.test(line) ? `${i === 0 ? "Usage:" : "      "} lenet5 ${line}` : line))
    .join("\n");
  return `${forms}

Options:
${options}

${COMMON}

${ENVIRONMENT}
`;
}
