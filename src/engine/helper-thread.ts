/**
 * The engine's second thread, as a handshake in shared memory: the calling thread writes a
 * request (what to run over which examples), bumps a counter and wakes the helper with
 * Atomics.notify; the helper runs it on its own lane (module.ts's runRange) and answers the same
 * way. No messages, no copies: both threads instantiate the module on one shared memory.
 * Environment-neutral (Node's worker_threads, Web Workers); plumbing for speed, no math.
 *
 * Control block (i32): [REQUEST] request counter, [KIND], [FROM], [TO], [DONE] answered
 * counter, [STATUS] 0 ok / 1 failed, [READY] 1 once the helper listens; f64 at byte 32 the
 * answer (Σ loss), at byte 40 the request's factor.
 */
import {
  runRange,
  type EngineExports,
  type RangeKind,
  type RangeSetup,
  type Regions,
} from "./module";

const REQUEST = 0;
const KIND = 1;
const FROM = 2;
const TO = 3;
const DONE = 4;
const STATUS = 5;
const READY = 6;
const KINDS: readonly (RangeKind | "stop")[] = ["gradients", "hessian", "predict", "stop"];

/** How long the calling thread waits for the helper before giving up (ms). */
export const HELPER_TIMEOUT_MS = 30_000;

/** The calling thread's end of the handshake. */
export interface HelperThread {
  /** The control block, in the shared memory. */
  readonly control: Int32Array;
  /** The result of the handshake's last range, as an f64 view on the control block. */
  readonly answer: Float64Array;
  /** Stops the helper thread. */
  terminate(): void;
}

/** The control block's views on a shared memory. */
export function controlViews(
  buffer: ArrayBuffer,
  regions: Regions,
): { control: Int32Array; answer: Float64Array } {
  return {
    control: new Int32Array(buffer, regions.control, 8),
    answer: new Float64Array(buffer, regions.control + 32, 2),
  };
}

/** Asks the helper to run `kind` over [from, to); returns at once. */
export function requestRange(
  helper: HelperThread,
  kind: RangeKind | "stop",
  from: number,
  to: number,
  factor: number,
): void {
  const { control, answer } = helper;
  control[KIND] = KINDS.indexOf(kind);
  control[FROM] = from;
  control[TO] = to;
  answer[1] = factor;
  Atomics.add(control, REQUEST, 1);
  Atomics.notify(control, REQUEST);
}

/** Waits for the helper's answer to the last request; throws if it failed or never came. */
export function awaitRange(helper: HelperThread): number {
  const { control } = helper;
  const wanted = Atomics.load(control, REQUEST);
  const deadline = Date.now() + HELPER_TIMEOUT_MS;
  for (
    let done = Atomics.load(control, DONE);
    done !== wanted;
    done = Atomics.load(control, DONE)
  ) {
    const left = deadline - Date.now();
    if (left <= 0)
      throw new Error(
        `lenet5 engine: the helper thread did not answer in ${HELPER_TIMEOUT_MS / 1000} s`,
      );
    Atomics.wait(control, DONE, done, left);
  }
  if (control[STATUS] !== 0)
    throw new Error("lenet5 engine: the helper thread failed (see its error above)");
  return helper.answer[0];
}

/** Waits until the helper listens (its module instantiated). */
export function awaitReady(helper: HelperThread): void {
  const deadline = Date.now() + HELPER_TIMEOUT_MS;
  while (Atomics.load(helper.control, READY) !== 1) {
    const left = deadline - Date.now();
    if (left <= 0)
      throw new Error(
        `lenet5 engine: the helper thread did not start in ${HELPER_TIMEOUT_MS / 1000} s`,
      );
    Atomics.wait(helper.control, READY, 0, left);
  }
}

/**
 * The helper's side: answers requests on lane 1 until asked to stop. Runs in the helper thread,
 * blocking it (Atomics.wait) between requests.
 */
export function serveRanges(
  wasm: EngineExports,
  buffer: ArrayBuffer,
  regions: Regions,
  setup: RangeSetup,
): void {
  const { control, answer } = controlViews(buffer, regions);
  let seen = Atomics.load(control, REQUEST);
  Atomics.store(control, READY, 1);
  Atomics.notify(control, READY);
  for (;;) {
    Atomics.wait(control, REQUEST, seen);
    seen = Atomics.load(control, REQUEST);
    const kind = KINDS[control[KIND]];
    if (kind === "stop" || kind === undefined) return;
    try {
      answer[0] = runRange(
        wasm,
        regions,
        regions.lanes[1],
        setup,
        kind,
        control[FROM],
        control[TO],
        answer[1],
      );
      control[STATUS] = 0;
    } catch (error) {
      console.error(error);
      control[STATUS] = 1;
    }
    Atomics.store(control, DONE, seen);
    Atomics.notify(control, DONE);
  }
}
