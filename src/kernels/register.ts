/**
 * The one list of lenet5's tfjs kernels, and the one place that registers them (modelled on
 * tfjs's own `register_all_kernels.ts`). Nothing registers a kernel on import: `initBackend()`
 * (../backend.ts), `initBrowserBackend()` (../browser.ts) and the training worker (through
 * `initBackend`) call {@link registerLenet5Kernels}, and only then does anything change.
 *
 * Two kinds, as the README tells a learner whose own tfjs models run on wasm afterwards:
 * - kernels tfjs 4.22 lacks, registered only where their backend has none of that name (a later
 *   tfjs that brings its own keeps it): wasm's Conv2DBackpropFilter, without which no convolution
 *   trains on wasm, and lenet5's own fused or host kernels (Lenet5…), which only lenet5's ops call;
 * - replacements of wasm's own kernels: MaxPoolGrad, whose wasm version loses the gradient of
 *   windows whose maximum is ≤ 0 (a correctness fix), and six kernels faster at LeNet's shapes,
 *   each keeping wasm's own as the fallback for the shapes it leaves.
 * Every kernel changes speed, never the numbers beyond float32 rounding (tests hold each to a
 * plain reference and to tfjs's cpu backend).
 *
 * Registering before or after the wasm backend starts both work: a replacement keeps wasm's own
 * `setupFunc` (./wasm-kernel.ts), which binds wasm's function for the fallback whenever tfjs
 * switches to wasm (`tf.setBackend` runs every registered kernel's set-up).
 *
 * Input shape / Output shape: those of each kernel (see its file).
 */
import * as tf from "@tensorflow/tfjs";
// wasm's own kernels must be registered first: the replacements keep them as their fallbacks.
import "@tensorflow/tfjs-backend-wasm";
import { adamUpdateConfigs } from "./adam-update";
import { avgPoolGradKernel } from "./avg-pool-grad";
import { batchMatMulKernel } from "./batch-mat-mul";
import { conv2dBackpropFilterConfig } from "./conv2d-backprop-filter";
import { conv2dBackpropInputKernel } from "./conv2d-backprop-input";
import { fusedConv2dKernel } from "./fused-conv2d";
import { maxPoolGradKernel } from "./max-pool-grad";
import { rbfLossConfigs } from "./rbf-loss";
import { reluMaxPoolConfigs } from "./relu-max-pool";
import { scaledTanhConfigs } from "./scaled-tanh";
import { sdlmUpdateConfigs } from "./sdlm-update";
import { softmaxCrossEntropyConfigs } from "./softmax-cross-entropy";
import { subsamplingConfigs } from "./subsampling";
import { sumLeadingAxesKernel } from "./sum-leading-axes";
import { tanhKernel } from "./tanh";
import {
  registerMissingKernels,
  replaceWasmKernel,
  type WasmKernelReplacement,
} from "./wasm-kernel";
// Not kernels, but the rest of this room, named here so that this file lists all of it: the
// SIMD module's loader (every SIMD kernel above calls it) and the training forward pass (a speed
// path of ../train/ that calls the fused kernels).
import "./simd-kernels";
import "./training-forward";

/** The kernels tfjs has no kernel of that name for, on the backend named in each. */
export const ADDED_KERNELS: readonly tf.KernelConfig[] = [
  conv2dBackpropFilterConfig,
  ...reluMaxPoolConfigs,
  ...scaledTanhConfigs,
  ...subsamplingConfigs,
  ...rbfLossConfigs,
  ...softmaxCrossEntropyConfigs,
  ...adamUpdateConfigs,
  ...sdlmUpdateConfigs,
];

/** The wasm kernels lenet5 replaces: the MaxPoolGrad fix first, then the faster ones. */
export const REPLACED_WASM_KERNELS: readonly WasmKernelReplacement[] = [
  maxPoolGradKernel,
  conv2dBackpropInputKernel,
  batchMatMulKernel,
  avgPoolGradKernel,
  tanhKernel,
  sumLeadingAxesKernel,
  fusedConv2dKernel,
];

/** Marks the kernel functions {@link registerLenet5Kernels} made, so a second call can tell. */
const LENET5_KERNEL = Symbol.for("lenet5.kernel");

/** What one {@link registerLenet5Kernels} call changed, as "backend/KernelName" strings. */
export interface KernelRegistration {
  /** Kernels added where their backend had none, e.g. "wasm/Conv2DBackpropFilter". */
  readonly added: readonly string[];
  /** wasm kernels replaced, e.g. "wasm/MaxPoolGrad". */
  readonly replaced: readonly string[];
}

/**
 * Registers every kernel of {@link ADDED_KERNELS} and {@link REPLACED_WASM_KERNELS} that is not
 * in place yet; idempotent (a second call changes nothing). Called by `initBackend()`, before or
 * after the wasm backend has started (file header).
 * @returns what this call changed.
 * @example
 * ```ts
 * registerLenet5Kernels().replaced; // ["wasm/MaxPoolGrad", "wasm/Conv2DBackpropInput", …]
 * registerLenet5Kernels(); // { added: [], replaced: [] }: already in place
 * ```
 */
export function registerLenet5Kernels(): KernelRegistration {
  const added = registerMissingKernels(ADDED_KERNELS).map(
    (kernel) => `${kernel.backendName}/${kernel.kernelName}`,
  );
  const replaced = REPLACED_WASM_KERNELS.filter((kernel) =>
    replaceWasmKernel(kernel.kernelName, LENET5_KERNEL, kernel.make),
  ).map((kernel) => `wasm/${kernel.kernelName}`);
  return { added, replaced };
}
