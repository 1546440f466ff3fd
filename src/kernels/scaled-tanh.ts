/**
 * The fused wasm kernels of the paper's squashing function f(a) = A·tanh(S·a) (Section II-A/B,
 * Appendix A, eq. 6; A = 1.7159, S = 2/3), both directions, for ../layers/scaled-tanh.ts: one
 * WebAssembly SIMD pass each (`scaledTanh`, `scaledTanhGrad` in ./simd-kernels.as.ts), tanh
 * being the rational approximation of ./tanh.ts. The `historical` model applies f five times per
 * step, so this replaces some twenty kernel calls per training step with ten. Speed only: the
 * layer computes the same function with tfjs's ops wherever these are not registered.
 *
 * Gradient from the output alone: f'(a) = A·S·(1 − tanh²(S·a)) = (S/A)·(A² − f(a)²).
 *
 * Input shape: any. Output shape: the same.
 */
import * as tf from "@tensorflow/tfjs";
import { SCALED_TANH_A, SCALED_TANH_S } from "../paper";
import { heapOffset, requireSimdKernels, type WasmBackendInternals } from "./simd-kernels";

/** The fused forward kernel's registered name (wasm only). */
export const SCALED_TANH = "Lenet5ScaledTanh";
/** The fused gradient kernel's registered name (wasm only). */
export const SCALED_TANH_GRAD = "Lenet5ScaledTanhGrad";

/**
 * f(x) and its gradient by the fused kernels' formulas in plain loops (float64, then rounded):
 * the reference the wasm kernels are tested against. dx = dy·(S/A)·(A² − f(x)²).
 * @example
 * ```ts
 * const { y, dx } = scaledTanhReference(Float32Array.from([0]), Float32Array.from([1]));
 * // y = [0]; dx = [A·S] = [1.7159 · 2/3 ≈ 1.1439]: the slope at the origin
 * ```
 */
export function scaledTanhReference(
  x: Float32Array,
  dy: Float32Array,
): { y: Float32Array; dx: Float32Array } {
  const y = x.map((v) => SCALED_TANH_A * Math.tanh(SCALED_TANH_S * v)); // x's shape
  const dx = dy.map(
    (g, i) => g * (SCALED_TANH_S / SCALED_TANH_A) * (SCALED_TANH_A ** 2 - y[i] ** 2),
  ); // x's shape
  return { y, dx };
}

/** Forward kernel function (wasm): y = A·tanh(S·x), like x. */
function scaledTanhWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }) {
  const backend = args.backend as WasmBackendInternals;
  const { x } = args.inputs;
  if (x === undefined) throw new Error(`${SCALED_TANH}: needs input x`);
  const y = backend.makeOutput([...x.shape], "float32"); // x's shape
  const count = x.shape.reduce((a, b) => a * b, 1);
  requireSimdKernels(backend, SCALED_TANH).scaledTanh(
    heapOffset(backend, x),
    heapOffset(backend, y),
    count,
    SCALED_TANH_A,
    SCALED_TANH_S,
  );
  return y;
}

/** Gradient kernel function (wasm): dx = dy·(S/A)·(A² − y²), like y. */
function scaledTanhGradWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }) {
  const backend = args.backend as WasmBackendInternals;
  const { y, dy } = args.inputs;
  if (y === undefined || dy === undefined) throw new Error(`${SCALED_TANH_GRAD}: needs y, dy`);
  const dx = backend.makeOutput([...y.shape], "float32"); // y's shape
  const count = y.shape.reduce((a, b) => a * b, 1);
  requireSimdKernels(backend, SCALED_TANH_GRAD).scaledTanhGrad(
    heapOffset(backend, y),
    heapOffset(backend, dy),
    heapOffset(backend, dx),
    count,
    SCALED_TANH_A,
    SCALED_TANH_S,
  );
  return dx;
}

/**
 * The two fused wasm kernels, which tfjs has no counterpart of; ./register.ts registers them when
 * `initBackend()` runs.
 */
export const scaledTanhConfigs: readonly tf.KernelConfig[] = [
  { kernelName: SCALED_TANH, backendName: "wasm", kernelFunc: scaledTanhWasm as tf.KernelFunc },
  {
    kernelName: SCALED_TANH_GRAD,
    backendName: "wasm",
    kernelFunc: scaledTanhGradWasm as tf.KernelFunc,
  },
];
