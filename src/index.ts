/**
 * lenet5 — LeNet-5 (LeCun, Bottou, Bengio & Haffner, 1998) in TypeScript.
 *
 * The flow, top to bottom: data (IDX files → the paper's 32×32 input → batches) → layers
 * (`scratch`: plain TypeScript forward/backward; `tfjs`: the same layers for TensorFlow.js) →
 * models (historical, seed-historical, modern) → the CLI and the notebooks. Tensors are NHWC.
 *
 * The scratch layers are exported under the `scratch` namespace so their names (conv2d, rbf, …)
 * do not clash with the tfjs twins of the same name, which are exported under `layers`.
 */
export * from "./paper";
export * from "./rng";
export * from "./backend";
export * from "./data";
export * from "./models";
/**
 * The from-scratch layers: plain TypeScript on `Float32Array` tensors (NHWC), each layer's
 * forward beside its backward, and the gradient checker that tests them.
 */
export * as scratch from "./scratch";
/**
 * The TensorFlow.js layers: the fast twins of the `scratch` layers (same names, formulas and
 * weight layouts), the paper's initialiser, and the kernels the wasm backend lacks.
 */
export * as layers from "./layers";
/**
 * lenet5 for web pages (also `lenet5/dist/browser`, which reaches no Node module): fetching the
 * shipped weights, the activations of every layer in one pass, predictions and timing — what the
 * site's interactive LeNet-5 runs on.
 */
export * as browser from "./browser";
export * from "./viz";
export * from "./exercises";
export * from "./checkpoint";
export * from "./train";
