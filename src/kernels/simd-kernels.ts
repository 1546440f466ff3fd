/**
 * Loads lenet5's WebAssembly SIMD kernels (source: ./simd-kernels.as.ts, AssemblyScript) into the
 * wasm backend's own memory, so they read and write tensors where the backend keeps them: no
 * copies in or out. No paper reference: this is engineering for training speed (docs/speed.md).
 *
 * The module is instantiated once per backend, on first use, and remembered on the backend object
 * itself. Where it cannot run (a backend without a plain WebAssembly.Memory, e.g. the threaded
 * browser build with shared memory, or a browser that refuses to compile it synchronously), the
 * loader returns undefined and callers use their portable path.
 *
 * Input shape / Output shape: see each kernel in ./simd-kernels.as.ts.
 */
import * as tf from "@tensorflow/tfjs";
import { SIMD_KERNELS_WASM_BASE64 } from "./simd-kernels-wasm";

/** The kernels ./simd-kernels.as.ts exports; every pointer is a byte offset into the wasm heap. */
export interface SimdKernels {
  /** src [count, h, w] → dst [count, h + 2·pad, w + 2·pad], zero border. */
  padPlanes(src: number, dst: number, count: number, h: number, w: number, pad: number): void;
  /**
   * C1's filter gradient (5×5, 1 → 6 channels, stride 1) from a padded x [n, outH + 4, outW + 4]
   * and dy [n, outH, outW, 6] into out [5, 5, 1, 6]; `acc` is 1200 bytes of 16-byte-aligned
   * scratch; outW must be even.
   */
  conv1FilterGrad5x5x6(
    x: number,
    dy: number,
    out: number,
    acc: number,
    n: number,
    outH: number,
    outW: number,
  ): void;
  /**
   * C1's forward convolution (5×5, 1 → 6 channels, stride 1) from a padded x [n, outH + 4,
   * outW + 4], w [5, 5, 1, 6] and bias [6] into y [n, outH, outW, 6], with a ReLU if `relu` is 1;
   * outW a multiple of 4; `taps` is 2400 bytes of scratch.
   */
  conv1Forward5x5x6(
    x: number,
    w: number,
    bias: number,
    y: number,
    taps: number,
    n: number,
    outH: number,
    outW: number,
    relu: number,
  ): void;
  /** ReLU then 2×2/stride-2 max pooling: x [n, h, w, c] (h, w even, c ≥ 4) → y [n, h/2, w/2, c]. */
  reluMaxPool2x2(x: number, y: number, n: number, h: number, w: number, c: number): void;
  /** Its gradient: x [n, h, w, c], dy [n, h/2, w/2, c] → dx [n, h, w, c]. */
  reluMaxPool2x2Grad(
    x: number,
    dy: number,
    dx: number,
    n: number,
    h: number,
    w: number,
    c: number,
  ): void;
  /**
   * col2im of a valid, stride-1 convolution: cols [n, outH, outW, k, k, cin] → dx
   * [n, outH + k − 1, outW + k − 1, cin], summing overlapping windows.
   */
  col2imValid(
    cols: number,
    dx: number,
    n: number,
    outH: number,
    outW: number,
    k: number,
    cin: number,
  ): void;
  /** The paper's squashing function y = a·tanh(s·x) on `count` floats. */
  scaledTanh(x: number, y: number, count: number, a: number, s: number): void;
  /** Its gradient from the output: dx = dy·(s/a)·(a² − y²) on `count` floats. */
  scaledTanhGrad(y: number, dy: number, dx: number, count: number, a: number, s: number): void;
  /** Trainable subsampling: y = coef·scale·(2×2 block sums of x) + bias; x [n, h, w, c], c ≥ 4. */
  subsample2x2(
    x: number,
    coef: number,
    bias: number,
    y: number,
    n: number,
    h: number,
    w: number,
    c: number,
    scale: number,
  ): void;
  /** Its gradients dx, dcoef, dbias; `acc` is scratch for 8·⌈c/4⌉ floats. */
  subsample2x2Grad(
    x: number,
    dy: number,
    coef: number,
    dx: number,
    dcoef: number,
    dbias: number,
    acc: number,
    n: number,
    h: number,
    w: number,
    c: number,
    scale: number,
  ): void;
  /**
   * One Adam update of n float32 weights (src/kernels/adam-update.ts): reads w, m, v, g and writes
   * w', m', v' (outputs must not overlap inputs).
   */
  adamUpdate(
    w: number,
    m: number,
    v: number,
    g: number,
    wOut: number,
    mOut: number,
    vOut: number,
    n: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    stepSize: number,
    vCorrection: number,
    epsilon: number,
  ): void;
  /** SDLM's update w' = w − rate/(h + μ)·g of n weights (src/kernels/sdlm-update.ts). */
  sdlmUpdate(
    w: number,
    g: number,
    h: number,
    wOut: number,
    n: number,
    rate: number,
    mu: number,
  ): void;
  /** SDLM's update before any Hessian estimate: w' = w − rate/μ·g. */
  sdlmUpdateNoHessian(
    w: number,
    g: number,
    wOut: number,
    n: number,
    rate: number,
    mu: number,
  ): void;
  /**
   * Column sums: x [rows, cols] → out [cols], with `acc` scratch of `block` floats, block the
   * least common multiple of cols and 4.
   */
  sumRows(x: number, out: number, acc: number, rows: number, cols: number, block: number): void;
}

/** The parts of tfjs-backend-wasm's backend object the kernels use. */
export interface WasmBackendInternals {
  /** The Emscripten module; `asm.memory` is the backend's WebAssembly.Memory. */
  wasm: { asm?: { memory?: unknown } };
  /** Where each tensor's data sits in the heap. */
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  /** Allocates a new heap tensor (not zeroed); may grow the memory. */
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** A view of a tensor's data; invalid once the memory grows. */
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  /** Frees a tensor's data. */
  disposeData(dataId: object, force?: boolean): boolean;
}

/** Where the instance (or the reason there is none) is kept on the backend object. */
const INSTANCE = Symbol.for("lenet5.simdKernels");
/** Set on a backend object whose SIMD kernels were turned off by {@link setSimdKernelsEnabled}. */
const DISABLED = Symbol.for("lenet5.simdKernelsDisabled");

type WithInstance = WasmBackendInternals & {
  [INSTANCE]?: SimdKernels | null;
  [DISABLED]?: boolean;
};

/** The WebAssembly API as far as the loader uses it (the project's TypeScript lib has no DOM). */
interface WebAssemblyApi {
  Memory: abstract new (...args: never[]) => object;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** Decodes the embedded module (atob exists in Node ≥ 16 and in browsers). */
function moduleBytes(): Uint8Array {
  const binary = atob(SIMD_KERNELS_WASM_BASE64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The SIMD kernels bound to `backend`'s memory, or undefined where they cannot run (see the file
 * header). Instantiates on the first call for a backend and reuses that instance afterwards.
 * @example
 * ```ts
 * await tf.setBackend("wasm");
 * const kernels = simdKernelsFor(tf.backend()); // SimdKernels in Node 20
 * typeof kernels?.conv1FilterGrad5x5x6; // "function"
 * ```
 */
export function simdKernelsFor(backend: unknown): SimdKernels | undefined {
  const target = backend as WithInstance;
  if (target[DISABLED] === true) return undefined;
  const known = target[INSTANCE];
  if (known !== undefined) return known ?? undefined;
  let kernels: SimdKernels | null = null;
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  const memory = target.wasm?.asm?.memory;
  if (api !== undefined && memory instanceof api.Memory) {
    try {
      const module = new api.Module(moduleBytes());
      const instance = new api.Instance(module, { env: { memory } });
      kernels = instance.exports as unknown as SimdKernels;
    } catch {
      kernels = null; // e.g. no SIMD support, or synchronous compilation refused
    }
  }
  Object.defineProperty(target, INSTANCE, { value: kernels, configurable: true });
  return kernels ?? undefined;
}

/**
 * The SIMD kernels bound to `backend`, for a kernel that has no other path: throws, naming
 * `who`, where they cannot run (callers check {@link simdKernelsActive} before choosing it).
 * @example
 * ```ts
 * await tf.setBackend("wasm");
 * requireSimdKernels(tf.backend(), "Lenet5ScaledTanh").scaledTanh; // the loop
 * ```
 */
export function requireSimdKernels(backend: unknown, who: string): SimdKernels {
  const kernels = simdKernelsFor(backend);
  if (kernels === undefined) throw new Error(`${who}: the SIMD kernels cannot run here`);
  return kernels;
}

/**
 * Whether the active tfjs backend runs the SIMD kernels (wasm, with the module instantiated). The
 * fused ops (./relu-max-pool.ts, ../layers/scaled-tanh.ts, ../layers/subsampling.ts) ask
 * {@link fusedKernelsActive}, which also checks that their kernels are registered.
 * @example
 * ```ts
 * await tf.setBackend("wasm");
 * simdKernelsActive(); // true in Node 20
 * ```
 */
export function simdKernelsActive(): boolean {
  return tf.getBackend() === "wasm" && simdKernelsFor(tf.backend()) !== undefined;
}

/**
 * Whether a fused op may call its SIMD kernels `kernelNames`: the active backend runs the SIMD
 * kernels ({@link simdKernelsActive}) and every one of them is registered, which ./register.ts
 * does when `initBackend()` runs. Before that the fused ops take tfjs's own ops, with the same
 * numbers.
 * @example
 * ```ts
 * await initBackend("wasm");
 * fusedKernelsActive("Lenet5ScaledTanh", "Lenet5ScaledTanhGrad"); // true in Node 20
 * ```
 */
export function fusedKernelsActive(...kernelNames: readonly string[]): boolean {
  return (
    simdKernelsActive() && kernelNames.every((name) => tf.getKernel(name, "wasm") !== undefined)
  );
}

/**
 * Turns the SIMD kernels off for `backend` (every kernel and fused op then takes its portable
 * path) or back on. For measuring what they buy (scripts/speed-ablation.mjs) and for testing the
 * portable paths on wasm; the state lives on the backend object.
 * @example
 * ```ts
 * setSimdKernelsEnabled(tf.backend(), false);
 * simdKernelsActive(); // false
 * setSimdKernelsEnabled(tf.backend(), true);
 * ```
 */
export function setSimdKernelsEnabled(backend: unknown, enabled: boolean): void {
  Object.defineProperty(backend as object, DISABLED, {
    value: !enabled,
    configurable: true,
    writable: true,
  });
}

/** Byte offset of a wasm tensor's data in the backend's heap. */
export function heapOffset(backend: WasmBackendInternals, info: tf.TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (data === undefined) throw new Error("lenet5 SIMD kernels: a tensor has no data on the heap");
  return data.memoryOffset;
}
