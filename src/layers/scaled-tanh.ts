/**
 * LeNet-5's squashing function as a tfjs layer and a function (Section II-A/B, Appendix A,
 * eq. 6): f(a) = A·tanh(S·a) with A = 1.7159 and S = 2/3, chosen so that f(±1) = ±1 and the
 * second derivative is largest at ±1. Twin of src/scratch/scaled-tanh.ts.
 *
 * Gradient: f'(a) = A·S·(1 − tanh²(S·a)) = (S/A)·(A² − f(a)²), computable from the output alone.
 * On wasm, once `initBackend()` registered them, both directions are one WebAssembly SIMD kernel
 * each (../kernels/scaled-tanh.ts), tanh being the rational approximation of ../kernels/tanh.ts;
 * elsewhere tfjs's ops compute A·tanh(S·a) and differentiate it themselves. The `historical` model applies f five times per
 * step, so this replaces some twenty kernel calls per training step with ten.
 *
 * Input shape: any. Output shape: the same.
 * Departures from the paper: none.
 */
import * as tf from "@tensorflow/tfjs";
import { SCALED_TANH_A, SCALED_TANH_S } from "../paper";
import { SCALED_TANH, SCALED_TANH_GRAD } from "../kernels/scaled-tanh";
import { fusedKernelsActive } from "../kernels/simd-kernels";

/** Arguments of the {@link ScaledTanh} layer: only tfjs's common ones (name, inputShape, …). */
export type ScaledTanhArgs = ConstructorParameters<typeof tf.layers.Layer>[0];

/**
 * f(x) = 1.7159·tanh(2x/3), element-wise.
 *
 * Input shape: any, e.g. C1's [N, 28, 28, 6]. Output shape: the same as the input.
 * @example
 * ```ts
 * scaledTanh(tf.tensor1d([1, -1])); // ≈ [1, -1]: f(±1) = ±1 by design
 * ```
 */
export function scaledTanh(x: tf.Tensor): tf.Tensor {
  if (x.dtype !== "float32" || !fusedKernelsActive(SCALED_TANH, SCALED_TANH_GRAD)) {
    return tf.tidy(() => tf.mul(tf.tanh(tf.mul(x, SCALED_TANH_S)), SCALED_TANH_A)); // x's shape
  }
  const fused = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const value = tf.engine().runKernel(SCALED_TANH, { x: input }, {}) as tf.Tensor; // x's shape
    save([value]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.engine().runKernel(SCALED_TANH_GRAD, { y: saved[0], dy }, {}) as tf.Tensor; // x's shape
    return { value, gradFunc };
  });
  return fused(x);
}

/**
 * The scaled tanh as a layer with no weights, registered for serialisation as "ScaledTanh".
 *
 * Input shape: any, e.g. [N, 28, 28, 6] after C1 or [N, 84] after F6. Output shape: the same as
 * the input.
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [new ScaledTanh({ inputShape: [4] })] });
 * const y = model.predict(tf.zeros([2, 4])) as tf.Tensor; // [2, 4], all 0
 * ```
 */
export class ScaledTanh extends tf.layers.Layer {
  /** Name under which tfjs serialises this layer. */
  static readonly className = "ScaledTanh";

  /** A scaled-tanh layer with tfjs's common arguments (name, inputShape, …). */
  constructor(args: ScaledTanhArgs = {}) {
    super(args);
  }

  /** Applies f element-wise. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return scaledTanh(x); // x's shape
  }

  /** Same shape as the input. */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  /** tfjs's common layer configuration; f has no parameters of its own. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig() };
  }
}
tf.serialization.registerClass(ScaledTanh);
