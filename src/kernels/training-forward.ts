/**
 * The forward pass a training step differentiates: `model.apply(x, { training: true })`, except
 * that a first convolution layer (C1 in every lenet5 model) gets a gradient for its weights only.
 * Same numbers; less work: tfjs's fused convolution (what tfjs-layers runs) computes its gradient
 * through a custom-gradient function that always works out the gradient with respect to its
 * input too, and for C1 that input is the images, whose gradient nobody uses. Here C1 is the same
 * fused convolution inside a custom gradient whose only inputs are W and b, with the images
 * closed over. Measured here: C1's input gradient was 12–20% of a `modern` training step
 * (docs/speed.md). (A plain `tf.conv2d` + bias, whose gradient tfjs evaluates lazily, also skips
 * it, but its unfused forward pass was slower.)
 *
 * Also, on wasm, a ReLU layer followed by a 2×2/stride-2 max-pooling layer (the modern net's
 * C1 → S2 and C3 → S4) runs as one fused op with the same numbers (./relu-max-pool.ts):
 * two kernel calls for the pair instead of five.
 *
 * Formula: y = conv2d(x, W) + b; ∂L/∂W = Conv2DBackpropFilter(x, ∂L/∂y), ∂L/∂b = Σ_{n,h,w} ∂L/∂y;
 * then every later layer as `model.apply` runs it.
 * Input shape: [N, S, S, 1]. Output shape: the model's, e.g. [N, 10].
 */
import * as tf from "@tensorflow/tfjs";
import { RELU_MAX_POOL, RELU_MAX_POOL_GRAD, reluMaxPool2x2 } from "./relu-max-pool";
import { fusedKernelsActive } from "./simd-kernels";

/** The parts of a tfjs-layers Conv2D configuration this file reads. */
interface ConvConfig {
  readonly activation?: string;
  readonly useBias?: boolean;
  readonly dataFormat?: string;
  readonly padding?: string;
  readonly strides?: number | number[];
  readonly dilationRate?: number | number[];
}

/** A tfjs-layers ReLU layer with no cap or threshold (what ../layers/relu.ts builds). */
function isPlainRelu(layer: tf.layers.Layer | undefined): boolean {
  if (layer?.getClassName() !== "ReLU") return false;
  const { maxValue } = layer.getConfig() as { maxValue?: number | null };
  return maxValue === undefined || maxValue === null;
}

/** A tfjs-layers 2×2, stride-2, "valid", channels-last max pooling (what ../layers/max-pool.ts builds). */
function isMaxPool2x2(layer: tf.layers.Layer | undefined): boolean {
  if (layer?.getClassName() !== "MaxPooling2D") return false;
  const config = layer.getConfig() as {
    poolSize?: number | number[];
    strides?: number | number[];
    padding?: string;
    dataFormat?: string;
  };
  const isTwo = (v: number | number[] | undefined) =>
    Array.isArray(v) ? v.every((k) => k === 2) : v === 2;
  return (
    isTwo(config.poolSize) &&
    isTwo(config.strides) &&
    config.padding === "valid" &&
    config.dataFormat === "channelsLast"
  );
}

/** True when `rate` (a number or a pair) is 1 in every direction. */
const isOne = (rate: number | number[] | undefined): boolean =>
  rate === undefined || (Array.isArray(rate) ? rate.every((r) => r === 1) : rate === 1);

/**
 * The first layer as a plain convolution, when it is one this file knows how to compute exactly
 * as tfjs-layers does: a Conv2D with a bias, no activation, channels last, no dilation.
 */
function plainFirstConvolution(model: tf.LayersModel): ((x: tf.Tensor4D) => tf.Tensor) | null {
  if (!(model instanceof tf.Sequential) || model.layers.length < 2) return null;
  const first = model.layers[0];
  if (first.getClassName() !== "Conv2D") return null;
  const config = first.getConfig() as ConvConfig;
  const padding = config.padding;
  if (
    config.activation !== "linear" ||
    config.useBias !== true ||
    config.dataFormat !== "channelsLast" ||
    !isOne(config.dilationRate) ||
    (padding !== "valid" && padding !== "same") ||
    first.trainableWeights.length !== 2
  ) {
    return null;
  }
  const strides = (config.strides ?? 1) as number | [number, number];
  const [kernel, bias] = first.trainableWeights.map((w) => w.read());
  return (x) => {
    // x is closed over, not an input of the custom gradient: tfjs asks for no gradient of it.
    const convolve = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [w, b] = args as [tf.Tensor4D, tf.Tensor1D];
      const value = tf.fused.conv2d({ x, filter: w, strides, pad: padding, bias: b }); // [N, H', W', Cout]
      const gradFunc = (dy: tf.Tensor) => [
        tf
          .engine()
          .runKernel(
            "Conv2DBackpropFilter",
            { x, dy },
            { strides, pad: padding, dataFormat: "NHWC", filterShape: w.shape },
          ) as tf.Tensor, // [K, K, Cin, Cout]
        tf.sum(dy, [0, 1, 2]), // [Cout]
      ];
      return { value, gradFunc };
    });
    return convolve(kernel, bias); // [N, H', W', Cout]
  };
}

/**
 * `model.apply(x, { training: true })` with a plain first convolution (see the file header).
 * @example
 * ```ts
 * const model = createModel("modern", { seed: 1 });
 * const logits = trainingForward(model, tf.zeros([2, 28, 28, 1])); // [2, 10]
 * ```
 */
export function trainingForward(model: tf.LayersModel, x: tf.Tensor4D): tf.Tensor {
  const first = plainFirstConvolution(model);
  if (first === null) return model.apply(x, { training: true }) as tf.Tensor;
  let y: tf.Tensor = first(x); // [N, H', W', Cout]
  const layers = model.layers;
  const fused = fusedKernelsActive(RELU_MAX_POOL, RELU_MAX_POOL_GRAD);
  for (let i = 1; i < layers.length; i++) {
    if (fused && isPlainRelu(layers[i]) && isMaxPool2x2(layers[i + 1])) {
      y = reluMaxPool2x2(y as tf.Tensor4D); // [N, H/2, W/2, C]
      i++; // the pooling layer is done too
      continue;
    }
    y = layers[i].apply(y, { training: true }) as tf.Tensor;
  }
  return y;
}
