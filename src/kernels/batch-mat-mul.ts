/**
 * A faster wasm `BatchMatMul` for products with a transposed operand, as the backward pass of
 * every dense layer takes them (F6, OUTPUT: dW = xᵀ·dy, dx = dy·Wᵀ): the operand is transposed
 * first (wasm's Transpose kernel) and the product then taken without transposes by wasm's
 * `_FusedMatMul` (XNNPACK). tfjs-backend-wasm 4.22's own BatchMatMul was several times slower with
 * a transposed operand here (docs/speed.md). Products of several matrices (batch > 1) and
 * products without transposes go to the kernel wasm shipped with, which this one keeps.
 *
 * Formula: C = op(A)·op(B), op(M) = Mᵀ when asked for, else M.
 * Input shape: a [1, M, K] (or [1, K, M] transposed), b [1, K, P] (or [1, P, K] transposed).
 * Output shape: [1, M, P].
 */
import * as tf from "@tensorflow/tfjs";
import { runWasmKernel, type KernelArgs, type WasmKernelReplacement } from "./wasm-kernel";

/** The kernel's registered name, as tfjs-core spells it. */
export const BATCH_MAT_MUL = "BatchMatMul";

/** The parts of the wasm backend this kernel uses. */
interface DisposingBackend {
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * C = op(A)·op(B) for plain row-major matrices, the reference the kernel is tested against.
 * @example
 * ```ts
 * // [1 2] · [3 4]ᵀ = 1·3 + 2·4 = 11
 * matMulReference(new Float32Array([1, 2]), [1, 2], new Float32Array([3, 4]), [1, 2], false, true);
 * // Float32Array [11]
 * ```
 */
export function matMulReference(
  a: Float32Array,
  aShape: readonly [number, number],
  b: Float32Array,
  bShape: readonly [number, number],
  transposeA: boolean,
  transposeB: boolean,
): Float32Array {
  const [m, k] = transposeA ? [aShape[1], aShape[0]] : aShape;
  const p = transposeB ? bShape[0] : bShape[1];
  const c = new Float32Array(m * p); // [M, P]
  for (let i = 0; i < m; i++)
    for (let j = 0; j < p; j++) {
      let sum = 0;
      for (let t = 0; t < k; t++) {
        const av = transposeA ? a[t * aShape[1] + i] : a[i * aShape[1] + t];
        const bv = transposeB ? b[j * bShape[1] + t] : b[t * bShape[1] + j];
        sum += av * bv;
      }
      c[i * p + j] = sum;
    }
  return c;
}

/** Builds the kernel function around `fallback`, wasm's own kernel, for the cases it leaves. */
function makeBatchMatMulWasm(fallback: tf.KernelFunc | undefined): tf.KernelFunc {
  return ((args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as DisposingBackend;
    const { a, b } = args.inputs;
    if (a === undefined || b === undefined) throw new Error("batchMatMulWasm: needs a and b");
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    const single =
      a.shape.length === 3 &&
      b.shape.length === 3 &&
      a.shape[0] === 1 &&
      b.shape[0] === 1 &&
      a.dtype === "float32" &&
      b.dtype === "float32";
    if (!single || (!transposeA && !transposeB)) {
      if (fallback === undefined) throw new Error("batchMatMulWasm: unsupported product");
      return fallback(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    }
    const temporaries: tf.TensorInfo[] = [];
    const upright = (m: tf.TensorInfo, transpose: boolean): tf.TensorInfo => {
      if (!transpose) return m;
      const t = runWasmKernel(backend, "Transpose", { x: m }, { perm: [0, 2, 1] }); // [1, cols, rows]
      temporaries.push(t);
      return t;
    };
    try {
      return runWasmKernel(
        backend,
        "_FusedMatMul",
        { a: upright(a, transposeA), b: upright(b, transposeB) },
        { transposeA: false, transposeB: false, activation: "linear" },
      ); // [1, M, P]
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  }) as tf.KernelFunc;
}

/**
 * The replacement of wasm's `BatchMatMul`, by the product of the file header (wasm's own stays as the fallback); ./register.ts registers it when `initBackend()` runs.
 */
export const batchMatMulKernel: WasmKernelReplacement = {
  kernelName: BATCH_MAT_MUL,
  make: makeBatchMatMulWasm,
};
