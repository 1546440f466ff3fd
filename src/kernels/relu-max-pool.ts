/**
 * ReLU followed by 2×2 max pooling (stride 2), fused into one op for training on wasm: the modern
 * net's C1 → S2 and C3 → S4 (not in the paper, whose S2/S4 are trainable subsampling,
 * ../layers/subsampling.ts). Same numbers as ../layers/relu.ts then ../layers/max-pool.ts, in one pass each way instead
 * of five kernel calls (Relu, MaxPool; Step, Multiply, MaxPoolGrad for the gradient).
 *
 * Formula: y[n, oy, ox, c] = max(0, max_{i, j ∈ {0, 1}} x[n, 2·oy + i, 2·ox + j, c]), since the
 * maximum of ReLUs is the ReLU of the maximum. Gradient: each window's ∂L/∂y goes to the window's
 * first maximum (row-major, as tfjs's MaxPoolGrad does) when that maximum is positive, and 0
 * elsewhere (the ReLU passes no gradient at x ≤ 0).
 *
 * The fused kernels are WebAssembly SIMD (./simd-kernels.as.ts, lanes over 4 channels) and exist
 * on the wasm backend only, once `initBackend()` registered them; elsewhere, and for odd heights or widths or fewer than 4 channels, {@link reluMaxPool2x2} computes tf.maxPool(tf.relu(x)).
 * Their plain references are {@link reluMaxPool2x2Reference} and
 * {@link reluMaxPool2x2GradReference}; the tests check all of them against tfjs's cpu kernels.
 *
 * Input shape: [N, H, W, C]. Output shape: [N, ⌊H/2⌋, ⌊W/2⌋, C]. Modern net: [N, 28, 28, 6] →
 * [N, 14, 14, 6] and [N, 10, 10, 16] → [N, 5, 5, 16].
 */
import * as tf from "@tensorflow/tfjs";
import {
  fusedKernelsActive,
  heapOffset,
  requireSimdKernels,
  type WasmBackendInternals,
} from "./simd-kernels";

/** The forward kernel's registered name (wasm only). */
export const RELU_MAX_POOL = "Lenet5ReluMaxPool2x2";
/** The gradient kernel's registered name (wasm only). */
export const RELU_MAX_POOL_GRAD = "Lenet5ReluMaxPool2x2Grad";

type Shape4 = readonly [number, number, number, number];

/**
 * The forward formula of the file header in plain loops: x [N, H, W, C] (H, W even) →
 * [N, H/2, W/2, C].
 * @example
 * ```ts
 * // One 2×2 window per channel: channel 0 holds −1, 3, 2, 0 → 3; channel 1 holds −1, −2, −3, −4 → 0.
 * reluMaxPool2x2Reference(Float32Array.from([-1, -1, 3, -2, 2, -3, 0, -4]), [1, 2, 2, 2]); // [3, 0]
 * ```
 */
export function reluMaxPool2x2Reference(x: Float32Array, shape: Shape4): Float32Array {
  const [n, h, w, c] = shape;
  const y = new Float32Array(n * (h / 2) * (w / 2) * c); // [N, H/2, W/2, C]
  let out = 0;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < h / 2; oy++)
      for (let ox = 0; ox < w / 2; ox++)
        for (let ch = 0; ch < c; ch++) {
          let m = 0; // the ReLU's floor
          for (let i = 0; i < 2; i++)
            for (let j = 0; j < 2; j++)
              m = Math.max(m, x[((b * h + 2 * oy + i) * w + 2 * ox + j) * c + ch]);
          y[out++] = m;
        }
  return y;
}

/**
 * The gradient formula of the file header in plain loops: x [N, H, W, C], dy [N, H/2, W/2, C] →
 * dx [N, H, W, C].
 * @example
 * ```ts
 * // The window −1, 3, 3, 0 (a tie): all of dy = 5 goes to the first 3. A window ≤ 0 gets nothing.
 * reluMaxPool2x2GradReference(Float32Array.from([-1, 3, 3, 0]), Float32Array.from([5]), [1, 2, 2, 1]);
 * // [0, 5, 0, 0]
 * ```
 */
export function reluMaxPool2x2GradReference(
  x: Float32Array,
  dy: Float32Array,
  shape: Shape4,
): Float32Array {
  const [n, h, w, c] = shape;
  const dx = new Float32Array(x.length); // [N, H, W, C]
  let g = 0;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < h / 2; oy++)
      for (let ox = 0; ox < w / 2; ox++)
        for (let ch = 0; ch < c; ch++, g++) {
          let best = -Infinity;
          let at = -1;
          for (let i = 0; i < 2; i++)
            for (let j = 0; j < 2; j++) {
              const index = ((b * h + 2 * oy + i) * w + 2 * ox + j) * c + ch;
              if (x[index] > best) {
                best = x[index];
                at = index;
              }
            }
          if (best > 0) dx[at] = dy[g];
        }
  return dx;
}

/** Forward kernel function (wasm): x [N, H, W, C] → y [N, H/2, W/2, C]. */
function reluMaxPoolWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }) {
  const backend = args.backend as WasmBackendInternals;
  const { x } = args.inputs;
  if (x === undefined) throw new Error(`${RELU_MAX_POOL}: needs input x`);
  const [n, h, w, c] = x.shape;
  const y = backend.makeOutput([n, h / 2, w / 2, c], "float32"); // [N, H/2, W/2, C]
  requireSimdKernels(backend, RELU_MAX_POOL).reluMaxPool2x2(
    heapOffset(backend, x),
    heapOffset(backend, y),
    n,
    h,
    w,
    c,
  );
  return y;
}

/** Gradient kernel function (wasm): x [N, H, W, C], dy [N, H/2, W/2, C] → dx [N, H, W, C]. */
function reluMaxPoolGradWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }) {
  const backend = args.backend as WasmBackendInternals;
  const { x, dy } = args.inputs;
  if (x === undefined || dy === undefined) throw new Error(`${RELU_MAX_POOL_GRAD}: needs x, dy`);
  const [n, h, w, c] = x.shape;
  const dx = backend.makeOutput([n, h, w, c], "float32"); // [N, H, W, C]
  requireSimdKernels(backend, RELU_MAX_POOL_GRAD).reluMaxPool2x2Grad(
    heapOffset(backend, x),
    heapOffset(backend, dy),
    heapOffset(backend, dx),
    n,
    h,
    w,
    c,
  );
  return dx;
}

/**
 * The two fused wasm kernels, which tfjs has no counterpart of; ./register.ts registers them when
 * `initBackend()` runs. Until then {@link reluMaxPool2x2} takes tfjs's ops.
 */
export const reluMaxPoolConfigs: readonly tf.KernelConfig[] = [
  { kernelName: RELU_MAX_POOL, backendName: "wasm", kernelFunc: reluMaxPoolWasm as tf.KernelFunc },
  {
    kernelName: RELU_MAX_POOL_GRAD,
    backendName: "wasm",
    kernelFunc: reluMaxPoolGradWasm as tf.KernelFunc,
  },
];

/**
 * max pool 2×2 / stride 2 (valid) of ReLU(x), with its gradient, fused where the backend allows
 * (see the file header); otherwise tf.maxPool(tf.relu(x), 2, 2, "valid").
 *
 * Input shape: [N, H, W, C]. Output shape: [N, ⌊H/2⌋, ⌊W/2⌋, C].
 * @example
 * ```ts
 * const x = tf.tensor4d([-1, 3, 2, 0], [1, 2, 2, 1]);
 * reluMaxPool2x2(x).dataSync(); // [3]
 * ```
 */
export function reluMaxPool2x2(x: tf.Tensor4D): tf.Tensor4D {
  const [, h, w, c] = x.shape;
  if (
    h % 2 !== 0 ||
    w % 2 !== 0 ||
    c < 4 ||
    !fusedKernelsActive(RELU_MAX_POOL, RELU_MAX_POOL_GRAD)
  ) {
    return tf.maxPool(tf.relu(x), 2, 2, "valid"); // [N, ⌊H/2⌋, ⌊W/2⌋, C]
  }
  const fused = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
    save([input]);
    const value = tf.engine().runKernel(RELU_MAX_POOL, { x: input }, {}) as tf.Tensor4D; // [N, H/2, W/2, C]
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.engine().runKernel(RELU_MAX_POOL_GRAD, { x: saved[0], dy }, {}) as tf.Tensor4D; // [N, H, W, C]
    return { value, gradFunc };
  });
  return fused(x) as tf.Tensor4D;
}
