/**
 * Exercise check for notebook 05 (S4 and C5, Section II-B of the paper): C5's kernel [5, 5, 16, 120] as dense weights [400, 120]: on a 5×5×16 input C5 is a full
 *    connection, y = flatten(x) · W + b, and in NHWC the input flattens in the kernel's own
 *    memory order (row, column, channel), so W is the same 48,000 numbers read as [400, 120].
 *
 * Input: the learner's function. Output: an {@link ExerciseResult}. The check never throws.
 */
import { Rng } from "../rng";
import { conv2d } from "../scratch/conv2d";
import { dense } from "../scratch/dense";
import { type Tensor, tensor } from "../scratch/tensor";
import { type ExerciseResult, exerciseResult, tryLearnerCode } from "./result";

/** Kernel side of C1, C3 and C5. */
const K = 5;

/** C5's sizes: 5×5 kernels over 16 maps into 120 maps. */
const C5_IN_CHANNELS = 16;
const C5_OUT_CHANNELS = 120;
const C5_INPUTS = K * K * C5_IN_CHANNELS; // 400

/** A seeded random C5 kernel [5, 5, 16, 120] in the paper's initial range ±2.4/400. */
function randomC5Kernel(rng: Rng): Tensor {
  const range = 2.4 / C5_INPUTS;
  const values = Array.from({ length: C5_INPUTS * C5_OUT_CHANNELS }, () =>
    rng.uniform(-range, range),
  );
  return tensor([K, K, C5_IN_CHANNELS, C5_OUT_CHANNELS], values);
}

/** True when `weights[(ci·25 + ky·5 + kx)·120 + o] = kernel[ky, kx, ci, o]` (channel-first rows). */
function isChannelFirst(weights: ArrayLike<number>, kernel: Tensor): boolean {
  for (let ky = 0; ky < K; ky++)
    for (let kx = 0; kx < K; kx++)
      for (let ci = 0; ci < C5_IN_CHANNELS; ci++)
        for (let o = 0; o < C5_OUT_CHANNELS; o += 17) {
          const k = kernel.data[((ky * K + kx) * C5_IN_CHANNELS + ci) * C5_OUT_CHANNELS + o];
          const w = weights[((ci * K + ky) * K + kx) * C5_OUT_CHANNELS + o];
          if (k !== w) return false;
        }
  return true;
}

/** Largest |a − b| over two equally long arrays. */
function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i] - b[i]));
  return largest;
}

/**
 * Checks the learner's reshaping of a C5 kernel [5, 5, 16, 120] into dense weights [400, 120]:
 * the shape, the row order, and that `dense(flatten(x), W, b)` equals `conv2d(x, kernel, b)` on
 * random 5×5×16 inputs.
 * @example
 * ```ts
 * const result = checkC5AsDense((kernel) => ({ shape: [400, 120], data: kernel.data }));
 * result.ok; // true — NHWC needs no reordering
 * ```
 */
export function checkC5AsDense(toDense: (kernel: Tensor) => Tensor): ExerciseResult {
  const rng = new Rng(5);
  const kernel = randomC5Kernel(rng);
  const kernelCopy: Tensor = { shape: [...kernel.shape], data: kernel.data.slice() };
  const run = tryLearnerCode("your function", () => toDense(kernelCopy));
  if (!run.ok) return exerciseResult(false, run.error);
  const weights = run.value;
  if (!weights || !Array.isArray(weights.shape) || !weights.data) {
    return exerciseResult(false, "your function should return a tensor { shape, data }");
  }
  const shape = weights.shape.join(", ");
  if (weights.shape[0] === C5_OUT_CHANNELS && weights.shape[1] === C5_INPUTS) {
    return exerciseResult(
      false,
      `you returned shape [${shape}]: dense weights are [inputs, outputs] = [${C5_INPUTS}, ${C5_OUT_CHANNELS}]`,
    );
  }
  if (
    weights.shape.length !== 2 ||
    weights.shape[0] !== C5_INPUTS ||
    weights.shape[1] !== C5_OUT_CHANNELS
  ) {
    return exerciseResult(
      false,
      `you returned shape [${shape}]; expected [${C5_INPUTS}, ${C5_OUT_CHANNELS}]: 5·5·16 = 400 inputs, 120 outputs`,
    );
  }
  if (weights.data.length !== C5_INPUTS * C5_OUT_CHANNELS) {
    return exerciseResult(
      false,
      `shape [${shape}] holds ${C5_INPUTS * C5_OUT_CHANNELS} values, your data has ${weights.data.length}`,
    );
  }
  if (isChannelFirst(weights.data, kernel)) {
    return exerciseResult(
      false,
      "your rows run (channel, row, column), PyTorch's NCHW order; lenet5 is NHWC: an input " +
        "5×5×16 flattens as (row, column, channel), so row (ky·5 + kx)·16 + ci — the kernel's own memory order",
    );
  }
  const x = tensor(
    [2, K, K, C5_IN_CHANNELS],
    Array.from({ length: 2 * C5_INPUTS }, () => rng.uniform(-1.7, 1.7)),
  ); // [2, 5, 5, 16]
  const bias = tensor(
    [C5_OUT_CHANNELS],
    Array.from({ length: C5_OUT_CHANNELS }, () => rng.uniform(-0.01, 0.01)),
  ); // [120]
  const viaConv = conv2d(x, kernel, bias); // [2, 1, 1, 120]
  const flat: Tensor = { shape: [2, C5_INPUTS], data: x.data }; // [2, 400]
  const viaDense = tryLearnerCode("dense with your weights", () =>
    dense(
      flat,
      { shape: [C5_INPUTS, C5_OUT_CHANNELS], data: Float32Array.from(weights.data) },
      bias,
    ),
  ); // [2, 120]
  if (!viaDense.ok) return exerciseResult(false, viaDense.error);
  const difference = maxAbsDifference(viaDense.value.data, viaConv.data);
  if (!(difference < 1e-5)) {
    return exerciseResult(
      false,
      `dense(flatten(x), your W) differs from conv2d(x, kernel) by up to ${difference.toExponential(2)}: ` +
        "row r of W must hold the kernel weights that multiply input number r of the flattened 5×5×16 input",
    );
  }
  return exerciseResult(
    true,
    `dense(flatten(x), W) equals conv2d(x, kernel) (largest difference ${difference.toExponential(1)}): ` +
      "on a 5×5 input C5 is a full connection with 400·120 + 120 = 48,120 parameters",
  );
}
