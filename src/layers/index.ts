/**
 * lenet5's tfjs layers in one import: each is the fast twin of a from-scratch op in src/scratch/
 * (same file name, same formula, NHWC, same weight layouts), tested for parity with it on the
 * wasm and cpu backends, and the paper's initialisers beside them. Custom layers (ScaledTanh,
 * Subsampling, SparseConv2D, Rbf) and the PaperUniform initializer are registered for tfjs
 * serialisation when imported; nothing else happens on import. The kernels that make some of
 * them fast live in src/kernels/ and are registered by `initBackend()`.
 * Paper references are in each module's header.
 */
export * from "./paper-uniform";
export * from "./rng-normal";
export * from "./conv2d";
export * from "./sparse-conv2d";
export * from "./subsampling";
export * from "./scaled-tanh";
export * from "./dense";
export * from "./rbf";
export * from "./rbf-loss";
export * from "./softmax-cross-entropy";
export * from "./relu";
export * from "./max-pool";
export * from "./avg-pool";
