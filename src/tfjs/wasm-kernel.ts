/**
 * The plumbing lenet5's own wasm kernels share (conv2d-backprop-filter, conv2d-backprop-input,
 * batch-mat-mul, avg-pool-grad): running another registered wasm kernel directly on
 * TensorInfos, and replacing a registered kernel while keeping it as the fallback. No paper
 * reference: this is engineering around tfjs-backend-wasm 4.22.
 *
 * Input shape / Output shape: those of the kernel run or registered.
 */
import * as tf from "@tensorflow/tfjs";

/** Arguments tfjs passes to a kernel function. */
export interface KernelArgs {
  /** The kernel's inputs by name (e.g. `x`, `dy`, `filter`). */
  inputs: tf.NamedTensorInfoMap;
  /** The backend running it (the wasm backend here). */
  backend: unknown;
  /** The kernel's attributes (strides, padding, transposes, …). */
  attrs?: tf.NamedAttrMap;
}

/**
 * Runs another wasm kernel directly on TensorInfos, outside the engine (no tape, no tracking):
 * the caller disposes what it returns when it is an intermediate. Throws when wasm has no
 * `kernelName`.
 * @example
 * ```ts
 * // inside a kernel function (see batch-mat-mul.ts):
 * // runWasmKernel(backend, "Transpose", { x: m }, { perm: [0, 2, 1] }); // [1, cols, rows]
 * ```
 */
export function runWasmKernel(
  backend: unknown,
  kernelName: string,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, "wasm");
  if (kernel === undefined) {
    throw new Error(`lenet5 wasm kernels: wasm has no '${kernelName}' kernel to build on`);
  }
  return kernel.kernelFunc({
    inputs,
    backend: backend as tf.KernelBackend,
    attrs,
  }) as tf.TensorInfo;
}

/**
 * Replaces the wasm kernel `kernelName` with `make(fallback)`, where `fallback` is the kernel
 * registered before (wasm's own, kept for the cases lenet5's does not handle), unless the
 * registered one was already made by this call's `tag`. wasm's own set-up function is kept, so
 * its kernel still works as the fallback and can be put back (scripts/speed-ablation.mjs).
 * @returns true if this call registered the kernel, false if it was already in place.
 * @example
 * ```ts
 * const TAG = Symbol("lenet5.example");
 * const identity = (() => ((args: KernelArgs) => args.inputs.x)) as () => tf.KernelFunc;
 * replaceWasmKernel("Lenet5Example", TAG, identity); // true: registered
 * replaceWasmKernel("Lenet5Example", TAG, identity); // false: already in place
 * ```
 */
export function replaceWasmKernel(
  kernelName: string,
  tag: symbol,
  make: (fallback: tf.KernelFunc | undefined) => tf.KernelFunc,
): boolean {
  const current = tf.getKernel(kernelName, "wasm");
  if (current !== undefined && tag in current.kernelFunc) return false;
  if (current !== undefined) tf.unregisterKernel(kernelName, "wasm");
  const kernelFunc = make(current?.kernelFunc);
  Object.defineProperty(kernelFunc, tag, { value: true });
  tf.registerKernel({
    kernelName,
    backendName: "wasm",
    kernelFunc,
    // wasm binds its own kernel's function when the backend starts: keep that for the fallback.
    ...(current?.setupFunc === undefined ? {} : { setupFunc: current.setupFunc }),
  });
  return true;
}
