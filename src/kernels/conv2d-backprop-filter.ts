/**
 * The wasm backend's missing `Conv2DBackpropFilter` kernel: the gradient of a 2-D convolution
 * with respect to its filter, built from kernels wasm does have (Transpose, PadV2, Conv2D, Slice).
 *
 * Why: @tensorflow/tfjs-backend-wasm 4.22 ships no such kernel (tfjs issue 8474), so training
 * any convolution on wasm throws "Kernel 'Conv2DBackpropFilter' not registered for backend
 * 'wasm'". `initBackend()` registers this one (./register.ts; a later tfjs that brings its own
 * wins).
 *
 * Formula (NHWC, filter [K, K, Cin, Cout], stride s, top/left padding p):
 *   dW[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, oh·s + kh − p, ow·s + kw − p, ci] · dy[n, oh, ow, co]
 * Read with the batch n as the channel being contracted and dy's spatial grid as the filter, this
 * is itself a convolution: transpose x to [Cin, H, W, N] (input channels become the batch), dy to
 * [outH, outW, N, Cout] (a filter), convolve with dilation = s (the filter taps sit s apart on
 * x), keep the first K×K outputs and transpose [Cin, K, K, Cout] back to [K, K, Cin, Cout].
 *
 * C1's shape (5×5 filter, 1 input and 6 output channels, stride 1, equal padding on all sides,
 * even output width) takes a faster path: one WebAssembly SIMD loop (./simd-kernels.as.ts,
 * `conv1FilterGrad5x5x6`) over a zero-padded copy of x, about 7× faster than the convolution
 * above, whose "filter" (dy, 64×28×28×6 at batch 64) XNNPACK repacks on every call. Its plain
 * reference is {@link conv1FilterGradReference}; the tests check both against tfjs's cpu kernel.
 *
 * Input shape: x [N, H, W, Cin], dy [N, outH, outW, Cout]. Output shape: [K, K, Cin, Cout].
 * Supports padding "valid", "same", a number or explicit NHWC pairs; strides ≥ 1; NHWC only;
 * dilation 1 (tfjs's conv2d gradient itself allows no other).
 */
import * as tf from "@tensorflow/tfjs";
import { runWasmKernel } from "./wasm-kernel";
import { heapOffset, simdKernelsFor, type WasmBackendInternals } from "./simd-kernels";

/** The kernel's registered name, as tfjs-core spells it. */
export const CONV2D_BACKPROP_FILTER = "Conv2DBackpropFilter";

type FourPairs = [[number, number], [number, number], [number, number], [number, number]];

/** A backend that can free intermediate results (every tfjs backend can). */
interface DisposingBackend {
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * The plain reference of the SIMD path: dW of a 5×5, 1 → 6 channel, stride-1 convolution whose
 * input was padded by `pad` zeros on every side, in plain loops (the file header's formula).
 * x [n, h, w] (one channel), dy [n, h + 2·pad − 4, w + 2·pad − 4, 6] → dW [5, 5, 1, 6].
 * @example
 * ```ts
 * // One 5×5 image of ones, dy = 1 at its single output pixel and 0 elsewhere: every tap of every
 * // channel sees x = 1 once, times dy[c] = c + 1.
 * const dy = Float32Array.from([1, 2, 3, 4, 5, 6]); // [1, 1, 1, 6]
 * const dw = conv1FilterGradReference(new Float32Array(25).fill(1), dy, 1, 5, 5, 0);
 * Array.from(dw.subarray(0, 6)); // [1, 2, 3, 4, 5, 6]; likewise for each of the 25 taps
 * ```
 */
export function conv1FilterGradReference(
  x: Float32Array,
  dy: Float32Array,
  n: number,
  h: number,
  w: number,
  pad: number,
): Float32Array {
  const outH = h + 2 * pad - 4;
  const outW = w + 2 * pad - 4;
  const dw = new Float32Array(5 * 5 * 6); // [5, 5, 1, 6]
  for (let b = 0; b < n; b++)
    for (let oh = 0; oh < outH; oh++)
      for (let ow = 0; ow < outW; ow++)
        for (let kh = 0; kh < 5; kh++)
          for (let kw = 0; kw < 5; kw++) {
            const ih = oh + kh - pad;
            const iw = ow + kw - pad;
            if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
            const xv = x[(b * h + ih) * w + iw];
            for (let c = 0; c < 6; c++) {
              dw[(kh * 5 + kw) * 6 + c] += xv * dy[((b * outH + oh) * outW + ow) * 6 + c];
            }
          }
  return dw;
}

/**
 * The SIMD path for C1's shape (see the file header), or undefined when the shape or the backend
 * does not allow it. x [N, H, W, 1], dy [N, outH, outW, 6] → dW [5, 5, 1, 6].
 */
function conv1FilterGradSimd(
  backend: WasmBackendInternals,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo | undefined {
  const { filterHeight, filterWidth, inChannels, outChannels, strideHeight, strideWidth } = info;
  const { batchSize, inHeight, inWidth, outHeight, outWidth, padInfo } = info;
  const pad = padInfo.top;
  const fits =
    filterHeight === 5 &&
    filterWidth === 5 &&
    inChannels === 1 &&
    outChannels === 6 &&
    strideHeight === 1 &&
    strideWidth === 1 &&
    padInfo.left === pad &&
    outHeight === inHeight + 2 * pad - 4 &&
    outWidth === inWidth + 2 * pad - 4 &&
    outWidth % 2 === 0;
  if (!fits) return undefined;
  const kernels = simdKernelsFor(backend);
  if (kernels === undefined) return undefined;
  const paddedSize = batchSize * (inHeight + 2 * pad) * (inWidth + 2 * pad);
  // The padded planes, 4 floats the last row's vector loads may touch, then 25 × 12 accumulators
  // (aligned to 16 bytes inside the buffer).
  const scratch = backend.makeOutput([paddedSize + 4 + 4 + 300], "float32");
  try {
    const dw = backend.makeOutput([5, 5, 1, 6], "float32"); // [5, 5, 1, 6]
    const padded = heapOffset(backend, scratch); // [N, H + 2·pad, W + 2·pad]
    const accumulators = (padded + (paddedSize + 4) * 4 + 15) & ~15; // [25, 12]
    kernels.padPlanes(heapOffset(backend, x), padded, batchSize, inHeight, inWidth, pad);
    kernels.conv1FilterGrad5x5x6(
      padded,
      heapOffset(backend, dy),
      heapOffset(backend, dw),
      accumulators,
      batchSize,
      outHeight,
      outWidth,
    );
    return dw;
  } finally {
    backend.disposeData(scratch.dataId);
  }
}

/**
 * Kernel function: dW from x and dy by one convolution (see the file header).
 * Every intermediate TensorInfo is freed before returning; only the result survives.
 */
function conv2dBackpropFilterWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as DisposingBackend;
  const { x, dy } = args.inputs;
  if (x === undefined || dy === undefined) {
    throw new Error("conv2dBackpropFilterWasm: needs inputs x and dy");
  }
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat !== undefined && dataFormat !== "NHWC") {
    throw new Error(`conv2dBackpropFilterWasm: only NHWC is supported, got ${dataFormat}`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const fast = conv1FilterGradSimd(args.backend as WasmBackendInternals, x, dy, info);
  if (fast !== undefined) return fast;
  const { filterHeight, filterWidth, strideHeight, strideWidth, outHeight, outWidth } = info;
  const { top, left } = info.padInfo;
  // Rows/columns of padded x the filter taps can reach; pad bottom/right only as far as needed
  // (tfjs may report more padding than any tap uses, e.g. "same" with stride 2).
  const bottom = Math.max(0, (outHeight - 1) * strideHeight + filterHeight - info.inHeight - top);
  const right = Math.max(0, (outWidth - 1) * strideWidth + filterWidth - info.inWidth - left);

  const temporaries: tf.TensorInfo[] = [];
  const keep = (t: tf.TensorInfo): tf.TensorInfo => (temporaries.push(t), t);
  try {
    let padded = x; // [N, H + top + bottom, W + left + right, Cin]
    if (top > 0 || bottom > 0 || left > 0 || right > 0) {
      const paddings: FourPairs = [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ];
      padded = keep(runWasmKernel(backend, "PadV2", { x }, { paddings, constantValue: 0 }));
    }
    // Input channels become the batch, the batch becomes the channels being summed over.
    const xT = keep(runWasmKernel(backend, "Transpose", { x: padded }, { perm: [3, 1, 2, 0] })); // [Cin, Hp, Wp, N]
    // dy's grid becomes the filter's taps; N its input channels, Cout its output channels.
    const dyT = keep(runWasmKernel(backend, "Transpose", { x: dy }, { perm: [1, 2, 0, 3] })); // [outH, outW, N, Cout]
    const conv = keep(
      runWasmKernel(
        backend,
        "Conv2D",
        { x: xT, filter: dyT },
        {
          strides: [1, 1],
          pad: "valid",
          dataFormat: "NHWC",
          dilations: [strideHeight, strideWidth],
        },
      ),
    ); // [Cin, Hp − (outH−1)·s, Wp − (outW−1)·s, Cout], at least K×K
    let kernelGrid = conv;
    if (conv.shape[1] !== filterHeight || conv.shape[2] !== filterWidth) {
      kernelGrid = keep(
        runWasmKernel(
          backend,
          "Slice",
          { x: conv },
          {
            begin: [0, 0, 0, 0],
            size: [conv.shape[0], filterHeight, filterWidth, conv.shape[3]],
          },
        ),
      ); // [Cin, K, K, Cout]
    }
    return runWasmKernel(backend, "Transpose", { x: kernelGrid }, { perm: [1, 2, 0, 3] }); // [K, K, Cin, Cout]
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

/**
 * The wasm `Conv2DBackpropFilter` kernel tfjs 4.22 lacks; ./register.ts registers it when
 * `initBackend()` runs, unless one is registered already (a future tfjs's own wins).
 */
export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: CONV2D_BACKPROP_FILTER,
  backendName: "wasm",
  kernelFunc: conv2dBackpropFilterWasm as tf.KernelFunc,
};
