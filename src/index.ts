/**
 * lenet5 — LeNet-5 (LeCun, Bottou, Bengio & Haffner, 1998) in TypeScript.
 *
 * The flow, top to bottom: data (IDX files → the paper's 32×32 input → batches) → layers
 * (`scratch`: plain TypeScript forward/backward; `layers`: the same ops for TensorFlow.js) →
 * models (historical, seed-historical, modern) → training → the CLI and the notebooks. Tensors
 * are NHWC. Importing lenet5 changes nothing global; `initBackend()` starts tfjs and registers
 * lenet5's kernels (src/kernels/). The benchmark is the subpath `lenet5/bench`.
 *
 * The scratch layers are exported under the `scratch` namespace so their names (conv2d, rbf, …)
 * do not clash with the tfjs twins of the same name, which are exported under `layers`.
 */
export * from "./paper";
export * from "./rng";
export * from "./interrupt";
export * from "./claim";
export * from "./backend";
export * from "./data";
export * from "./models";
/**
 * The from-scratch layers: plain TypeScript on `Float32Array` tensors (NHWC), each layer's
 * forward beside its backward, and the gradient checker that tests them.
 */
export * as scratch from "./scratch";
/**
 * The TensorFlow.js layers: the fast twins of the `scratch` ops (same names, formulas and
 * weight layouts) and the paper's initialisers. Nothing else: the kernels that make them fast
 * are registered by `initBackend()` and are not part of the public API.
 */
export * as layers from "./layers";
/**
 * lenet5 for web pages (also `lenet5/browser`, which reaches no Node module): fetching the
 * shipped weights, the activations of every layer in one pass, predictions and timing — what the
 * site's interactive LeNet-5 runs on.
 */
export * as browser from "./browser";
/**
 * Looking inside a model: every paper layer's activations from one pass, predictions with
 * scores, timing (also in the `browser` namespace).
 */
export * from "./inspect";
export * from "./viz";
export * from "./exercises";
export * from "./checkpoint";
export * from "./train";
/** Baselines for the paper's comparison (Fig. 9): a linear classifier, k-nearest neighbours. */
export * from "./baselines";
/**
 * The whole-step engine: the faithful and the modern net's whole training step as one
 * WebAssembly SIMD module (src/engine/), held to the scratch nets by its tests.
 */
export * as engine from "./engine";
