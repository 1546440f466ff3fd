/**
 * A faster wasm `AvgPoolGrad` kernel for LeNet's subsampling (2×2 windows, stride 2, no padding):
 * every input pixel of a window receives a quarter of the window's output gradient. The paper's
 * S2 and S4 (Section II-B) are trainable 2×2 block sums that lenet5 computes as 4 × an average
 * pool (../layers/subsampling.ts), so their backward pass is this kernel.
 *
 * Why: tfjs-backend-wasm 4.22's own AvgPoolGrad took tens of milliseconds for S2 at batch 64 here
 * (the largest single kernel of the `historical` training step; docs/speed.md). Other windows,
 * strides and paddings go to the kernel wasm shipped with, which this one keeps.
 *
 * Formula (window k×k, stride k, valid): dx[n, h, w, c] = dy[n, ⌊h/k⌋, ⌊w/k⌋, c] / k² for
 * h < k·outH and w < k·outW; 0 on the rows/columns no window covers.
 *
 * Input shape: dy [N, outH, outW, C], input x [N, H, W, C]. Output shape: [N, H, W, C].
 */
import * as tf from "@tensorflow/tfjs";
import { type KernelArgs, type WasmKernelReplacement } from "./wasm-kernel";

/** The kernel's registered name, as tfjs-core spells it. */
export const AVG_POOL_GRAD = "AvgPoolGrad";

/** The parts of the wasm backend this kernel uses. */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/**
 * The formula of the file header for non-overlapping k×k windows, in plain loops: the reference
 * the kernel is tested against.
 * @example
 * ```ts
 * // One 2×2 window with output gradient 8: each of its four pixels gets 8/4 = 2.
 * avgPoolGradReference(new Float32Array([8]), [1, 2, 2, 1], 2); // Float32Array [2, 2, 2, 2]
 * ```
 */
export function avgPoolGradReference(
  dy: Float32Array,
  inShape: readonly [number, number, number, number],
  window: number,
): Float32Array {
  const [n, height, width, channels] = inShape;
  const outHeight = Math.floor(height / window);
  const outWidth = Math.floor(width / window);
  const dx = new Float32Array(n * height * width * channels); // [N, H, W, C]
  for (let b = 0; b < n; b++)
    for (let h = 0; h < outHeight * window; h++)
      for (let w = 0; w < outWidth * window; w++)
        for (let c = 0; c < channels; c++) {
          const from =
            ((b * outHeight + Math.floor(h / window)) * outWidth + Math.floor(w / window)) *
            channels;
          dx[((b * height + h) * width + w) * channels + c] = dy[from + c] / (window * window);
        }
  return dx;
}

/** Builds the kernel function around `fallback`, wasm's own kernel, for the cases it leaves. */
function makeAvgPoolGradWasm(fallback: tf.KernelFunc | undefined): tf.KernelFunc {
  return ((args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as WasmHeapBackend;
    const { dy, input } = args.inputs;
    if (dy === undefined || input === undefined) {
      throw new Error("avgPoolGradWasm: needs inputs dy and input");
    }
    const { filterSize, strides, pad } = args.attrs as unknown as tf.AvgPoolGradAttrs;
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
    );
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
    const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
    const k = filterHeight;
    const supported =
      filterWidth === k &&
      strideHeight === k &&
      strideWidth === k &&
      info.padInfo.top === 0 &&
      info.padInfo.left === 0 &&
      inHeight >= k * outHeight &&
      inWidth >= k * outWidth;
    if (!supported) {
      if (fallback === undefined) throw new Error("avgPoolGradWasm: unsupported window");
      return fallback(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    }
    const out = backend.makeOutput([...input.shape], "float32"); // [N, H, W, C]
    const dys = backend.typedArrayFromHeap(dy); // [N, outH, outW, C], taken after makeOutput
    const dx = backend.typedArrayFromHeap(out); // not zeroed
    if (inHeight !== k * outHeight || inWidth !== k * outWidth) dx.fill(0);
    const scale = 1 / (k * k);
    for (let n = 0; n < batchSize; n++)
      for (let oh = 0; oh < outHeight; oh++)
        for (let i = 0; i < k; i++) {
          let to = (n * inHeight + oh * k + i) * inWidth * inChannels;
          const rowFrom = (n * outHeight + oh) * outWidth * inChannels;
          for (let ow = 0; ow < outWidth; ow++) {
            const from = rowFrom + ow * inChannels;
            for (let j = 0; j < k; j++)
              for (let c = 0; c < inChannels; c++) dx[to++] = dys[from + c] * scale;
          }
        }
    return out;
  }) as tf.KernelFunc;
}

/**
 * The replacement of wasm's `AvgPoolGrad`, by the loop of the file header (wasm's own stays as the fallback); ./register.ts registers it when `initBackend()` runs.
 */
export const avgPoolGradKernel: WasmKernelReplacement = {
  kernelName: AVG_POOL_GRAD,
  make: makeAvgPoolGradWasm,
};
