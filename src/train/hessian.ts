/**
 * SDLM's diagonal Gauss–Newton Hessian estimate on tfjs models (Appendix C): the fast twin of
 * hessian-scratch.ts, which states the rules and derives the output's second derivative.
 *
 * The second-derivative pass walks the model's layers backwards. Every weighted layer here is a
 * sum of products y = α Σ w·x (+ b) with a constant α (1, or ¼ for averaging subsampling), and
 * the paper's rules are then the ordinary vector–Jacobian products of the SAME op with squared
 * factors:
 *
 *   h_w = α · VJP_w( op(x², ·), d2y )      (= Σ_connections (αx)² · d2y)
 *   d2x = α · VJP_x( op(·, w²), d2y )      (= Σ_connections (αw)² · d2y)
 *   h_b = Σ d2y
 *
 * so tf.grad of conv2d, the sparse C3 convolution and subsampling gives them, on every backend
 * that can train those layers. Dense layers use the two matMuls directly; squashing functions
 * multiply by f'(a)² (ReLU: by 1[a > 0]); max pooling routes d2y like a gradient, average
 * pooling (an ablation variant of S2/S4) spreads (¼)²·d2y over its block; flatten
 * reshapes; dropout is the identity (the estimate is taken on the deterministic net).
 *
 * Output: for "rbf" models the Rbf layer and the loss together, the exact diagonal
 * 2·p_rubbish + Var_p(∂y/∂x) at F6's output; for "logits" models p(1 − p) at the logits.
 *
 * Input shape: images [N, S, S, 1]. Output shape: one h tensor per trainable weight, in
 * `model.trainableWeights` order, each of that weight's shape.
 * Departures from the paper: none beyond those of hessian-scratch.ts. Batch normalisation is not
 * supported (no such layer in the paper): SDLM refuses such a model.
 */
import * as tf from "@tensorflow/tfjs";
import { SCALED_TANH_A, SCALED_TANH_S } from "../paper";
import { DEFAULT_RBF_LOSS_J } from "../scratch/rbf-loss";
import { rbf } from "../layers/rbf";
import { SparseConv2D, sparseConv2d } from "../layers/sparse-conv2d";
import { Subsampling, subsampling } from "../layers/subsampling";
import { SDLM_HESSIAN_SAMPLES } from "./sdlm";

/** How a model's output is read: RBF distances (paper loss) or logits (softmax). */
export type OutputKind = "rbf" | "logits";

/** Options of {@link diagonalHessianSum} and {@link estimateDiagonalHessian}. */
export interface HessianOptions {
  /** The constant j of the paper's loss (rbf models; default DEFAULT_RBF_LOSS_J = 0.1). */
  j?: number;
  /**
   * rbf models: the second derivative at F6's output the pass starts from — "eq9" (default),
   * the exact one of the RBF layer and eq. 9's loss; or a constant for every unit, the reading
   * that takes the curvature of y_D alone (eq. 8's loss: 2, {@link EQ8_OUTPUT_CURVATURE}).
   * The scratch twin's option of the same name (src/scratch/historical.ts), and the engine's.
   */
  outputCurvature?: "eq9" | number;
}

/**
 * The second derivative of eq. 8's loss y_D = ‖x − w_D‖² at each of F6's outputs: 2. SDLM's
 * `outputCurvature` reading "eq8" (the Gauss–Newton diagonal of y_D alone).
 */
export const EQ8_OUTPUT_CURVATURE = 2;

/**
 * ∂²L/∂x² (exact diagonal) at F6's output x for L = the paper's loss (eq. 9) of the RBF
 * outputs: 2·p_rubbish + Σ_i p_i (J_id − m_d)² + p_rubbish·m_d², J_id = 2(x_d − w_id),
 * m_d = Σ_i p_i J_id. Per example.
 * @example
 * ```ts
 * const w = tf.tensor2d([[0], [100]]); // two 1-D prototypes
 * rbfLossCurvature(tf.tensor2d([[0]]), w, 1); // [[2·e^−1/(1 + e^−1)]] ≈ [[0.5379]]
 * ```
 */
export function rbfLossCurvature(
  x: tf.Tensor2D,
  prototypes: tf.Tensor2D,
  j: number = DEFAULT_RBF_LOSS_J,
): tf.Tensor2D {
  return tf.tidy(() => {
    const [batch] = x.shape;
    const [units, features] = prototypes.shape;
    const y = rbf(x, prototypes); // [N, U]
    const scores = tf.concat([tf.neg(y), tf.fill([batch, 1], -j)], 1); // [N, U + 1]
    const posterior = tf.softmax(scores); // [N, U + 1]
    const p = tf.slice(posterior, [0, 0], [batch, units]); // [N, U]
    const pRubbish = tf.slice(posterior, [0, units], [batch, 1]); // [N, 1]
    const slopes = tf.mul(
      tf.sub(tf.expandDims(x, 1), tf.reshape(prototypes, [1, units, features])),
      2,
    ); // [N, U, D]: J_id
    const pColumn = tf.expandDims(p, 2); // [N, U, 1]
    const mean = tf.sum(tf.mul(pColumn, slopes), 1); // [N, D]
    const spread = tf.sum(tf.mul(pColumn, tf.square(tf.sub(slopes, tf.expandDims(mean, 1)))), 1); // [N, D]
    const variance = tf.add(spread, tf.mul(pRubbish, tf.square(mean))); // [N, D]
    return tf.add(variance, tf.mul(pRubbish, 2)) as tf.Tensor2D; // [N, D]
  });
}

/**
 * The Gauss–Newton diagonal of softmax cross-entropy at the logits, p(1 − p). Per example.
 * @example
 * ```ts
 * softmaxCrossEntropyCurvature(tf.zeros([1, 2])); // [[0.25, 0.25]]
 * ```
 */
export function softmaxCrossEntropyCurvature(logits: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const p = tf.softmax(logits); // [N, C]
    return tf.mul(p, tf.sub(1, p)) as tf.Tensor2D; // [N, C]
  });
}

/** Where each layer's h tensors go: variable name → h. */
type HessianMap = Map<string, tf.Tensor>;

/** The layer's weight whose name ends in `/suffix` ("kernel", "bias", "coefficient"). */
function weightOf(layer: tf.layers.Layer, suffix: string): tf.LayerVariable {
  const found = layer.weights.find((w) => w.originalName.endsWith(`/${suffix}`));
  if (found === undefined) {
    throw new Error(`diagonal Hessian: layer ${layer.name} has no weight "${suffix}"`);
  }
  return found;
}

function setH(map: HessianMap, layer: tf.layers.Layer, suffix: string, h: tf.Tensor): void {
  map.set(weightOf(layer, suffix).name, h);
}

function checkLinearConfig(layer: tf.layers.Layer): tf.serialization.ConfigDict {
  const config = layer.getConfig();
  const activation = config.activation;
  if (activation !== undefined && activation !== "linear") {
    throw new Error(
      `diagonal Hessian: layer ${layer.name} has a built-in activation "${String(activation)}"; ` +
        "lenet5's models keep activations as separate layers",
    );
  }
  return config;
}

function isUnitPairs(value: unknown): boolean {
  return Array.isArray(value) && value.every((v) => v === 1);
}

/**
 * One layer's second-derivative backward: stores the layer's h tensors in `map` and returns
 * d2 for its input (null when `needInput` is false).
 */
function layerBackward2(
  layer: tf.layers.Layer,
  x: tf.Tensor,
  d2y: tf.Tensor,
  map: HessianMap,
  needInput: boolean,
): tf.Tensor | null {
  const kind = layer.getClassName();
  switch (kind) {
    case "ScaledTanh": {
      const t = tf.tanh(tf.mul(x, SCALED_TANH_S)); // x's shape
      const slope = tf.mul(tf.sub(1, tf.square(t)), SCALED_TANH_A * SCALED_TANH_S); // f'(a)
      return tf.mul(tf.square(slope), d2y); // x's shape
    }
    case "ReLU":
      return tf.mul(tf.cast(tf.greater(x, 0), "float32"), d2y); // x's shape
    case "Flatten":
      return tf.reshape(d2y, x.shape); // x's shape
    case "Dropout":
    case "InputLayer":
      return d2y;
    case "MaxPooling2D": {
      const config = layer.getConfig();
      const pool = config.poolSize as [number, number];
      const strides = config.strides as [number, number];
      const padding = config.padding as "valid" | "same";
      const maxPool = (v: tf.Tensor) => tf.maxPool(v as tf.Tensor4D, pool, strides, padding);
      return tf.grad(maxPool)(x, d2y); // x's shape
    }
    case "AveragePooling2D": {
      // y = ¼·Σ_block x, a linear map with no weights: d2x = (¼)²·d2y over each block, which is
      // ¼ times the gradient's routing (¼·d2y to each input). Ablation variant of S2/S4.
      const config = layer.getConfig();
      const pool = config.poolSize as [number, number];
      const strides = config.strides as [number, number];
      const padding = config.padding as "valid" | "same";
      const avgPool = (v: tf.Tensor) => tf.avgPool(v as tf.Tensor4D, pool, strides, padding);
      return tf.mul(tf.grad(avgPool)(x, d2y), 1 / (pool[0] * pool[1])); // x's shape
    }
    case "Conv2D": {
      const config = checkLinearConfig(layer);
      if (!isUnitPairs(config.strides) || !isUnitPairs(config.dilationRate)) {
        throw new Error(`diagonal Hessian: Conv2D ${layer.name} must have stride 1, dilation 1`);
      }
      const padding = config.padding as "valid" | "same";
      const kernel = weightOf(layer, "kernel").read(); // [KH, KW, Cin, Cout]
      const conv = (input: tf.Tensor, k: tf.Tensor) =>
        tf.conv2d(input as tf.Tensor4D, k as tf.Tensor4D, 1, padding);
      const squaredInput = tf.square(x); // [N, H, W, Cin]
      setH(map, layer, "kernel", tf.grad((k: tf.Tensor) => conv(squaredInput, k))(kernel, d2y)); // [KH, KW, Cin, Cout]
      if (config.useBias) setH(map, layer, "bias", tf.sum(d2y, [0, 1, 2])); // [Cout]
      if (!needInput) return null;
      const squaredKernel = tf.square(kernel); // [KH, KW, Cin, Cout]
      return tf.grad((v: tf.Tensor) => conv(v, squaredKernel))(x, d2y); // [N, H, W, Cin]
    }
    case "SparseConv2D": {
      const table = (layer as SparseConv2D).table;
      const kernel = weightOf(layer, "kernel").read(); // [K, K, connections]
      const zeroBias = tf.zeros([table.length]); // [Cout]
      const conv = (input: tf.Tensor, k: tf.Tensor) => sparseConv2d(input, k, zeroBias, table);
      const squaredInput = tf.square(x); // [N, H, W, Cin]
      setH(map, layer, "kernel", tf.grad((k: tf.Tensor) => conv(squaredInput, k))(kernel, d2y)); // [K, K, connections]
      setH(map, layer, "bias", tf.sum(d2y, [0, 1, 2])); // [Cout]
      if (!needInput) return null;
      const squaredKernel = tf.square(kernel); // [K, K, connections]
      return tf.grad((v: tf.Tensor) => conv(v, squaredKernel))(x, d2y); // [N, H, W, Cin]
    }
    case "Subsampling": {
      const reduce = (layer as Subsampling).reduce;
      const alpha = reduce === "sum" ? 1 : 1 / 4; // y = α·c·Σ_block x + b
      const coefficient = weightOf(layer, "coefficient").read(); // [C]
      const zeroBias = tf.zerosLike(coefficient); // [C]
      const op = (input: tf.Tensor, c: tf.Tensor) => subsampling(input, c, zeroBias, reduce);
      const squaredInput = tf.square(x); // [N, H, W, C]
      const hC = tf.grad((c: tf.Tensor) => op(squaredInput, c))(coefficient, d2y); // [C]
      setH(map, layer, "coefficient", tf.mul(hC, alpha)); // [C]
      setH(map, layer, "bias", tf.sum(d2y, [0, 1, 2])); // [C]
      if (!needInput) return null;
      const squaredCoefficient = tf.square(coefficient); // [C]
      const d2x = tf.grad((v: tf.Tensor) => op(v, squaredCoefficient))(x, d2y); // [N, H, W, C]
      return tf.mul(d2x, alpha); // [N, H, W, C]
    }
    case "Dense": {
      const config = checkLinearConfig(layer);
      const kernel = weightOf(layer, "kernel").read() as tf.Tensor2D; // [In, Out]
      const x2 = x as tf.Tensor2D; // [N, In]
      const d2 = d2y as tf.Tensor2D; // [N, Out]
      setH(map, layer, "kernel", tf.matMul(tf.square(x2), d2, true, false)); // [In, Out]
      if (config.useBias) setH(map, layer, "bias", tf.sum(d2, 0)); // [Out]
      if (!needInput) return null;
      return tf.matMul(d2, tf.square(kernel), false, true); // [N, In]
    }
    case "BatchNormalization":
      throw new Error(
        `diagonal Hessian: layer ${layer.name} is batch normalisation, which SDLM's Hessian ` +
          "estimate does not support; build the model without batchNorm or use another optimiser",
      );
    default:
      throw new Error(
        `diagonal Hessian: layer ${layer.name} of kind ${kind} is not supported ` +
          "(supported: Conv2D, SparseConv2D, Subsampling, Dense, ScaledTanh, ReLU, " +
          "MaxPooling2D, AveragePooling2D, Flatten, Dropout, and a final Rbf)",
      );
  }
}

/**
 * The diagonal Gauss–Newton second derivatives of the loss with respect to every trainable
 * weight, SUMMED over the examples of `x`; one tensor per `model.trainableWeights` entry. The
 * caller owns the result.
 * @example
 * ```ts
 * const model = createModel("historical", { seed: 1 });
 * const h = diagonalHessianSum(model, "rbf", tf.zeros([4, 32, 32, 1]));
 * h[0].shape; // [5, 5, 1, 6]: C1's kernel
 * ```
 */
export function diagonalHessianSum(
  model: tf.LayersModel,
  output: OutputKind,
  x: tf.Tensor4D,
  options: HessianOptions = {},
): tf.Tensor[] {
  return tf.tidy(() => {
    const layers = model.layers;
    const inputs: tf.Tensor[] = [];
    let h: tf.Tensor = x;
    for (const layer of layers) {
      inputs.push(h);
      h = layer.apply(h) as tf.Tensor; // the layer's output
    }
    let top = layers.length; // layers below `top` get the second-derivative pass
    let d2: tf.Tensor;
    if (output === "rbf") {
      const last = layers[layers.length - 1];
      if (last.getClassName() !== "Rbf") {
        throw new Error(
          `diagonal Hessian: an "rbf" model must end in an Rbf layer, not ${last.name}`,
        );
      }
      const prototypes = last.weights[0].read() as tf.Tensor2D; // [10, 84]
      top = layers.length - 1;
      d2 = rbfOutputCurvature(inputs[top] as tf.Tensor2D, prototypes, options); // [N, 84]
    } else {
      d2 = softmaxCrossEntropyCurvature(h as tf.Tensor2D); // [N, C]
    }
    const map: HessianMap = new Map();
    for (let i = top - 1; i >= 0; i--) {
      const d2Input = layerBackward2(layers[i], inputs[i], d2, map, i > 0);
      if (d2Input === null) break;
      d2 = d2Input;
    }
    return model.trainableWeights.map((w) => {
      const found = map.get(w.name);
      if (found === undefined) {
        throw new Error(`diagonal Hessian: no estimate for trainable weight ${w.originalName}`);
      }
      return found;
    });
  });
}

/** ∂²L/∂x² at F6's output x [N, 84] by the reading `options.outputCurvature` names. */
function rbfOutputCurvature(
  x: tf.Tensor2D,
  prototypes: tf.Tensor2D,
  options: HessianOptions,
): tf.Tensor2D {
  const reading = options.outputCurvature ?? "eq9";
  if (reading === "eq9") return rbfLossCurvature(x, prototypes, options.j);
  if (!(reading > 0) || !Number.isFinite(reading)) {
    throw new RangeError(`diagonal Hessian: outputCurvature must be "eq9" or > 0, got ${reading}`);
  }
  return tf.fill(x.shape, reading) as tf.Tensor2D; // [N, 84]
}

/** Options of {@link estimateDiagonalHessian}. */
export interface EstimateHessianOptions extends HessianOptions {
  /** Which examples of `images` to use (default: the first min(count, 500)). */
  indices?: ArrayLike<number>;
  /** Examples per forward pass (default 100; memory only, not the result). */
  batchSize?: number;
}

/**
 * SDLM's h_kk: the diagonal Gauss–Newton second derivatives AVERAGED over the chosen examples
 * (the paper: 500 samples before each pass). `images` is the network input [count, S, S, 1]
 * (NHWC, as `toNetworkInput` makes it). The caller owns the result.
 * @example
 * ```ts
 * const model = createModel("historical", { seed: 1 });
 * const images = new Float32Array(8 * 32 * 32).fill(-0.1);
 * const h = estimateDiagonalHessian(model, "rbf", images, 8); // one tensor per weight
 * tf.dispose(h);
 * ```
 */
export function estimateDiagonalHessian(
  model: tf.LayersModel,
  output: OutputKind,
  images: Float32Array,
  count: number,
  options: EstimateHessianOptions = {},
): tf.Tensor[] {
  const pixels = count > 0 ? images.length / count : 0;
  const side = Math.round(Math.sqrt(pixels));
  if (!Number.isInteger(count) || count < 1 || side * side !== pixels) {
    throw new RangeError(
      `estimateDiagonalHessian: ${images.length} values are not ${count} square single-channel images`,
    );
  }
  const indices = options.indices ?? range(Math.min(count, SDLM_HESSIAN_SAMPLES));
  const total = indices.length;
  if (total === 0) throw new RangeError("estimateDiagonalHessian: no examples chosen");
  const batchSize = options.batchSize ?? 100;
  let sums: tf.Tensor[] | null = null;
  for (let start = 0; start < total; start += batchSize) {
    const examples = Math.min(batchSize, total - start);
    const batch = new Float32Array(examples * pixels); // [B, S, S, 1]
    for (let i = 0; i < examples; i++) {
      const index = indices[start + i];
      if (!(index >= 0 && index < count)) {
        throw new RangeError(`estimateDiagonalHessian: index ${index} is outside 0..${count - 1}`);
      }
      batch.set(images.subarray(index * pixels, (index + 1) * pixels), i * pixels);
    }
    const previous: tf.Tensor[] | null = sums;
    sums = tf.tidy(() => {
      const x = tf.tensor4d(batch, [examples, side, side, 1]); // [B, S, S, 1]
      const part = diagonalHessianSum(model, output, x, options);
      return previous === null ? part : part.map((h, k) => tf.add(previous[k], h));
    });
    if (previous !== null) tf.dispose(previous);
  }
  const result = (sums as tf.Tensor[]).map((s) => tf.div(s, total)); // like each weight
  tf.dispose(sums as tf.Tensor[]);
  return result;
}

function range(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}
