/**
 * The paper's SDLM weight update (LeCun et al. 1998, Appendix C) for one weight tensor fused into
 * ONE tfjs kernel, `Lenet5SdlmUpdate`, instead of the 4 tf ops (5 before the first Hessian
 * estimate) of the plain composition: every tf op costs engine overhead on the wasm backend
 * whatever its size.
 *
 *   ε_k = rate / (h_kk + μ),   w_k' = w_k − ε_k·g_k
 *
 * where rate = η × the batch scaling (SdlmOptimizer passes η·B for "sum", η for "mean"), h_kk the
 * diagonal Hessian estimate (0 everywhere before the first) and μ the damping constant.
 * Arithmetic: float32, rounded after every operation in the order above, rate and μ rounded to
 * float32 as tfjs rounds a scalar operand: what the op chain computes on wasm and cpu, so the
 * fused update gives the same bits as the old one.
 *
 * Kernels for "wasm" (a WebAssembly SIMD loop, `sdlmUpdate` in ./simd-kernels.as.ts, on the backend's own heap; a
 * JavaScript loop on heap views where that cannot run) and "cpu"; {@link sdlmUpdate} falls back
 * to {@link sdlmUpdateOps} on other backends. `initBackend()` registers the kernels (./register.ts). The kernel returns a new tensor and never writes its inputs. No gradient.
 *
 * Input shape: w, g and h (when given) all of one shape (the weight's), float32.
 * Output shape: w', that shape.
 * Departures: the paper updates after every example; the batch scaling is SdlmOptimizer's (see
 * sdlm.ts), this file only applies the rate it is given.
 */
import * as tf from "@tensorflow/tfjs";
import { heapOffset, simdKernelsFor, type WasmBackendInternals } from "./simd-kernels";
import { cpuFloat32, type CpuKernelBackend, type KernelArgs } from "./wasm-kernel";

/** The fused kernel's registered name. */
export const SDLM_UPDATE = "Lenet5SdlmUpdate";

/** The backends {@link SDLM_UPDATE} has a kernel for (others use {@link sdlmUpdateOps}). */
export const SDLM_UPDATE_BACKENDS = ["wasm", "cpu"] as const;

/** Settings of one SDLM update, the fused kernel's attributes. */
export interface SdlmUpdateHyper {
  /** η times the batch scaling: the numerator of every ε_k. */
  readonly rate: number;
  /** μ, added to h_kk in the denominator. */
  readonly mu: number;
}

/**
 * The formula of the file header in plain loops on Float32Arrays, every operation rounded to
 * float32 (`Math.fround`); `h` null means no Hessian estimate yet (h_kk = 0). The reference the
 * kernels are tested against. Returns a new array.
 * @example
 * ```ts
 * // rate 0.1, μ 0.1, h = [0.9, 0.1]: ε = [0.1/1, 0.1/0.2] = [0.1, 0.5]; g = [1, 1]
 * sdlmUpdateReference(Float32Array.of(1, 1), Float32Array.of(1, 1), Float32Array.of(0.9, 0.1),
 *   { rate: 0.1, mu: 0.1 }); // ≈ [0.9, 0.5]
 * ```
 */
export function sdlmUpdateReference(
  w: Float32Array,
  g: Float32Array,
  h: Float32Array | null,
  hyper: SdlmUpdateHyper,
): Float32Array {
  const f32 = Math.fround;
  const wNew = new Float32Array(w.length);
  for (let k = 0; k < w.length; k++) {
    const rateK = f32(f32(hyper.rate) / f32((h === null ? 0 : h[k]) + f32(hyper.mu)));
    wNew[k] = w[k] - f32(rateK * g[k]); // stored, so rounded
  }
  return wNew;
}

/** The kernels' JavaScript loop: the reference's arithmetic, operation for operation. */
function sdlmUpdateInto(
  w: Float32Array,
  g: Float32Array,
  h: Float32Array | null,
  wNew: Float32Array,
  hyper: SdlmUpdateHyper,
): void {
  const f32 = Math.fround;
  const rate = f32(hyper.rate);
  const mu = f32(hyper.mu);
  if (h === null) {
    const rateK = f32(rate / f32(0 + mu));
    for (let k = 0; k < w.length; k++) wNew[k] = w[k] - f32(rateK * g[k]);
    return;
  }
  for (let k = 0; k < w.length; k++) wNew[k] = w[k] - f32(f32(rate / f32(h[k] + mu)) * g[k]);
}

/** The inputs of a kernel call, checked: w and g present, all float32 and of one size. */
function checkedInputs(args: KernelArgs): {
  w: tf.TensorInfo;
  g: tf.TensorInfo;
  h: tf.TensorInfo | null;
} {
  const { w, g, h } = args.inputs;
  if (w === undefined || g === undefined) throw new Error(`${SDLM_UPDATE}: needs inputs w and g`);
  const size = tf.util.sizeFromShape(w.shape);
  for (const [name, info] of Object.entries({ w, g, ...(h === undefined ? {} : { h }) })) {
    if (info.dtype !== "float32") {
      throw new Error(`${SDLM_UPDATE}: input ${name} is ${info.dtype}, not float32`);
    }
    if (tf.util.sizeFromShape(info.shape) !== size) {
      throw new Error(`${SDLM_UPDATE}: input ${name} has shape [${info.shape}], w [${w.shape}]`);
    }
  }
  return { w, g, h: h ?? null };
}

/** The wasm kernel: a new heap tensor written by the SIMD loop, or by the JavaScript loop. */
function sdlmUpdateWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendInternals;
  const { w, g, h } = checkedInputs(args);
  const hyper = args.attrs as unknown as SdlmUpdateHyper;
  const out = backend.makeOutput([...w.shape], "float32"); // like w
  const size = tf.util.sizeFromShape(w.shape);
  const simd = simdKernelsFor(backend);
  if (simd !== undefined) {
    const offset = (info: tf.TensorInfo) => heapOffset(backend, info);
    const rate = Math.fround(hyper.rate);
    const mu = Math.fround(hyper.mu);
    if (h === null) simd.sdlmUpdateNoHessian(offset(w), offset(g), offset(out), size, rate, mu);
    else simd.sdlmUpdate(offset(w), offset(g), offset(h), offset(out), size, rate, mu);
    return out;
  }
  // Views only now: makeOutput may grow the wasm memory, which replaces the heap's buffer.
  const view = (info: tf.TensorInfo) => backend.typedArrayFromHeap(info);
  sdlmUpdateInto(view(w), view(g), h === null ? null : view(h), view(out), hyper);
  return out;
}

/** The cpu kernel: reads the inputs' Float32Arrays, hands a new array to the backend. */
function sdlmUpdateCpu(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as CpuKernelBackend;
  const { w, g, h } = checkedInputs(args);
  const read = (info: tf.TensorInfo): Float32Array => cpuFloat32(backend, info, SDLM_UPDATE);
  const wNew = new Float32Array(tf.util.sizeFromShape(w.shape)); // like w
  const hyper = args.attrs as unknown as SdlmUpdateHyper;
  sdlmUpdateInto(read(w), read(g), h === null ? null : read(h), wNew, hyper);
  return backend.makeTensorInfo([...w.shape], "float32", wNew);
}

/**
 * {@link SDLM_UPDATE} for each of {@link SDLM_UPDATE_BACKENDS}; ./register.ts registers them when
 * `initBackend()` runs (until then {@link sdlmUpdate} runs the op chain, with the same bits).
 */
export const sdlmUpdateConfigs: readonly tf.KernelConfig[] = [
  { kernelName: SDLM_UPDATE, backendName: "wasm", kernelFunc: sdlmUpdateWasm },
  { kernelName: SDLM_UPDATE, backendName: "cpu", kernelFunc: sdlmUpdateCpu },
];

/**
 * The update of the file header as tf ops (add, div, mul, sub; a tensor of zeros first when `h`
 * is null): the fallback of {@link sdlmUpdate} on backends without the fused kernel, and exactly
 * the arithmetic SdlmOptimizer used before the kernel existed. The caller owns the result.
 * @example
 * ```ts
 * sdlmUpdateOps(tf.tensor1d([1, 1]), tf.tensor1d([1, 1]), tf.tensor1d([0.9, 0.1]),
 *   { rate: 0.1, mu: 0.1 }); // ≈ [0.9, 0.5]
 * ```
 */
export function sdlmUpdateOps(
  w: tf.Tensor,
  g: tf.Tensor,
  h: tf.Tensor | null,
  hyper: SdlmUpdateHyper,
): tf.Tensor {
  return tf.tidy(() => {
    const hessian = h ?? tf.zerosLike(w); // h_kk, like w
    const rates = tf.div(hyper.rate, tf.add(hessian, hyper.mu)); // ε_k, like w
    return tf.sub(w, tf.mul(rates, g)); // like w
  });
}

/**
 * One SDLM update of one weight tensor: w' of the file header as a new tensor (the inputs are not
 * changed; the caller owns the result); `h` null means no Hessian estimate yet. One kernel call
 * on the wasm and cpu backends, the op chain {@link sdlmUpdateOps} on others.
 * @throws Error if the tensors differ in shape or are not float32.
 * @example
 * ```ts
 * const w = tf.tensor1d([1, 1]);
 * const h = tf.tensor1d([0.9, 0.1]); // rates 0.1/(0.9 + 0.1) = 0.1 and 0.1/(0.1 + 0.1) = 0.5
 * const wNew = sdlmUpdate(w, tf.tensor1d([1, 1]), h, { rate: 0.1, mu: 0.1 }); // ≈ [0.9, 0.5]
 * ```
 */
export function sdlmUpdate(
  w: tf.Tensor,
  g: tf.Tensor,
  h: tf.Tensor | null,
  hyper: SdlmUpdateHyper,
): tf.Tensor {
  for (const [name, t] of Object.entries({ w, g, ...(h === null ? {} : { h }) })) {
    if (t.dtype !== "float32") throw new Error(`sdlmUpdate: ${name} is ${t.dtype}, not float32`);
    if (!tf.util.arraysEqual(t.shape, w.shape)) {
      throw new Error(`sdlmUpdate: ${name} has shape [${t.shape}], w [${w.shape}]`);
    }
  }
  if (tf.getKernel(SDLM_UPDATE, tf.getBackend()) === undefined) {
    return sdlmUpdateOps(w, g, h, hyper);
  }
  const inputs: tf.NamedTensorMap = h === null ? { w, g } : { w, g, h };
  const attrs: tf.NamedAttrMap = { rate: hyper.rate, mu: hyper.mu };
  return tf.engine().runKernel(SDLM_UPDATE, inputs, attrs) as tf.Tensor; // like w
}
