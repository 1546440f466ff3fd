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

/** A whole number written plainly: digits only, no sign, no leading zero, no spaces, no "0x". */
const INTEGER_SYNTAX = /^(?:0|[1-9][0-9]*)$/;
/** A number written plainly: "0.001", "1e-3", ".5", "2"; no sign, no hex, no spaces. */
const DECIMAL_SYNTAX = /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

/** Range of a numeric option, as usage texts and errors state it. */
export interface NumberRange {
  /** Smallest value allowed. */
  readonly min: number;
  /** Largest value allowed. */
  readonly max: number;
  /** True when `min` itself is not allowed (e.g. a learning rate must be above 0). */
  readonly aboveMin?: boolean;
}

/** "from 1 to 10,000" or "above 0, at most 10", for messages. */
function rangeText({ min, max, aboveMin }: NumberRange): string {
  const high = max.toLocaleString("en-US");
  return aboveMin
    ? `above ${min} and at most ${high}`
    : `from ${min.toLocaleString("en-US")} to ${high}`;
}

/**
 * Parses a whole-number option strictly (plain decimal digits, nothing else) within `range`;
 * undefined when absent. "0x2", " 1", "1e3" and "2.0" are usage errors naming the option.
 * @example
 * ```ts
 * integerOption("--epochs", "20", { min: 1, max: 10_000 }); // 20
 * ```
 */
export function integerOption(
  option: string,
  value: string | undefined,
  range: NumberRange,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!INTEGER_SYNTAX.test(value) || n < range.min || n > range.max) {
    throw new UsageError(`${option} must be a whole number ${rangeText(range)}; got "${value}"`);
  }
  return n;
}

/**
 * Parses a decimal option strictly ("0.001" or "1e-3"; no sign, hex or spaces) within `range`;
 * undefined when absent.
 * @example
 * ```ts
 * numberOption("--lr", "1e-3", { min: 0, max: 10, aboveMin: true }); // 0.001
 * ```
 */
export function numberOption(
  option: string,
  value: string | undefined,
  range: NumberRange,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const inRange = range.aboveMin ? n > range.min : n >= range.min;
  if (!DECIMAL_SYNTAX.test(value) || !inRange || n > range.max) {
    throw new UsageError(`${option} must be a number ${rangeText(range)}; got "${value}"`);
  }
  return n;
}

/**
 * Parses a positive whole-number option strictly, at most `max` (default 1,000,000,000);
 * undefined when absent.
 * @example
 * ```ts
 * positiveInteger("--limit", "100"); // 100
 * ```
 */
export function positiveInteger(
  option: string,
  value: string | undefined,
  max = 1_000_000_000,
): number | undefined {
  return integerOption(option, value, { min: 1, max });
}
