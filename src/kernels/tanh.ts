/**
 * A faster wasm `Tanh` kernel: the hyperbolic tangent inside the paper's squashing function
 * f(a) = 1.7159·tanh(2a/3) (Section II-B, Appendix A), which follows every layer of the faithful
 * `historical` net up to F6. tfjs-backend-wasm 4.22 computes tanh with libm's scalar function,
 * ~30 ns per value here: 10 ms for C1's 301,056 values at batch 64, the largest kernel of the
 * `historical` training step (docs/speed.md). This one evaluates a rational approximation in
 * plain JavaScript on the wasm heap, a few nanoseconds per value.
 *
 * Formula: for |x| < 4e−4, tanh(x) = x (float32-exact); otherwise, with x clamped to ±7.9053
 * (beyond it tanh is within 3e−7 of ±1), tanh(x) ≈ x·P(x²)/Q(x²), P of degree 6 and Q of degree
 * 3 in x², the coefficients Eigen uses for float32 (`generic_fast_tanh_float`). Largest error
 * measured against Math.tanh on [−12, 12]: 2.4e−7, 4 float32 ulps near ±1 (tanh.test.ts).
 *
 * Input shape: any. Output shape: the same.
 */
import * as tf from "@tensorflow/tfjs";
import type { WasmKernelReplacement } from "./wasm-kernel";

/** The kernel's registered name, as tfjs-core spells it. */
export const TANH = "Tanh";

/** Inputs are clamped to ±CLAMP: beyond it tanh(x) is within 3e−7 of ±1. */
const CLAMP = 7.90531110763549805;
/** Below this |x|, tanh(x) = x in float32. */
const TINY = 0.0004;
// x·P(x²)/Q(x²): Eigen's float32 rational approximation of tanh.
const A1 = 4.89352455891786e-3;
const A3 = 6.37261928875436e-4;
const A5 = 1.48572235717979e-5;
const A7 = 5.12229709037114e-8;
const A9 = -8.60467152213735e-11;
const A11 = 2.00018790482477e-13;
const A13 = -2.76076847742355e-16;
const B0 = 4.89352518554385e-3;
const B2 = 2.268434632439e-3;
const B4 = 1.18534705686654e-4;
const B6 = 1.19825839466702e-6;

/**
 * tanh(x) by the rational approximation of the file header (what the kernel computes per value).
 * @example
 * ```ts
 * fastTanh(0.5); // ≈ 0.46211716 (Math.tanh(0.5) = 0.46211715726…)
 * fastTanh(20); // 0.99999976 (the clamp; tanh(20) = 1 − 8e−18)
 * ```
 */
export function fastTanh(value: number): number {
  if (Math.abs(value) < TINY) return value;
  const x = value > CLAMP ? CLAMP : value < -CLAMP ? -CLAMP : value;
  const x2 = x * x;
  const p = x * ((((((A13 * x2 + A11) * x2 + A9) * x2 + A7) * x2 + A5) * x2 + A3) * x2 + A1);
  const q = ((B6 * x2 + B4) * x2 + B2) * x2 + B0;
  return p / q;
}

/** The parts of the wasm backend this kernel uses. */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** Kernel function: tanh of every value of x (see the file header). */
function tanhWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as WasmHeapBackend;
  const { x } = args.inputs;
  if (x === undefined) throw new Error("tanhWasm: needs input x");
  if (x.dtype !== "float32") throw new Error(`tanhWasm: float32 only, got ${x.dtype}`);
  const out = backend.makeOutput([...x.shape], "float32"); // like x
  const xs = backend.typedArrayFromHeap(x); // taken after makeOutput (the heap may move)
  const ys = backend.typedArrayFromHeap(out);
  for (let i = 0; i < xs.length; i++) ys[i] = fastTanh(xs[i]);
  return out;
}

/**
 * The replacement of wasm's `Tanh` by {@link fastTanh}'s loop, for every input (no fallback is
 * needed: it handles any float32 tensor); ./register.ts registers it when `initBackend()` runs.
 */
export const tanhKernel: WasmKernelReplacement = {
  kernelName: TANH,
  make: () => tanhWasm as tf.KernelFunc,
};
