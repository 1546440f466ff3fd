/**
 * Claims: how a chapter's prose stays true. A sentence such as "more than a third saturate" is
 * followed by a code cell that measures the thing and calls {@link claim}; the claim prints ✓
 * with the measured value, or throws, which fails the cell and so the chapter's test run. After a
 * retraining or a library change, a chapter can then never go on saying what its outputs
 * contradict.
 */

/** Thrown by {@link claim} when the measured value does not bear the statement out. */
export class ClaimError extends Error {
  /** The statement that turned out false. */
  readonly statement: string;
  /** The measured value, formatted as it was printed. */
  readonly measured: string;

  constructor(statement: string, measured: string) {
    super(`✗ claim false: "${statement}" — measured ${measured}`);
    this.name = "ClaimError";
    this.statement = statement;
    this.measured = measured;
  }
}

/**
 * Formats a measured value for a claim's line: whole numbers with thousands separators, other
 * numbers to four significant digits, arrays item by item, anything else as JSON.
 * @example
 * ```ts
 * formatMeasured(48120); // "48,120"
 * formatMeasured(0.71234); // "0.7123"
 * formatMeasured([0.133, 0.071]); // "[0.133, 0.071]"
 * ```
 */
export function formatMeasured(value: unknown): string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return String(value);
    if (Number.isInteger(value)) return value.toLocaleString("en-US");
    return String(Number(value.toPrecision(4)));
  }
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(formatMeasured).join(", ")}]`;
  return JSON.stringify(value);
}

/**
 * Checks a statement from a chapter's prose against the value the code measured. Prints
 * "✓ statement — measured …" and returns the value when `holds(measured)` is true; throws a
 * {@link ClaimError} ("✗ claim false: …") otherwise, so the notebook run fails there.
 *
 * @param statement - the prose's words, quoted as the reader sees them
 * @param measured - what the code computed
 * @param holds - true when `measured` bears the statement out
 * @param format - how to print `measured` (default {@link formatMeasured})
 * @returns `measured`, so a cell can go on using it
 * @example
 * ```ts
 * const saturated = 0.712;
 * claim("at w = 2 more than two thirds saturate", saturated, (v) => v > 2 / 3);
 * // ✓ at w = 2 more than two thirds saturate — measured 0.712
 * claim("the weights grew about twenty times", 9.6, (v) => v > 15 && v < 25);
 * // throws ClaimError: ✗ claim false: "the weights grew about twenty times" — measured 9.6
 * ```
 */
export function claim<T>(
  statement: string,
  measured: T,
  holds: (value: T) => boolean,
  format: (value: T) => string = formatMeasured,
): T {
  const shown = format(measured);
  if (!holds(measured)) throw new ClaimError(statement, shown);
  console.log(`✓ ${statement} — measured ${shown}`);
  return measured;
}
