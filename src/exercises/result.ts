/** The shape every exercise check returns, and the one place that prints it. */

/** Outcome of an exercise check. */
export interface ExerciseResult {
  /** True when every case passed. */
  readonly ok: boolean;
  /** "✓ …" on success, "✗ …" naming the first fault otherwise. */
  readonly message: string;
}

/**
 * Builds and prints a check's outcome.
 * @example
 * ```ts
 * const result = exerciseResult(false, "rbfDistance(x, x) returned 1; expected 0 (eq. 7, the squared distance)");
 * result.message; // "✗ rbfDistance(x, x) returned 1; expected 0 (eq. 7, the squared distance)"
 * ```
 */
export function exerciseResult(ok: boolean, detail: string): ExerciseResult {
  const message = `${ok ? "✓" : "✗"} ${detail}`;
  console.log(message);
  return { ok, message };
}

/**
 * Runs the learner's function, turning a throw into a failed result instead of an error that
 * would stop the notebook.
 * @example
 * ```ts
 * const r = tryLearnerCode("rbfDistance", () => { throw new Error("TODO"); });
 * r.ok; // false
 * ```
 */
export function tryLearnerCode<T>(
  what: string,
  run: () => T,
):
  | {
      /** The function returned. */
      ok: true;
      /** What it returned. */
      value: T;
    }
  | {
      /** The function threw. */
      ok: false;
      /** "`what` threw: " and the error's message. */
      error: string;
    } {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, error: `${what} threw: ${(error as Error).message ?? String(error)}` };
  }
}
