/**
 * A faster wasm `FusedConv2D` kernel for LeNet's first layer, C1 (Section II-B: six 5×5 feature
 * maps of a one-channel image), with tfjs's fused bias and optional ReLU:
 *
 *   y[n, oh, ow, co] = act(b[co] + Σ_{kh, kw} x[n, oh + kh − p, ow + kw − p, 0] · W[kh, kw, 0, co])
 *
 * Why: XNNPACK, behind tfjs-backend-wasm's convolutions, is slow with a single input channel
 * (measured here: 24 ms of a 54 ms forward pass of the modern net at batch 1000, and 1.5 ms of a
 * training step at batch 64; docs/speed.md). This kernel is one WebAssembly SIMD loop
 * (`conv1Forward5x5x6` in ./simd-kernels.as.ts) over a zero-padded copy of x, four output pixels
 * per vector; {@link conv1ForwardReference} is its plain reference. Every other convolution, and
 * C1 where the SIMD module cannot run, goes to wasm's own kernel, which this one keeps.
 *
 * Input shape: x [N, H, W, 1], filter [5, 5, 1, 6], bias [6]. Output shape: [N, H', W', 6] with
 * H' = H + 2p − 4 and W' = W + 2p − 4 a multiple of 4 (the paper's 32×32 "valid" and the modern
 * 28×28 "same" both give 28×28).
 */
import * as tf from "@tensorflow/tfjs";
import { type KernelArgs, type WasmKernelReplacement } from "./wasm-kernel";
import { heapOffset, simdKernelsFor, type WasmBackendInternals } from "./simd-kernels";

/** The kernel's registered name, as tfjs-core spells it. */
export const FUSED_CONV2D = "FusedConv2D";

/**
 * The formula of the file header in plain loops, for a one-channel x [n, h, w] padded by `pad`
 * zeros on every side, filter [5, 5, 1, 6] and bias [6], optionally followed by a ReLU.
 * @example
 * ```ts
 * // A 5×5 image of ones and a filter whose channel c is c everywhere: y[c] = 25·c + bias[c].
 * const filter = Float32Array.from({ length: 150 }, (_, i) => i % 6);
 * conv1ForwardReference(new Float32Array(25).fill(1), 1, 5, 5, 0, filter, new Float32Array(6), false);
 * // Float32Array [0, 25, 50, 75, 100, 125]
 * ```
 */
export function conv1ForwardReference(
  x: Float32Array,
  n: number,
  h: number,
  w: number,
  pad: number,
  filter: Float32Array,
  bias: Float32Array,
  relu: boolean,
): Float32Array {
  const outH = h + 2 * pad - 4;
  const outW = w + 2 * pad - 4;
  const y = new Float32Array(n * outH * outW * 6); // [n, outH, outW, 6]
  for (let b = 0; b < n; b++)
    for (let oh = 0; oh < outH; oh++)
      for (let ow = 0; ow < outW; ow++)
        for (let c = 0; c < 6; c++) {
          let sum = bias[c];
          for (let kh = 0; kh < 5; kh++)
            for (let kw = 0; kw < 5; kw++) {
              const ih = oh + kh - pad;
              const iw = ow + kw - pad;
              if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
              sum += x[(b * h + ih) * w + iw] * filter[(kh * 5 + kw) * 6 + c];
            }
          y[((b * outH + oh) * outW + ow) * 6 + c] = relu ? Math.max(0, sum) : sum;
        }
  return y;
}

/** Builds the kernel function around `fallback`, wasm's own kernel, for the cases it leaves. */
function makeFusedConv2dWasm(fallback: tf.KernelFunc | undefined): tf.KernelFunc {
  return ((args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as WasmBackendInternals;
    const { x, filter, bias, preluActivationWeights } = args.inputs;
    const attrs = args.attrs as unknown as tf.FusedConv2DAttrs;
    const useFallback = (): tf.TensorInfo => {
      if (fallback === undefined) throw new Error("fusedConv2dWasm: unsupported convolution");
      return fallback(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    };
    if (x === undefined || filter === undefined || bias === undefined) return useFallback();
    const activation = attrs.activation ?? "linear";
    const shapeFits =
      x.shape.length === 4 &&
      x.shape[3] === 1 &&
      x.dtype === "float32" &&
      filter.shape.join() === "5,5,1,6" &&
      bias.shape.join() === "6" &&
      preluActivationWeights === undefined &&
      (activation === "linear" || activation === "relu") &&
      (attrs.dataFormat === undefined || attrs.dataFormat === "NHWC");
    if (!shapeFits) return useFallback();
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      [5, 5, 1, 6],
      attrs.strides,
      attrs.dilations,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const { batchSize, inHeight, inWidth, outHeight, outWidth, padInfo } = info;
    const pad = padInfo.top;
    const fits =
      info.strideHeight === 1 &&
      info.strideWidth === 1 &&
      info.dilationHeight === 1 &&
      info.dilationWidth === 1 &&
      padInfo.left === pad &&
      outHeight === inHeight + 2 * pad - 4 &&
      outWidth === inWidth + 2 * pad - 4 &&
      outWidth % 4 === 0;
    const kernels = fits ? simdKernelsFor(backend) : undefined;
    if (kernels === undefined) return useFallback();
    const padded = batchSize * (inHeight + 2 * pad) * (inWidth + 2 * pad);
    // The padded planes, then 150 splatted taps (600 floats) aligned to 16 bytes.
    const scratch = backend.makeOutput([padded + 4 + 600], "float32");
    try {
      const y = backend.makeOutput([batchSize, outHeight, outWidth, 6], "float32"); // [N, H', W', 6]
      const planes = heapOffset(backend, scratch); // [N, H + 2p, W + 2p]
      const taps = (planes + padded * 4 + 15) & ~15; // [150] vectors
      kernels.padPlanes(heapOffset(backend, x), planes, batchSize, inHeight, inWidth, pad);
      kernels.conv1Forward5x5x6(
        planes,
        heapOffset(backend, filter),
        heapOffset(backend, bias),
        heapOffset(backend, y),
        taps,
        batchSize,
        outHeight,
        outWidth,
        activation === "relu" ? 1 : 0,
      );
      return y;
    } finally {
      backend.disposeData(scratch.dataId);
    }
  }) as tf.KernelFunc;
}

/**
 * The replacement of wasm's `FusedConv2D`, by the SIMD loop of the file header (wasm's own stays as the fallback for
 * every convolution but C1's); ./register.ts registers it when `initBackend()` runs.
 */
export const fusedConv2dKernel: WasmKernelReplacement = {
  kernelName: FUSED_CONV2D,
  make: makeFusedConv2dWasm,
};
