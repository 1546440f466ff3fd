// The AssemblyScript compiler flags lenet5's WebAssembly modules are built with: shared by
// scripts/build-simd.mjs (the shipped modules) and scripts/profile-engine.mjs (the same engine
// with a name section), so the profiled code is the shipped code.

/** Every module: optimised for speed, no runtime, the host's memory, SIMD. */
export const ASC_FLAGS = [
  "--optimizeLevel",
  "3",
  "--shrinkLevel",
  "0",
  "--runtime",
  "stub",
  "--importMemory",
  "--noExportMemory",
  "--noAssert",
  "--use",
  "abort=",
  "--enable",
  "simd",
];

/** Added for a module on a shared memory (the two-thread engine). */
export const SHARED_FLAGS = [
  "--enable",
  "threads",
  "--sharedMemory",
  "--maximumMemory",
  "16384",
  "--initialMemory",
  "1",
];
