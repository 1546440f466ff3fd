/**
 * The plumbing lenet5's own kernels share: running another registered wasm kernel directly on
 * TensorInfos, replacing a registered kernel while keeping it as the fallback (the kernels that
 * speed up wasm's own), registering kernels tfjs has no counterpart of (the fused layers and
 * optimiser updates), and reading a float32 input on the cpu backend. The kernel files only
 * describe their kernels ({@link WasmKernelReplacement} or a tf.KernelConfig); ./register.ts is
 * the one place that registers them, through the two functions here. No paper reference: this
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
 * A kernel that replaces wasm's own of the same name, keeping it as the fallback for the cases it
 * does not handle; ./register.ts passes it to {@link replaceWasmKernel}.
 */
export interface WasmKernelReplacement {
  /** The tfjs kernel it replaces, as tfjs-core spells it (e.g. "BatchMatMul"). */
  readonly kernelName: string;
  /** Builds the kernel function around `fallback`, wasm's own (undefined where wasm has none). */
  readonly make: (fallback: tf.KernelFunc | undefined) => tf.KernelFunc;
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

/**
 * Whether every one of `kernelNames` is registered for the active backend: lenet5's ops take
 * their fast path only then (./register.ts registers the kernels when `initBackend()` runs), and
 * tfjs's own ops, with the same numbers, before.
 * @example
 * ```ts
 * await initBackend("cpu");
 * kernelsRegistered("Lenet5SoftmaxCrossEntropy", "Lenet5SoftmaxCrossEntropyGrad"); // true
 * ```
 */
export function kernelsRegistered(...kernelNames: readonly string[]): boolean {
  const backend = tf.getBackend();
  return kernelNames.every((name) => tf.getKernel(name, backend) !== undefined);
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

/** The parts of tfjs-backend-wasm's backend object a host kernel uses. */
interface WasmHostBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
}

/**
 * How a host kernel — a JavaScript loop over a tensor's own memory, on a backend whose data
 * JavaScript reads synchronously — reads its inputs and makes its float32 outputs.
 */
export interface HostTensors {
  /** The backend's own values of `info`: read them, never write, and before any new output. */
  values(info: tf.TensorInfo): tf.TypedArray;
  /** A new float32 tensor of `shape` holding `values`. */
  output(shape: number[], values: Float32Array): tf.TensorInfo;
}

/** The backends whose data JavaScript reads synchronously for free: host kernels run there. */
export const HOST_BACKENDS = ["wasm", "cpu"] as const;

/**
 * {@link HostTensors} for `backend`, the backend object tfjs passes to a kernel registered for
 * `backendName` (the wasm heap, or the cpu backend's arrays).
 * @example
 * ```ts
 * // inside a cpu or wasm kernel function (see ./rbf-loss.ts):
 * // const io = hostTensors("cpu", args.backend);
 * // return io.output([], Float32Array.of(lossOf(io.values(args.inputs.y!))));
 * ```
 */
export function hostTensors(
  backendName: (typeof HOST_BACKENDS)[number],
  backend: unknown,
): HostTensors {
  if (backendName === "wasm") {
    const wasm = backend as WasmHostBackend;
    return {
      values: (info) => wasm.typedArrayFromHeap(info),
      output: (shape, values) => {
        const out = wasm.makeOutput(shape, "float32");
        (wasm.typedArrayFromHeap(out) as Float32Array).set(values);
        return out;
      },
    };
  }
  const cpu = backend as CpuKernelBackend;
  return {
    values: (info) => {
      const values = cpu.data.get(info.dataId).values;
      if (!ArrayBuffer.isView(values)) throw new Error("host kernel: cpu data not a typed array");
      return values as tf.TypedArray;
    },
    output: (shape, values) => cpu.makeTensorInfo(shape, "float32", values),
  };
}
