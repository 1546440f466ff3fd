#!/usr/bin/env node
/**
 * The `lenet5` command. Argument parsing and printing only: every command is a thin call into
 * the library. Exit codes: 0 success, 1 the work failed (bad data, bad file), 2 a usage mistake.
 */
import { UsageError } from "./args";
import { summaryCommand } from "./summary";
import { dataCommand } from "./data";
import { doctorCommand } from "./doctor";
import { benchCommand } from "./bench";
import { evaluateCommand } from "./evaluate";
import { predictCommand } from "./predict";
import { trainCommand } from "./train";
import { USAGE, commandUsage, isCommandName, type CommandName } from "./usage";
import { InterruptedError } from "../interrupt";

const COMMANDS: Record<CommandName, (args: string[]) => Promise<number>> = {
  summary: summaryCommand,
  train: trainCommand,
  evaluate: evaluateCommand,
  predict: predictCommand,
  bench: benchCommand,
  data: dataCommand,
  doctor: doctorCommand,
};

function version(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("../../package.json") as { version: string }).version;
}

/** The arguments before a `--` terminator: after it, `--help` would be a value, not a request. */
function optionsPart(args: string[]): string[] {
  const end = args.indexOf("--");
  return end < 0 ? args : args.slice(0, end);
}

/** Runs one command; `--help`/`-h` and `--version` anywhere in its options win over the rest. */
async function runCommand(command: CommandName, args: string[]): Promise<number> {
  const options = optionsPart(args);
  if (options.includes("--help") || options.includes("-h")) {
    process.stdout.write(commandUsage(command));
    return 0;
  }
  if (options.includes("--version")) {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  try {
    return await COMMANDS[command](args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`lenet5: ${error.message}\n\n${commandUsage(command)}`);
    return 2;
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h") {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === "help") {
    // `lenet5 help train` is `lenet5 train --help`.
    const topic = rest[0];
    process.stdout.write(topic !== undefined && isCommandName(topic) ? commandUsage(topic) : USAGE);
    return 0;
  }
  if (command === "--version") {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (!isCommandName(command)) throw new UsageError(`unknown command "${command}"`);
  return runCommand(command, rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`lenet5: ${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (error instanceof InterruptedError) {
      // Ctrl-C stopped a long call (evaluate, bench): the shell's code for SIGINT.
      process.stderr.write(`\nlenet5: ${error.message}\n`);
      process.exitCode = 130;
    } else {
      process.stderr.write(`lenet5: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
