/**
 * lenet5's whole-step engine: one WebAssembly SIMD module that runs a whole training step of
 * `historical` or `modern` (forward, backward, the optimiser's update, SDLM's second-derivative
 * pass) in its own memory, on one thread or two. Speed code: src/scratch/historical.ts and
 * modern.ts are what it computes, and its tests hold it to them.
 */
export * from "./engine";
export { startNodeHelper } from "./node-helper";
export type { EngineNet, Regions, RangeSetup } from "./module";
export type { HelperThread } from "./helper-thread";
export type { WasmMemory } from "./wasm-api";
