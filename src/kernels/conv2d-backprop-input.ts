/**
 * A faster wasm `Conv2DBackpropInput` kernel: the gradient of a stride-1 2-D convolution with
 * respect to its input, computed as one forward convolution by XNNPACK instead of by
 * tfjs-backend-wasm 4.22's own loop (measured here: 15.7 ms for LeNet's C3 at batch 64, 10 ms for
 * C1; see docs/speed.md), with {@link conv2dBackpropInputReference}, the plain formula, beside it.
 *
 * Formula (NHWC, filter W [K, K, Cin, Cout], stride 1, top/left padding p):
 *   dx[n, h, w, ci] = Σ_{kh, kw, co} dy[n, h + p − kh, w + p − kw, co] · W[kh, kw, ci, co]
 * (terms outside dy count as 0). With dy padded by K − 1 − p on the top/left (and K − 1 − p' on
 * the bottom/right, p' the bottom/right padding of the forward pass) and W' the filter turned by
 * 180° with its channel axes swapped, W'[kh, kw, co, ci] = W[K−1−kh, K−1−kw, ci, co], this is
 * the "valid" forward convolution dx = conv2d(pad(dy), W') — the transposed convolution.
 *
 * A "valid" convolution with more than one input channel (C3) takes a faster path: a matrix
 * product cols = dy · Wᵀ ([N·outH·outW, Cout] × [Cout, K·K·Cin], XNNPACK) and a col2im that adds
 * each output pixel's K×K×Cin columns back onto the input (WebAssembly SIMD,
 * ./simd-kernels.as.ts): the same sums without the transposed convolution's multiplications by
 * the padding's zeros (about half of them for C3). Measured at batch 64: 3.4 → 1.5 ms.
 *
 * Input shape: dy [N, outH, outW, Cout], filter [K, K, Cin, Cout]. Output shape: [N, H, W, Cin].
 * Stride 1, dilation 1, NHWC (every convolution in lenet5); anything else goes to the kernel
 * wasm shipped with, which this one keeps. `initBackend()` replaces the wasm kernel (./register.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { runWasmKernel, type KernelArgs, type WasmKernelReplacement } from "./wasm-kernel";
import { heapOffset, simdKernelsFor, type WasmBackendInternals } from "./simd-kernels";

/** The kernel's registered name, as tfjs-core spells it. */
export const CONV2D_BACKPROP_INPUT = "Conv2DBackpropInput";

/** The parts of the wasm backend this kernel uses. */
interface WasmBackend {
  readSync(dataId: object): ArrayLike<number>;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * The plain formula of the file header, for one example's worth of checking: dx from dy and the
 * filter, stride 1, top/left padding `padTop`/`padLeft`.
 * @example
 * ```ts
 * // 1×1 input, 1×1 filter of 3, one channel: dx = 3·dy
 * conv2dBackpropInputReference(
 *   { shape: [1, 1, 1, 1], data: new Float32Array([2]) },
 *   { shape: [1, 1, 1, 1], data: new Float32Array([3]) },
 *   [1, 1, 1, 1], 0, 0,
 * ).data; // Float32Array [6]
 * ```
 */
export function conv2dBackpropInputReference(
  dy: { shape: readonly number[]; data: Float32Array },
  filter: { shape: readonly number[]; data: Float32Array },
  inShape: readonly [number, number, number, number],
  padTop: number,
  padLeft: number,
): {
  /** The input's shape [N, H, W, Cin] (a copy of `inShape`). */
  shape: number[];
  /** dx, the gradient with respect to the input, [N, H, W, Cin] row-major. */
  data: Float32Array;
} {
  const [n, height, width, cin] = inShape;
  const [, outH, outW, cout] = dy.shape;
  const [kh, kw] = filter.shape;
  const dx = new Float32Array(n * height * width * cin); // [N, H, W, Cin]
  for (let b = 0; b < n; b++)
    for (let h = 0; h < height; h++)
      for (let w = 0; w < width; w++)
        for (let ci = 0; ci < cin; ci++) {
          let sum = 0;
          for (let i = 0; i < kh; i++) {
            const oh = h + padTop - i;
            if (oh < 0 || oh >= outH) continue;
            for (let j = 0; j < kw; j++) {
              const ow = w + padLeft - j;
              if (ow < 0 || ow >= outW) continue;
              for (let co = 0; co < cout; co++) {
                sum +=
                  dy.data[((b * outH + oh) * outW + ow) * cout + co] *
                  filter.data[((i * kw + j) * cin + ci) * cout + co];
              }
            }
          }
          dx[((b * height + h) * width + w) * cin + ci] = sum;
        }
  return { shape: [n, height, width, cin], data: dx };
}

/**
 * dy with zero rows and columns around it, copied row by row on the wasm heap (measured: several
 * times faster here than wasm's PadV2 for LeNet's sizes).
 */
function padSpatial(
  backend: WasmBackend,
  x: tf.TensorInfo,
  top: number,
  bottom: number,
  left: number,
  right: number,
): tf.TensorInfo {
  const [n, height, width, channels] = x.shape;
  const outHeight = height + top + bottom;
  const outWidth = width + left + right;
  const out = backend.makeOutput([n, outHeight, outWidth, channels], "float32"); // [N, H+t+b, W+l+r, C]
  const source = backend.typedArrayFromHeap(x); // taken after makeOutput (the heap may move)
  const target = backend.typedArrayFromHeap(out);
  target.fill(0);
  const rowLength = width * channels;
  for (let b = 0; b < n; b++)
    for (let h = 0; h < height; h++) {
      const from = (b * height + h) * rowLength;
      const to = ((b * outHeight + h + top) * outWidth + left) * channels;
      target.set(source.subarray(from, from + rowLength), to);
    }
  return out;
}

/** W' of the file header: the filter turned by 180° with Cin and Cout swapped, on the wasm heap. */
function flippedFilter(backend: WasmBackend, filter: tf.TensorInfo): tf.TensorInfo {
  const [kh, kw, cin, cout] = filter.shape;
  const source = backend.readSync(filter.dataId); // [K, K, Cin, Cout]
  const out = backend.makeOutput([kh, kw, cout, cin], "float32"); // [K, K, Cout, Cin]
  const target = backend.typedArrayFromHeap(out);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++) {
      const from = ((kh - 1 - i) * kw + (kw - 1 - j)) * cin * cout;
      const to = (i * kw + j) * cout * cin;
      for (let ci = 0; ci < cin; ci++)
        for (let co = 0; co < cout; co++)
          target[to + co * cin + ci] = source[from + ci * cout + co];
    }
  return out;
}

/** Builds the kernel function around `fallback`, wasm's own kernel, for the cases it leaves. */
function makeConv2dBackpropInputWasm(fallback: tf.KernelFunc | undefined): tf.KernelFunc {
  return ((args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as WasmBackend;
    const { dy, filter } = args.inputs;
    if (dy === undefined || filter === undefined) {
      throw new Error("conv2dBackpropInputWasm: needs inputs dy and filter");
    }
    const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const { inputShape, strides, pad, dataFormat, dimRoundingMode } = attrs;
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const { filterHeight, filterWidth, strideHeight, strideWidth, inHeight, inWidth } = info;
    const { outHeight, outWidth } = info;
    const { top, left } = info.padInfo;
    const padTop = filterHeight - 1 - top;
    const padLeft = filterWidth - 1 - left;
    const padBottom = inHeight + filterHeight - 1 - outHeight - padTop;
    const padRight = inWidth + filterWidth - 1 - outWidth - padLeft;
    const supported =
      (dataFormat === undefined || dataFormat === "NHWC") &&
      strideHeight === 1 &&
      strideWidth === 1 &&
      Math.min(padTop, padLeft, padBottom, padRight) >= 0;
    if (!supported) {
      if (fallback === undefined) {
        throw new Error("conv2dBackpropInputWasm: only stride 1, NHWC is supported");
      }
      return fallback(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    }
    const temporaries: tf.TensorInfo[] = [];
    const keep = (t: tf.TensorInfo): tf.TensorInfo => (temporaries.push(t), t);
    try {
      if (outHeight === 1 && outWidth === 1 && top === 0 && left === 0) {
        // A filter as large as the input (LeNet's C5): dx = dy · Wᵀ, one matrix product.
        const [n, , , cin] = inputShape;
        const fanIn = filterHeight * filterWidth * cin;
        const cout = dy.shape[3];
        const a = { ...dy, shape: [1, n, cout] }; // [1, N, Cout], same data
        // wasm's matrix product is several times slower with a transposed operand: transpose first.
        const weights = { ...filter, shape: [fanIn, cout] }; // [K·K·Cin, Cout], same data
        const b = keep(runWasmKernel(backend, "Transpose", { x: weights }, { perm: [1, 0] })); // [Cout, K·K·Cin]
        const product = runWasmKernel(
          backend,
          "_FusedMatMul",
          { a, b: { ...b, shape: [1, cout, fanIn] } },
          { transposeA: false, transposeB: false, activation: "linear" },
        ); // [1, N, K·K·Cin]
        return { ...product, shape: [...inputShape] }; // [N, K, K, Cin], same data
      }
      const simd = simdKernelsFor(backend);
      if (
        simd !== undefined &&
        padTop === filterHeight - 1 &&
        padLeft === filterWidth - 1 &&
        padBottom === padTop &&
        padRight === padLeft &&
        filterHeight === filterWidth &&
        inputShape[3] > 1
      ) {
        // "valid" (no forward padding), square filter: cols = dy · Wᵀ, then col2im.
        const [n, , , cin] = inputShape;
        const fanIn = filterHeight * filterWidth * cin;
        const cout = dy.shape[3];
        const pixels = n * outHeight * outWidth;
        const weights = { ...filter, shape: [fanIn, cout] }; // [K·K·Cin, Cout], same data
        const b = keep(runWasmKernel(backend, "Transpose", { x: weights }, { perm: [1, 0] })); // [Cout, K·K·Cin]
        const cols = keep(
          runWasmKernel(
            backend,
            "_FusedMatMul",
            { a: { ...dy, shape: [1, pixels, cout] }, b: { ...b, shape: [1, cout, fanIn] } },
            { transposeA: false, transposeB: false, activation: "linear" },
          ),
        ); // [1, N·outH·outW, K·K·Cin]
        const dx = backend.makeOutput([...inputShape], "float32"); // [N, H, W, Cin]
        const heap = backend as unknown as WasmBackendInternals;
        simd.col2imValid(
          heapOffset(heap, cols),
          heapOffset(heap, dx),
          n,
          outHeight,
          outWidth,
          filterHeight,
          cin,
        );
        return dx;
      }
      let padded = dy; // [N, H + K − 1, W + K − 1, Cout]
      if (padTop > 0 || padBottom > 0 || padLeft > 0 || padRight > 0) {
        padded = keep(padSpatial(backend, dy, padTop, padBottom, padLeft, padRight));
      }
      const turned = keep(flippedFilter(backend, filter)); // [K, K, Cout, Cin]
      if (inputShape[3] === 1) {
        // One input channel (C1): XNNPACK's convolution is slow with one output channel, so
        // convolve each of dy's channels on its own (depthwise) and add the channels up.
        const perChannel = keep(
          runWasmKernel(
            backend,
            "DepthwiseConv2dNative",
            { x: padded, filter: turned },
            { strides: [1, 1], pad: "valid", dataFormat: "NHWC", dilations: [1, 1] },
          ),
        ); // [N, H, W, Cout]
        return runWasmKernel(backend, "Sum", { x: perChannel }, { axis: [3], keepDims: true }); // [N, H, W, 1]
      }
      return runWasmKernel(
        backend,
        "Conv2D",
        { x: padded, filter: turned },
        { strides: [1, 1], pad: "valid", dataFormat: "NHWC", dilations: [1, 1] },
      ); // [N, H, W, Cin]
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  }) as tf.KernelFunc;
}

/**
 * The replacement of wasm's `Conv2DBackpropInput`, by the transposed convolution of the file header (wasm's own stays
 * as the fallback for strides > 1); ./register.ts registers it when `initBackend()` runs.
 */
export const conv2dBackpropInputKernel: WasmKernelReplacement = {
  kernelName: CONV2D_BACKPROP_INPUT,
  make: makeConv2dBackpropInputWasm,
};
