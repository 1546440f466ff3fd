/**
 * Argument parsing for the `lenet5` command: a thin layer over node:util's parseArgs that turns
 * every mistake into a {@link UsageError}, which the entry point prints with the usage text and
 * exit code 2.
 */
import { parseArgs } from "node:util";

/** A command-line mistake: unknown command, unknown option, missing or bad value. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** One option's declaration, as node:util's parseArgs takes it. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  default?: string | boolean;
}

/** Parsed values: strings for string options, booleans for boolean ones. */
export type OptionValues<T extends Record<string, OptionSpec>> = {
  [K in keyof T]?: T[K]["type"] extends "boolean" ? boolean : string;
};

/** Parses `args` strictly against `options`; unknown options and stray positionals throw UsageError. */
export function parseOptions<T extends Record<string, OptionSpec>>(
  args: string[],
  options: T,
  { positionals = false }: { positionals?: boolean } = {},
): { values: OptionValues<T>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: positionals });
    return { values: parsed.values as OptionValues<T>, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Checks that `value` is one of `choices`, naming the option otherwise. */
export function oneOf<const C extends readonly string[]>(
  option: string,
  value: string | undefined,
  choices: C,
): C[number] {
  if (value === undefined)
    throw new UsageError(`${option} is required (one of ${choices.join(", ")})`);
  if (!choices.includes(value)) {
    throw new UsageError(`${option} must be one of ${choices.join(", ")}; got "${value}"`);
  }
  return value;
}

/** Parses a positive integer option (undefined when absent), naming the option on failure. */
export function positiveInteger(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(`${option} must be a positive integer; got "${value}"`);
  }
  return n;
}
