/**
 * The plumbing lenet5's own kernels share: running another registered wasm kernel directly on
 * TensorInfos, replacing a registered kernel while keeping it as the fallback (the kernels that
 * speed up wasm's own), registering kernels tfjs has no counterpart of (the fused layers and
 * optimiser updates), and reading a float32 input on the cpu backend. No paper reference: this
 * is engineering around tfjs 4.22.
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

/**
 * Registers each of `kernels` whose name has no kernel yet on its backend (importing a module
 * twice, or a future tfjs bringing its own, leaves the registered one in place).
 * @returns the ones this call registered.
 * @example
 * ```ts
 * const kernelFunc = ((args: KernelArgs) => args.inputs.x) as tf.KernelFunc;
 * registerMissingKernels([{ kernelName: "Lenet5Example2", backendName: "cpu", kernelFunc }]); // [that one]
 * registerMissingKernels([{ kernelName: "Lenet5Example2", backendName: "cpu", kernelFunc }]); // []
 * ```
 */
export function registerMissingKernels(kernels: readonly tf.KernelConfig[]): tf.KernelConfig[] {
  return kernels.filter((kernel) => {
    if (tf.getKernel(kernel.kernelName, kernel.backendName) !== undefined) return false;
    tf.registerKernel(kernel);
    return true;
  });
}

/** The parts of tfjs-backend-cpu's MathBackendCPU a kernel needs to read and make tensors. */
export interface CpuKernelBackend {
  /** Each tensor's values by data id. */
  data: { get(dataId: tf.DataId): { values?: unknown } };
  /** Wraps new values as a tensor of the backend. */
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

/**
 * A float32 input's values on the cpu backend (the backend's own array: read, never write).
 * Throws, naming `who`, for any other dtype.
 * @example
 * ```ts
 * // inside a cpu kernel function (see src/kernels/adam-update.ts):
 * // const w = cpuFloat32(args.backend as CpuKernelBackend, args.inputs.w!, "Lenet5AdamUpdate");
 * ```
 */
export function cpuFloat32(
  backend: CpuKernelBackend,
  info: tf.TensorInfo,
  who: string,
): Float32Array {
  const values = backend.data.get(info.dataId).values;
  if (!(values instanceof Float32Array)) throw new Error(`${who}: cpu data not float32`);
  return values;
}
