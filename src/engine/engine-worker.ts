/**
 * The engine's helper thread in Node (node-helper.ts starts it): instantiates the shared module
 * on the engine's shared memory and serves lane 1 (helper-thread.ts). Plumbing for speed.
 */
import { workerData } from "node:worker_threads";
import { serveRanges } from "./helper-thread";
import { sharedModuleBytes, type EngineExports, type RangeSetup, type Regions } from "./module";
import { wasmApi, type WasmMemory } from "./wasm-api";

const { memory, regions, setup } = workerData as {
  memory: WasmMemory;
  regions: Regions;
  setup: RangeSetup;
};
const api = wasmApi();
const instance = new api.Instance(new api.Module(sharedModuleBytes()), { env: { memory } });
serveRanges(instance.exports as EngineExports, memory.buffer, regions, setup);
