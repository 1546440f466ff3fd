/**
 * Stopping a long lenet5 call (training, evaluation, a benchmark) with the interrupt a learner
 * already knows: Jupyter's Kernel → Interrupt, or Ctrl-C in a terminal. No paper reference:
 * plumbing.
 *
 * Why a SIGINT listener: both interrupts arrive as SIGINT. tslab (the notebooks' kernel) answers
 * it by ending the cell at once ("Interrupted asynchronously"), but a cell that awaits a promise
 * only stops *waiting*: the async work goes on, printing into later cells. So while a long call
 * runs, {@link interruptible} adds a `process.on("SIGINT")` listener that aborts the call's
 * signal; the call stops at its next check (training: after the current step) and the listener
 * is removed when the call ends. Listeners run side by side, so tslab's own handling (and a
 * CLI's) is untouched. The listener also removes itself on the first SIGINT: in a plain Node
 * script with no listener of its own, a second Ctrl-C ends the process as Node always does.
 *
 * The listener is added one microtask late, on purpose. A notebook cell's synchronous part runs
 * under vm's `breakOnSigint`, which swaps SIGINT's handling for its own while it runs and then
 * puts back what it saved: a listener added in that window (a cell's first `await trainModel(…)`
 * starts it synchronously) is left with the default action, and the next Kernel → Interrupt
 * kills the kernel. A microtask runs only after the cell's synchronous part has returned.
 *
 * Importing this changes nothing global; only a running call listens. Where `process` has no
 * `on` (a browser), only the caller's `signal` stops the call.
 */

/** Thrown by a long lenet5 call stopped by an interrupt (SIGINT, Ctrl-C, Kernel → Interrupt) or its `signal`. */
export class InterruptedError extends Error {
  override name = "InterruptedError";
  /** An error saying that `what` (e.g. "evaluateModel") was interrupted. */
  constructor(what: string) {
    super(`${what} was interrupted`);
  }
}

/** A signal that aborts on SIGINT while a long call runs; {@link InterruptScope.end} stops listening. */
export interface InterruptScope {
  /** Aborts when the caller's signal aborts or SIGINT arrives. */
  readonly signal: AbortSignal;
  /** Removes the SIGINT listener (call it when the long call ends, however it ends). */
  end(): void;
}

/** The `process` of Node, or undefined where there is none that can listen (a browser). */
function nodeProcess(): NodeJS.Process | undefined {
  return typeof process !== "undefined" && typeof process.on === "function" ? process : undefined;
}

/**
 * Starts listening for SIGINT on behalf of a long call; see the file header. Prefer
 * {@link interruptible}, which also ends the scope.
 * @example
 * ```ts
 * const scope = interruptScope(); // SIGINT now aborts scope.signal
 * try {
 *   // … long work that checks scope.signal.aborted between steps …
 * } finally {
 *   scope.end();
 * }
 * ```
 */
export function interruptScope(signal?: AbortSignal, what = "the call"): InterruptScope {
  const controller = new AbortController();
  const abort = () => controller.abort(new InterruptedError(what));
  const onCallerAbort = () => controller.abort(signal?.reason ?? new InterruptedError(what));
  if (signal?.aborted) onCallerAbort();
  else signal?.addEventListener("abort", onCallerAbort, { once: true });
  const proc = nodeProcess();
  let ended = false;
  const onSigint = () => {
    proc?.off("SIGINT", onSigint); // a second Ctrl-C gets Node's (or the host's) own handling
    abort();
  };
  // One microtask late: never inside a notebook cell's breakOnSigint window (file header).
  queueMicrotask(() => {
    if (!ended) proc?.on("SIGINT", onSigint);
  });
  return {
    signal: controller.signal,
    end() {
      ended = true;
      proc?.off("SIGINT", onSigint);
      signal?.removeEventListener("abort", onCallerAbort);
    },
  };
}

/**
 * Runs `work` with a signal that aborts on the caller's `signal` or on SIGINT (Ctrl-C, Jupyter's
 * Kernel → Interrupt), listening only while it runs.
 * @example
 * ```ts
 * const done = await interruptible(undefined, "counting", async (signal) => {
 *   let n = 0;
 *   while (!signal.aborted && n < 1e6) n++; // real work awaits between steps
 *   return n;
 * });
 * ```
 */
export async function interruptible<T>(
  signal: AbortSignal | undefined,
  what: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const scope = interruptScope(signal, what);
  try {
    return await work(scope.signal);
  } finally {
    scope.end();
  }
}

/**
 * Throws an {@link InterruptedError} naming `what` when `signal` has aborted.
 * @example
 * ```ts
 * throwIfInterrupted(AbortSignal.abort(), "evaluateModel"); // throws "evaluateModel was interrupted"
 * ```
 */
export function throwIfInterrupted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new InterruptedError(what);
}
