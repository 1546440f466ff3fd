/**
 * Starts the engine's helper thread in Node (worker_threads), on the engine's shared memory.
 * Node-only: the browser entry never imports it. Plumbing for speed, no math.
 */
import { extname, join } from "node:path";
import { Worker } from "node:worker_threads";
import { controlViews, type HelperThread } from "./helper-thread";
import type { RangeSetup, Regions } from "./module";
import type { WasmMemory } from "./wasm-api";

/** The worker's entry file, beside this one (.ts under tsx, .js once compiled). */
const WORKER_FILE = join(__dirname, `engine-worker${extname(__filename)}`);

/**
 * A helper thread serving `regions`' lane 1 of `memory` (which must be shared).
 * @example
 * ```ts
 * const engine = Engine.create("modern", { maxBatch: 64, helper: startNodeHelper });
 * ```
 */
export function startNodeHelper(
  memory: WasmMemory,
  regions: Regions,
  setup: RangeSetup,
): HelperThread {
  // Under tsx (tests, notebooks from source) the worker compiles TypeScript the same way.
  const loader = extname(__filename) === ".ts" ? require.resolve("tsx/cjs") : "";
  const worker = new Worker(
    `const { workerData } = require("node:worker_threads");
     if (workerData.loader) require(workerData.loader);
     require(workerData.file);`,
    { eval: true, workerData: { file: WORKER_FILE, loader, memory, regions, setup } },
  );
  worker.unref(); // an idle helper never keeps the process alive
  worker.on("error", (error) => console.error("lenet5 engine helper:", error));
  return { ...controlViews(memory.buffer, regions), terminate: () => void worker.terminate() };
}
