#!/usr/bin/env node
/**
 * The `lenet5` command. Argument parsing and printing only: every command is a thin call into
 * the library. Exit codes: 0 success, 1 the work failed (bad data, bad file), 2 a usage mistake.
 */
import { UsageError } from "./args";
import { summaryCommand } from "./summary";
import { dataCommand } from "./data";
import { doctorCommand } from "./doctor";
import { BENCH_USAGE, benchCommand } from "./bench";
import { evaluateCommand } from "./evaluate";
import { predictCommand } from "./predict";
import { trainCommand } from "./train";

const USAGE = `Usage: lenet5 <command> [options]

Commands:
  summary --model historical|seed-historical|modern [--json]
      Per-layer table: output shape, trainable parameters, connections.
  train --model M [--optimizer sgd|momentum|adam|sdlm] [--epochs N] [--batch B] [--lr X]
        [--augment] [--seed S] [--data DIR] [--limit N] [--out DIR [--resume | --overwrite]]
        [--json] [--engine engine|tfjs|auto]
      Train a model; a progress bar on a terminal, one JSON line per epoch with --json.
      N 1–10,000; B 1–4,096; X above 0, at most 10 (e.g. 0.001 or 1e-3); S 0–4,294,967,295;
      --limit 1–10,000,000. --out refuses a folder holding a checkpoint unless --resume
      (continue it) or --overwrite (replace it); a run whose loss or weights become NaN stops.
  evaluate --model M [--weights DIR] [--data DIR] [--limit N] [--json]
      Accuracy, error rate, per-class accuracy and confusion matrix on the test set.
  predict --model M [--weights DIR] [--json] FILE...
      Classify PNG or PGM pictures of digits (up to 8.4 megapixels, e.g. 4096×2048, either polarity);
      a picture with no digit (too small, uniform) gets a warning instead of an answer.
  ${BENCH_USAGE.replace(/^lenet5 /, "").replace(/\n/g, "\n  ")}
  data verify [--data DIR] [--json]
      Check the MNIST files (headers, counts, and sizes/SHA-256 for the bundled set).
  data download --to DIR [--mirror URL]
      Fetch the four MNIST files from a public mirror (only when you ask), checksummed;
      URL is http(s).
  doctor [--json]
      Check Node, tslab, Jupyter, the kernel, the tfjs backend and the data; print fixes.

Options common to all commands:
  --help, -h       this text
  --version        the lenet5 version

Environment:
  LENET5_BACKEND=node|wasm|cpu   choose the tfjs backend (default: node if installed, else wasm)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === "--version") {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    process.stdout.write(`${(require("../../package.json") as { version: string }).version}\n`);
    return 0;
  }
  switch (command) {
    case "summary":
      return summaryCommand(rest);
    case "data":
      return dataCommand(rest);
    case "doctor":
      return doctorCommand(rest);
    case "train":
      return trainCommand(rest);
    case "evaluate":
      return evaluateCommand(rest);
    case "predict":
      return predictCommand(rest);
    case "bench":
      return benchCommand(rest);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`lenet5: ${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`lenet5: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
