/**
 * A corrected wasm `MaxPoolGrad` kernel: the gradient of 2-D max pooling, routed to the first
 * maximum of each window (row-major), exactly as the cpu backend does.
 *
 * Why: in @tensorflow/tfjs-backend-wasm 4.22 the MaxPoolGrad kernel (and MaxPoolWithArgmax)
 * starts its running maximum at FLT_MIN ≈ 1.2e−38, the smallest POSITIVE float, instead of −∞,
 * and keeps the last of equal maxima. So a window whose maximum is ≤ 0 loses its gradient, and
 * ties go to the last element instead of the first. (The forward MaxPool, run by XNNPACK, is
 * right.) Measured here: on uniform(−1, 1) input [1, 6, 8, 1], 2 of 12 windows lost their
 * gradient. After a ReLU the damage is mostly hidden (an all-zero window's gradient would be
 * stopped by the ReLU anyway), but before tanh or on raw inputs it is silently wrong.
 * `initBackend()` replaces the wasm kernel with this one (./register.ts).
 *
 * Formula: dx[n, h, w, c] = Σ over windows (oh, ow) whose first maximum is x[n, h, w, c] of
 * dy[n, oh, ow, c]. Computed in JavaScript on the wasm heap (one pass over the windows: for
 * LeNet-sized batches a millisecond or two), so it needs no other kernel.
 *
 * Input shape: dy [N, outH, outW, C], input x [N, H, W, C]. Output shape: [N, H, W, C].
 * Supports any window, stride and padding ("valid", "same", numbers) tfjs's maxPool accepts.
 */
import * as tf from "@tensorflow/tfjs";
import type { WasmKernelReplacement } from "./wasm-kernel";

/** The kernel's registered name, as tfjs-core spells it. */
export const MAX_POOL_GRAD = "MaxPoolGrad";

/** The parts of the wasm backend this kernel uses. */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** Kernel function: see the file header. */
function maxPoolGradWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as WasmHeapBackend;
  const { dy, input } = args.inputs;
  if (dy === undefined || input === undefined) {
    throw new Error("maxPoolGradWasm: needs inputs dy and input");
  }
  const { filterSize, strides, pad, dimRoundingMode } =
    args.attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, effectiveFilterHeight, effectiveFilterWidth } = info;
  const { top, left } = info.padInfo;
  const out = backend.makeOutput([...input.shape], "float32"); // [N, H, W, C]
  // Views on the wasm heap, taken after makeOutput (which may grow, and so move, the heap).
  const xs = backend.typedArrayFromHeap(input); // [N, H, W, C], read only
  const dys = backend.typedArrayFromHeap(dy); // [N, outH, outW, C], read only
  const dx = backend.typedArrayFromHeap(out); // not zeroed
  dx.fill(0);
  if (
    effectiveFilterHeight === 2 &&
    effectiveFilterWidth === 2 &&
    strideHeight === 2 &&
    strideWidth === 2 &&
    top === 0 &&
    left === 0 &&
    inHeight >= 2 * outHeight &&
    inWidth >= 2 * outWidth
  ) {
    // LeNet's pooling (2×2, stride 2, no padding): the same rule, without the general bounds.
    const rowStride = inWidth * inChannels;
    for (let n = 0; n < batchSize; n++) {
      for (let oh = 0; oh < outHeight; oh++) {
        for (let ow = 0; ow < outWidth; ow++) {
          const base = ((n * inHeight + 2 * oh) * inWidth + 2 * ow) * inChannels;
          const dyBase = ((n * outHeight + oh) * outWidth + ow) * inChannels;
          for (let c = 0; c < inChannels; c++) {
            const i00 = base + c;
            const i01 = i00 + inChannels;
            const i10 = i00 + rowStride;
            const i11 = i10 + inChannels;
            let best = i00; // row-major order, strict ">": the first maximum wins
            if (xs[i01] > xs[best]) best = i01;
            if (xs[i10] > xs[best]) best = i10;
            if (xs[i11] > xs[best]) best = i11;
            dx[best] += dys[dyBase + c];
          }
        }
      }
    }
    return out;
  }
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const rowStart = Math.max(0, oh * strideHeight - top);
      const rowEnd = Math.min(inHeight, oh * strideHeight - top + effectiveFilterHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const colStart = Math.max(0, ow * strideWidth - left);
        const colEnd = Math.min(inWidth, ow * strideWidth - left + effectiveFilterWidth);
        const dyBase = ((n * outHeight + oh) * outWidth + ow) * inChannels;
        for (let c = 0; c < inChannels; c++) {
          let best = -1;
          let bestValue = Number.NEGATIVE_INFINITY;
          for (let h = rowStart; h < rowEnd; h++) {
            for (let w = colStart; w < colEnd; w++) {
              const index = ((n * inHeight + h) * inWidth + w) * inChannels + c;
              if (xs[index] > bestValue) {
                bestValue = xs[index]; // strict ">": the first maximum wins, as on cpu
                best = index;
              }
            }
          }
          if (best >= 0) dx[best] += dys[dyBase + c];
        }
      }
    }
  }
  return out;
}

/**
 * The replacement of wasm's faulty `MaxPoolGrad` by this file's corrected one, for every input
 * (wasm's own is never used: it is wrong); ./register.ts registers it when `initBackend()` runs.
 */
export const maxPoolGradKernel: WasmKernelReplacement = {
  kernelName: MAX_POOL_GRAD,
  make: () => maxPoolGradWasm as tf.KernelFunc,
};
