/**
 * lenet5's tfjs layers in one import: each is the fast twin of a from-scratch op in src/scratch/
 * (same file name, same formula, NHWC, same weight layouts), tested for parity with it on the
 * wasm and cpu backends. Custom layers (ScaledTanh, Subsampling, SparseConv2D, Rbf) and the
 * PaperUniform initializer are registered for tfjs serialisation when imported.
 *
 * Importing this barrel also patches the wasm backend: it registers the missing
 * Conv2DBackpropFilter kernel, replaces the faulty MaxPoolGrad, and registers faster kernels for
 * LeNet's shapes (Conv2DBackpropInput, BatchMatMul, AvgPoolGrad, Tanh, and WebAssembly SIMD
 * loops from ../kernels/simd-kernels.as.ts for C1's filter gradient, C3's input gradient and the fused
 * ReLU + max pool), each validated against a plain reference beside it (see those files and
 * docs/speed.md).
 * Paper references are in each module's header.
 */
export * from "../kernels/conv2d-backprop-filter";
export * from "../kernels/max-pool-grad";
export * from "../kernels/conv2d-backprop-input";
export * from "../kernels/batch-mat-mul";
export * from "../kernels/avg-pool-grad";
export * from "../kernels/tanh";
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
export * from "../kernels/relu-max-pool";
export * from "../kernels/simd-kernels";
export * from "../kernels/sum-leading-axes";
export * from "../kernels/fused-conv2d";
