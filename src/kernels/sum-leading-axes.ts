/**
 * A faster wasm `Sum` kernel for reductions over every axis but the last: what a bias's gradient
 * is, ∂L/∂b[c] = Σ_{n, h, w} ∂L/∂y[n, h, w, c], for every convolution and dense layer of LeNet-5
 * (C1, C3, C5, F6 and the output). No paper reference: engineering for training speed.
 *
 * Why: tfjs-backend-wasm 4.22 reduces only over the innermost axes, so for axes [0, 1, 2] it first
 * transposes the whole of dy (measured here: 0.5–0.6 ms for C1's [64, 28, 28, 6] at batch 64,
 * docs/speed.md). This kernel sums the rows of dy read as a [N·H·W, C] matrix in one SIMD pass
 * (`sumRows` in ./simd-kernels.as.ts); {@link sumLeadingAxesReference} is its plain reference.
 * Every other reduction goes to wasm's own kernel, which this one keeps.
 *
 * Formula: out[c] = Σ_r x[r, c] with x read as [rows, C], rows the product of the leading axes.
 * Input shape: [d0, …, dk, C] (rank ≥ 2, float32). Output shape: [C], or [1, …, 1, C] with keepDims.
 */
import * as tf from "@tensorflow/tfjs";
import { type KernelArgs, type WasmKernelReplacement } from "./wasm-kernel";
import { heapOffset, simdKernelsFor, type WasmBackendInternals } from "./simd-kernels";

/** The kernel's registered name, as tfjs-core spells it. */
export const SUM = "Sum";

/**
 * The formula of the file header in plain loops: x [rows, cols] row-major → column sums [cols].
 * @example
 * ```ts
 * // [[1, 2, 3], [4, 5, 6]] → [1 + 4, 2 + 5, 3 + 6]
 * sumLeadingAxesReference(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3); // Float32Array [5, 7, 9]
 * ```
 */
export function sumLeadingAxesReference(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(cols); // [cols]
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c] += x[r * cols + c];
  return out;
}

/** Greatest common divisor, for the SIMD block size lcm(cols, 4). */
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** The axes of a `Sum` as a sorted list of non-negative numbers. */
function normalisedAxes(axis: number | number[], rank: number): number[] {
  const list = Array.isArray(axis) ? axis : [axis];
  return list.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
}

/** Builds the kernel function around `fallback`, wasm's own kernel, for the cases it leaves. */
function makeSumWasm(fallback: tf.KernelFunc | undefined): tf.KernelFunc {
  return ((args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as WasmBackendInternals;
    const { x } = args.inputs;
    if (x === undefined) throw new Error("sumWasm: needs input x");
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const rank = x.shape.length;
    const axes = normalisedAxes(axis, rank);
    const leading = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
    const kernels = leading && x.dtype === "float32" ? simdKernelsFor(backend) : undefined;
    if (kernels === undefined) {
      if (fallback === undefined) throw new Error("sumWasm: unsupported reduction");
      return fallback(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    }
    const cols = x.shape[rank - 1];
    const rows = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const block = (cols * 4) / gcd(cols, 4); // lcm(cols, 4)
    const outShape = keepDims ? [...x.shape.slice(0, -1).map(() => 1), cols] : [cols];
    const out = backend.makeOutput(outShape, "float32"); // [C] or [1, …, 1, C]
    const scratch = backend.makeOutput([block], "float32"); // the SIMD accumulators
    try {
      kernels.sumRows(
        heapOffset(backend, x),
        heapOffset(backend, out),
        heapOffset(backend, scratch),
        rows,
        cols,
        block,
      );
    } finally {
      backend.disposeData(scratch.dataId);
    }
    return out;
  }) as tf.KernelFunc;
}

/**
 * The replacement of wasm's `Sum`, by the column sum of the file header (wasm's own stays as the fallback for every
 * other reduction); ./register.ts registers it when `initBackend()` runs.
 */
export const sumLeadingAxesKernel: WasmKernelReplacement = {
  kernelName: SUM,
  make: makeSumWasm,
};
