/**
 * The fused wasm kernels of LeNet-5's trainable subsampling S2/S4 (Section II-B), for
 * ../layers/subsampling.ts: y = coefficient · scale · (2×2 block sums of x) + bias per channel,
 * and its three gradients (x, coefficient, bias), one WebAssembly SIMD pass each
 * (`subsample2x2`, `subsample2x2Grad` in ./simd-kernels.as.ts) instead of about ten tfjs kernel
 * calls. scale is 1 for the paper's block sum, 1/4 for the seed page's average. Speed only: the
 * layer computes the same map with tfjs's AvgPool, Multiply and Add wherever these are not
 * registered.
 *
 * Input shape: x [N, H, W, C] (H, W even, C ≥ 4), coefficient [C], bias [C].
 * Output shape: [N, H/2, W/2, C]; the gradient kernel gives dx [N, H, W, C], dcoefficient [C],
 * dbias [C].
 */
import * as tf from "@tensorflow/tfjs";
import { heapOffset, requireSimdKernels, type WasmBackendInternals } from "./simd-kernels";

/** The fused forward kernel's registered name (wasm only). */
export const SUBSAMPLING = "Lenet5Subsampling";
/** The fused gradient kernel's registered name (wasm only; outputs dx, dcoefficient, dbias). */
export const SUBSAMPLING_GRAD = "Lenet5SubsamplingGrad";

/**
 * The fused kernels' formulas in plain loops: y, and the gradients of Σ y·dy with respect to x,
 * the coefficient and the bias (file header), for x [N, H, W, C] and scale 1 ("sum") or 1/4
 * ("average"). The reference the wasm kernels are tested against.
 * @example
 * ```ts
 * // One block 1, 2, 3, 4 (sum 10), coefficient 0.5, bias 1, dy = 2:
 * const r = subsamplingReference(
 *   Float32Array.from([1, 2, 3, 4]), [1, 2, 2, 1],
 *   Float32Array.from([0.5]), Float32Array.from([1]), Float32Array.from([2]), 1,
 * );
 * // r.y = [6]; r.dx = [1, 1, 1, 1] (2 · 0.5); r.dCoefficient = [20] (2 · 10); r.dBias = [2]
 * ```
 */
export function subsamplingReference(
  x: Float32Array,
  shape: readonly [number, number, number, number],
  coefficient: Float32Array,
  bias: Float32Array,
  dy: Float32Array,
  scale: number,
): { y: Float32Array; dx: Float32Array; dCoefficient: Float32Array; dBias: Float32Array } {
  const [n, h, w, c] = shape;
  const y = new Float32Array(n * (h / 2) * (w / 2) * c); // [N, H/2, W/2, C]
  const dx = new Float32Array(x.length); // [N, H, W, C]
  const dCoefficient = new Float32Array(c); // [C]
  const dBias = new Float32Array(c); // [C]
  let out = 0;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < h / 2; oy++)
      for (let ox = 0; ox < w / 2; ox++)
        for (let ch = 0; ch < c; ch++, out++) {
          const at = (i: number, j: number) => ((b * h + 2 * oy + i) * w + 2 * ox + j) * c + ch;
          const block = x[at(0, 0)] + x[at(0, 1)] + x[at(1, 0)] + x[at(1, 1)];
          y[out] = coefficient[ch] * scale * block + bias[ch];
          for (const [i, j] of [
            [0, 0],
            [0, 1],
            [1, 0],
            [1, 1],
          ]) {
            dx[at(i, j)] = dy[out] * coefficient[ch] * scale;
          }
          dCoefficient[ch] += scale * dy[out] * block;
          dBias[ch] += dy[out];
        }
  return { y, dx, dCoefficient, dBias };
}

/** Forward kernel function (wasm): x [N, H, W, C], coefficient [C], bias [C] → [N, H/2, W/2, C]. */
function subsamplingWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}) {
  const backend = args.backend as WasmBackendInternals;
  const { x, coefficient, bias } = args.inputs;
  if (x === undefined || coefficient === undefined || bias === undefined) {
    throw new Error(`${SUBSAMPLING}: needs x, coefficient and bias`);
  }
  const [n, h, w, c] = x.shape;
  const y = backend.makeOutput([n, h / 2, w / 2, c], "float32"); // [N, H/2, W/2, C]
  requireSimdKernels(backend, SUBSAMPLING).subsample2x2(
    heapOffset(backend, x),
    heapOffset(backend, coefficient),
    heapOffset(backend, bias),
    heapOffset(backend, y),
    n,
    h,
    w,
    c,
    (args.attrs as { scale: number }).scale,
  );
  return y;
}

/** Gradient kernel function (wasm): x, coefficient, dy → [dx, dcoefficient, dbias]. */
function subsamplingGradWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}) {
  const backend = args.backend as WasmBackendInternals;
  const { x, coefficient, dy } = args.inputs;
  if (x === undefined || coefficient === undefined || dy === undefined) {
    throw new Error(`${SUBSAMPLING_GRAD}: needs x, coefficient and dy`);
  }
  const [n, h, w, c] = x.shape;
  const dx = backend.makeOutput([n, h, w, c], "float32"); // [N, H, W, C]
  const dCoefficient = backend.makeOutput([c], "float32"); // [C]
  const dBias = backend.makeOutput([c], "float32"); // [C]
  const scratch = backend.makeOutput([8 * Math.ceil(c / 4)], "float32"); // the SIMD sums
  try {
    requireSimdKernels(backend, SUBSAMPLING_GRAD).subsample2x2Grad(
      heapOffset(backend, x),
      heapOffset(backend, dy),
      heapOffset(backend, coefficient),
      heapOffset(backend, dx),
      heapOffset(backend, dCoefficient),
      heapOffset(backend, dBias),
      heapOffset(backend, scratch),
      n,
      h,
      w,
      c,
      (args.attrs as { scale: number }).scale,
    );
  } finally {
    backend.disposeData(scratch.dataId);
  }
  return [dx, dCoefficient, dBias];
}

/**
 * The two fused wasm kernels, which tfjs has no counterpart of; ./register.ts registers them when
 * `initBackend()` runs.
 */
export const subsamplingConfigs: readonly tf.KernelConfig[] = [
  { kernelName: SUBSAMPLING, backendName: "wasm", kernelFunc: subsamplingWasm as tf.KernelFunc },
  {
    kernelName: SUBSAMPLING_GRAD,
    backendName: "wasm",
    kernelFunc: subsamplingGradWasm as tf.KernelFunc,
  },
];
