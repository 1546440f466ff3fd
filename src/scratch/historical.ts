/**
 * The paper's LeNet-5 (Section II-B, Fig. 2) written once, by hand, in plain TypeScript: one
 * parameter record, a forward pass that keeps every activation, the backward pass, and SDLM's
 * Gauss–Newton backward pass (Appendix C) — each a straight list of op calls from this folder,
 * one line per op with its shape, the way llm.c writes `gpt2_forward` and `gpt2_backward`.
 *
 *   INPUT 32×32 → C1 6@28×28 → S2 6@14×14 → C3 16@10×10 (Table I) → S4 16@5×5 → C5 120
 *   → F6 84 → OUTPUT 10 Euclidean RBF units → the loss of eq. 9
 *
 * Every C, S and F layer is a weighted sum followed by the squashing function f(a) = A·tanh(S·a);
 * the activations record keeps both (`C1Sum` is a, `C1` is f(a)), because the backward passes
 * need the sums for f' and the outputs as the next layer's inputs.
 *
 * Second derivatives travel backwards like gradients, with squares where the gradient has plain
 * factors. For a unit a_i = Σ_j w_ij x_j + b_i followed by x_i = f(a_i):
 *
 *   ∂²E/∂a_i²  ≈ f'(a_i)² · ∂²E/∂x_i²                    (Gauss–Newton: the f''·∂E/∂x term dropped)
 *   ∂²E/∂x_j²  ≈ Σ_i w_ij² · ∂²E/∂a_i²                   (off-diagonal terms dropped)
 *   ∂²E/∂w_k²  ≈ Σ_{connections (i, j) sharing w_k} x_j² · ∂²E/∂a_i²      (bias: x_j = 1)
 *
 * Every term is ≥ 0, so the estimate never makes a learning rate negative. At the output the
 * RBF layer and the loss are taken together, exactly (`rbfLossBackward2`, derived in
 * rbf-loss.ts). h_kk is the mean over the examples of their per-example second derivatives (the
 * paper keeps a running average over 500 samples; lenet5 takes the plain mean).
 *
 * The tfjs model of src/models/historical.ts is this net's fast twin; `historicalParams` and
 * `assignHistoricalParams` there move weights between the two, and tests bind them: same loss,
 * same gradients, same h_kk.
 *
 * Input shape: x [N, 32, 32, 1] (background −0.1, ink 1.175), labels of length N.
 * Output shape: OUTPUT [N, 10] squared distances; gradients and h_kk in the parameters' layout.
 * Departures from the paper: the RBF bitmaps are drawn in the style of Fig. 3; j = 0.1 by
 * default (the paper gives no value); h_kk is a plain mean, not a running average.
 *
 * Ablation variants ({@link HistoricalVariant}, each a departure, for experiments): C3 fully
 * connected to S2 (`c3Table`, 96 connections instead of Table I's 60), and S2/S4 as parameter-free
 * 2×2 average or max pooling with no squashing after them (`subsampling`) instead of the paper's
 * sum × coefficient + bias, then squash. The parameter record keeps its fields: C3's packed
 * kernel is [5, 5, connections], and a pooling S2/S4 has zero-length coefficient and bias.
 */
import { INPUT_SIZE, TABLE_I, rbfPrototypes } from "../paper";
import { avgPool, avgPoolBackward, avgPoolBackward2 } from "./avg-pool";
import { maxPool, maxPoolBackward, maxPoolBackward2 } from "./max-pool";
import { conv2d, conv2dBackward, conv2dBackward2 } from "./conv2d";
import { dense, denseBackward, denseBackward2 } from "./dense";
import { rbf, rbfBackward } from "./rbf";
import { rbfLoss, rbfLossBackward, rbfLossBackward2, type RbfLossOptions } from "./rbf-loss";
import { scaledTanh, scaledTanhBackward, scaledTanhBackward2 } from "./scaled-tanh";
import {
  sparseConv2d,
  sparseConv2dBackward,
  sparseConv2dBackward2,
  tableConnections,
} from "./sparse-conv2d";
import { subsampling, subsamplingBackward, subsamplingBackward2 } from "./subsampling";
import { Tensor, expectShape, reshaped, scaled, tensor, zeros } from "./tensor";

/**
 * Every weight of the faithful net, in the tfjs model's layouts and order (C1 kernel, C1 bias,
 * S2 coefficient, …): the one parameter record lenet5 uses for this net.
 */
export interface HistoricalParams {
  /** C1, convolution 1 → 6 maps: kernel [5, 5, 1, 6], bias [6]. */
  readonly c1: { readonly kernel: Tensor; readonly bias: Tensor };
  /** S2, subsampling of 6 maps: coefficient [6], bias [6]. */
  readonly s2: { readonly coefficient: Tensor; readonly bias: Tensor };
  /** C3, Table I's sparse convolution 6 → 16 maps: kernel [5, 5, 60] packed by connection, bias [16]. */
  readonly c3: { readonly kernel: Tensor; readonly bias: Tensor };
  /** S4, subsampling of 16 maps: coefficient [16], bias [16]. */
  readonly s4: { readonly coefficient: Tensor; readonly bias: Tensor };
  /** C5, convolution 16 → 120 maps: kernel [5, 5, 16, 120], bias [120]. */
  readonly c5: { readonly kernel: Tensor; readonly bias: Tensor };
  /** F6, full connection 120 → 84: weight [120, 84], bias [84]. */
  readonly f6: { readonly weight: Tensor; readonly bias: Tensor };
  /** The RBF prototypes [10, 84]: the paper's fixed ±1 bitmaps, row i = digit i (not trained). */
  readonly prototypes: Tensor;
}

/** How S2 and S4 reduce their 2×2 blocks: the paper's trainable subsampling, or plain pooling. */
export type SubsamplingKind = "trainable" | "average" | "max";

/** The ways S2/S4 can reduce a block, the paper's first. */
export const SUBSAMPLING_KINDS: readonly SubsamplingKind[] = ["trainable", "average", "max"];

/** C3 fully connected: every one of the 16 C3 maps reads all 6 S2 maps (96 connections). */
export const FULL_C3_TABLE: readonly (readonly number[])[] = Array.from({ length: 16 }, () => [
  0, 1, 2, 3, 4, 5,
]);

/**
 * An ablation variant of the faithful net (defaults: the paper's). The weights' record must be
 * built for the same variant ({@link historicalZeros} with it, or `historicalParams` of a model
 * built with the matching options).
 */
export interface HistoricalVariant {
  /** C3's connection table (default Table I; {@link FULL_C3_TABLE} for full C3). */
  readonly c3Table?: readonly (readonly number[])[];
  /** S2/S4 (default "trainable": sum × coefficient + bias, then squash; see the file header). */
  readonly subsampling?: SubsamplingKind;
}

/** One tensor per trainable weight, in {@link HistoricalParams}' layout: dE/dw or h_kk. */
export type HistoricalGradients = Omit<HistoricalParams, "prototypes">;

/**
 * SDLM's h_kk for every trainable weight, in {@link HistoricalParams}' layout (C1 kernel
 * [5, 5, 1, 6] … F6 weight [120, 84]).
 */
export type HistoricalHessian = HistoricalGradients;

/**
 * What {@link historicalForward} keeps: the input, every layer's weighted sums (`…Sum`, before
 * the squashing) and outputs (after it; the RBF output has none).
 */
export interface HistoricalActivations {
  /** The input [N, 32, 32, 1]. */
  readonly input: Tensor;
  /** C1's weighted sums [N, 28, 28, 6]. */
  readonly C1Sum: Tensor;
  /** C1's feature maps [N, 28, 28, 6]. */
  readonly C1: Tensor;
  /** S2's weighted sums [N, 14, 14, 6]. */
  readonly S2Sum: Tensor;
  /** S2's feature maps [N, 14, 14, 6]. */
  readonly S2: Tensor;
  /** C3's weighted sums [N, 10, 10, 16]. */
  readonly C3Sum: Tensor;
  /** C3's feature maps [N, 10, 10, 16]. */
  readonly C3: Tensor;
  /** S4's weighted sums [N, 5, 5, 16]. */
  readonly S4Sum: Tensor;
  /** S4's feature maps [N, 5, 5, 16]. */
  readonly S4: Tensor;
  /** C5's weighted sums [N, 1, 1, 120]. */
  readonly C5Sum: Tensor;
  /** C5's units [N, 1, 1, 120]. */
  readonly C5: Tensor;
  /** F6's weighted sums [N, 84]. */
  readonly F6Sum: Tensor;
  /** F6's units [N, 84]. */
  readonly F6: Tensor;
  /** The RBF distances [N, 10], one per digit; the prediction is the argmin. */
  readonly OUTPUT: Tensor;
}

/**
 * The forward pass, keeping every activation.
 *
 * Input shape: x [N, 32, 32, 1]. Output shape: see {@link HistoricalActivations} (C1 [N, 28, 28,
 * 6] … OUTPUT [N, 10]).
 * @example
 * ```ts
 * const params = historicalParams(createHistorical({ seed: 1 }));
 * const { C1, OUTPUT } = scratch.historicalForward(params, scratch.zeros([1, 32, 32, 1]));
 * C1.shape; // [1, 28, 28, 6]
 * OUTPUT.shape; // [1, 10]
 * ```
 */
export function historicalForward(
  params: HistoricalParams,
  x: Tensor,
  variant: HistoricalVariant = {},
): HistoricalActivations {
  expectShape("historicalForward input", x, [null, INPUT_SIZE, INPUT_SIZE, 1]);
  const n = x.shape[0];
  const kind = subsamplingKind(variant);
  const table = variant.c3Table ?? TABLE_I;
  const C1Sum = conv2d(x, params.c1.kernel, params.c1.bias); //               [N, 28, 28, 6]
  const C1 = scaledTanh(C1Sum); //                                            [N, 28, 28, 6]
  const S2Sum = reduceBlocks(kind, C1, params.s2); //                         [N, 14, 14, 6]
  const S2 = squashBlocks(kind, S2Sum); //                                    [N, 14, 14, 6]
  const C3Sum = sparseConv2d(S2, params.c3.kernel, params.c3.bias, table); // [N, 10, 10, 16]
  const C3 = scaledTanh(C3Sum); //                                            [N, 10, 10, 16]
  const S4Sum = reduceBlocks(kind, C3, params.s4); //                         [N, 5, 5, 16]
  const S4 = squashBlocks(kind, S4Sum); //                                    [N, 5, 5, 16]
  const C5Sum = conv2d(S4, params.c5.kernel, params.c5.bias); //              [N, 1, 1, 120]
  const C5 = scaledTanh(C5Sum); //                                            [N, 1, 1, 120]
  const F6Sum = dense(reshaped(C5, [n, 120]), params.f6.weight, params.f6.bias); // [N, 84]
  const F6 = scaledTanh(F6Sum); //                                            [N, 84]
  const OUTPUT = rbf(F6, params.prototypes); //                               [N, 10]
  return { input: x, C1Sum, C1, S2Sum, S2, C3Sum, C3, S4Sum, S4, C5Sum, C5, F6Sum, F6, OUTPUT };
}

/** The variant's S2/S4 kind, checked. */
function subsamplingKind(variant: HistoricalVariant): SubsamplingKind {
  const kind = variant.subsampling ?? "trainable";
  if (!SUBSAMPLING_KINDS.includes(kind)) {
    throw new RangeError(
      `historical: subsampling must be one of ${SUBSAMPLING_KINDS.join(", ")}, got ${kind as string}`,
    );
  }
  return kind;
}

/** An S layer's weights: coefficient [C] and bias [C] (zero-length for pooling). */
type SWeights = HistoricalParams["s2"];

/** S2/S4's weighted sums: trainable subsampling, or the plain pooling (which has no weights). */
function reduceBlocks(kind: SubsamplingKind, x: Tensor, weights: SWeights): Tensor {
  if (kind === "average") return avgPool(x);
  if (kind === "max") return maxPool(x);
  return subsampling(x, weights.coefficient, weights.bias);
}

/** S2/S4's outputs: the squashing function after trainable subsampling; pooling passes as is. */
function squashBlocks(kind: SubsamplingKind, sum: Tensor): Tensor {
  return kind === "trainable" ? scaledTanh(sum) : sum;
}

/** Backward through one S layer from dE/d(output): dx and the weights' gradients. */
function blocksBackward(
  kind: SubsamplingKind,
  x: Tensor,
  sum: Tensor,
  weights: SWeights,
  dOut: Tensor,
): { dx: Tensor; dCoefficient: Tensor; dBias: Tensor } {
  if (kind === "trainable") {
    return subsamplingBackward(x, weights.coefficient, scaledTanhBackward(sum, dOut));
  }
  const dx = kind === "average" ? avgPoolBackward(x, dOut) : maxPoolBackward(x, dOut);
  return { dx, dCoefficient: zeros([0], x.data), dBias: zeros([0], x.data) };
}

/** Second derivatives back through one S layer from ∂²E/∂(output)². */
function blocksBackward2(
  kind: SubsamplingKind,
  x: Tensor,
  sum: Tensor,
  weights: SWeights,
  d2Out: Tensor,
): { d2x: Tensor; hCoefficient: Tensor; hBias: Tensor } {
  if (kind === "trainable") {
    return subsamplingBackward2(x, weights.coefficient, scaledTanhBackward2(sum, d2Out));
  }
  const d2x = kind === "average" ? avgPoolBackward2(x, d2Out) : maxPoolBackward2(x, d2Out);
  return { d2x, hCoefficient: zeros([0], x.data), hBias: zeros([0], x.data) };
}

/**
 * The loss of eq. 9 on a forward pass, averaged over the batch.
 *
 * Input shape: the activations of N examples, labels of length N. Output shape: a number.
 * @example
 * ```ts
 * const acts = scratch.historicalForward(params, x);
 * scratch.historicalLoss(acts, [7]); // ≈ 90 for an untrained net
 * ```
 */
export function historicalLoss(
  acts: HistoricalActivations,
  labels: ArrayLike<number>,
  options: RbfLossOptions = {},
): number {
  return rbfLoss(acts.OUTPUT, labels, options);
}

/**
 * The backward pass: dE/dw of the batch-averaged loss of eq. 9 for every trainable weight (the
 * prototypes are fixed). Reads the activations of {@link historicalForward} on the same weights.
 *
 * Input shape: the activations of N examples, labels of length N. Output shape: the parameters'
 * layout (see {@link HistoricalGradients}).
 * @example
 * ```ts
 * const grads = scratch.historicalBackward(params, scratch.historicalForward(params, x), [7]);
 * grads.c3.kernel.shape; // [5, 5, 60]
 * ```
 */
export function historicalBackward(
  params: HistoricalParams,
  acts: HistoricalActivations,
  labels: ArrayLike<number>,
  options: RbfLossOptions = {},
  variant: HistoricalVariant = {},
): HistoricalGradients {
  const n = acts.input.shape[0];
  const kind = subsamplingKind(variant);
  const table = variant.c3Table ?? TABLE_I;
  const dOUTPUT = rbfLossBackward(acts.OUTPUT, labels, options); //            [N, 10]
  const dF6 = rbfBackward(acts.F6, params.prototypes, dOUTPUT).dx; //          [N, 84]
  const dF6Sum = scaledTanhBackward(acts.F6Sum, dF6); //                       [N, 84]
  const f6 = denseBackward(reshaped(acts.C5, [n, 120]), params.f6.weight, dF6Sum); // dx [N, 120]
  const dC5Sum = scaledTanhBackward(acts.C5Sum, reshaped(f6.dx, [n, 1, 1, 120])); // [N, 1, 1, 120]
  const c5 = conv2dBackward(acts.S4, params.c5.kernel, dC5Sum); //             dx [N, 5, 5, 16]
  const s4 = blocksBackward(kind, acts.C3, acts.S4Sum, params.s4, c5.dx); //   dx [N, 10, 10, 16]
  const dC3Sum = scaledTanhBackward(acts.C3Sum, s4.dx); //                     [N, 10, 10, 16]
  const c3 = sparseConv2dBackward(acts.S2, params.c3.kernel, dC3Sum, table); // dx [N, 14, 14, 6]
  const s2 = blocksBackward(kind, acts.C1, acts.S2Sum, params.s2, c3.dx); //   dx [N, 28, 28, 6]
  const dC1Sum = scaledTanhBackward(acts.C1Sum, s2.dx); //                     [N, 28, 28, 6]
  const c1 = conv2dBackward(acts.input, params.c1.kernel, dC1Sum); //          dx [N, 32, 32, 1]
  return {
    c1: { kernel: c1.dKernel, bias: c1.dBias },
    s2: { coefficient: s2.dCoefficient, bias: s2.dBias },
    c3: { kernel: c3.dKernel, bias: c3.dBias },
    s4: { coefficient: s4.dCoefficient, bias: s4.dBias },
    c5: { kernel: c5.dKernel, bias: c5.dBias },
    f6: { weight: f6.dWeight, bias: f6.dBias },
  };
}

/** Options of {@link historicalBackward2}. */
export interface HistoricalBackward2Options extends RbfLossOptions {
  /**
   * The second derivative at F6's output the pass starts from: "eq9" (default), the exact one of
   * the RBF layer and the loss of eq. 9 (`rbfLossBackward2`); or a constant c for every unit —
   * the readings that take the curvature of y_D alone (c = 2 for y_D = ‖x − w_D‖², c = 1 for
   * EBLearn's ½‖x − w_D‖²).
   */
  outputCurvature?: "eq9" | number;
}

/** ∂²E/∂F6² per example [N, 84], by the reading `options.outputCurvature` names. */
function outputCurvature(
  params: HistoricalParams,
  acts: HistoricalActivations,
  options: HistoricalBackward2Options,
): Tensor {
  const reading = options.outputCurvature ?? "eq9";
  if (reading === "eq9") return rbfLossBackward2(acts.F6, params.prototypes, options);
  if (!(reading > 0))
    throw new RangeError(
      `historicalBackward2: outputCurvature must be "eq9" or > 0, got ${reading}`,
    );
  const constant = zeros(acts.F6.shape, acts.F6.data);
  constant.data.fill(reading);
  return constant;
}

/**
 * SDLM's Gauss–Newton backward pass: h_kk, the mean over the examples of ∂²E/∂w_k² under the
 * diagonal rules of the file header. The label does not enter.
 *
 * Input shape: the activations of N examples. Output shape: the parameters' layout (see
 * {@link HistoricalHessian}), every entry ≥ 0.
 * @example
 * ```ts
 * const h = scratch.historicalBackward2(params, scratch.historicalForward(params, x));
 * h.c3.kernel.shape; // [5, 5, 60]
 * ```
 */
export function historicalBackward2(
  params: HistoricalParams,
  acts: HistoricalActivations,
  options: HistoricalBackward2Options = {},
  variant: HistoricalVariant = {},
): HistoricalHessian {
  const n = acts.input.shape[0];
  const kind = subsamplingKind(variant);
  const table = variant.c3Table ?? TABLE_I;
  // h is linear in the output's second derivative: scaling it by 1/N makes every h a mean.
  const d2F6 = scaled(outputCurvature(params, acts, options), 1 / n); // [N, 84]
  const d2F6Sum = scaledTanhBackward2(acts.F6Sum, d2F6); //                    [N, 84]
  const f6 = denseBackward2(reshaped(acts.C5, [n, 120]), params.f6.weight, d2F6Sum); // d2x [N, 120]
  const d2C5Sum = scaledTanhBackward2(acts.C5Sum, reshaped(f6.d2x, [n, 1, 1, 120])); // [N, 1, 1, 120]
  const c5 = conv2dBackward2(acts.S4, params.c5.kernel, d2C5Sum); //           d2x [N, 5, 5, 16]
  const s4 = blocksBackward2(kind, acts.C3, acts.S4Sum, params.s4, c5.d2x); // d2x [N, 10, 10, 16]
  const d2C3Sum = scaledTanhBackward2(acts.C3Sum, s4.d2x); //                  [N, 10, 10, 16]
  const c3 = sparseConv2dBackward2(acts.S2, params.c3.kernel, d2C3Sum, table); // d2x [N, 14, 14, 6]
  const s2 = blocksBackward2(kind, acts.C1, acts.S2Sum, params.s2, c3.d2x); // d2x [N, 28, 28, 6]
  const d2C1Sum = scaledTanhBackward2(acts.C1Sum, s2.d2x); //                  [N, 28, 28, 6]
  const c1 = conv2dBackward2(acts.input, params.c1.kernel, d2C1Sum); //        d2x [N, 32, 32, 1]
  return {
    c1: { kernel: c1.hKernel, bias: c1.hBias },
    s2: { coefficient: s2.hCoefficient, bias: s2.hBias },
    c3: { kernel: c3.hKernel, bias: c3.hBias },
    s4: { coefficient: s4.hCoefficient, bias: s4.hBias },
    c5: { kernel: c5.hKernel, bias: c5.hBias },
    f6: { weight: f6.hWeight, bias: f6.hBias },
  };
}

/**
 * A record of zeros in {@link HistoricalParams}' layout, with the paper's prototypes: the shapes
 * of every weight in one place (for an ablation `variant`, its shapes: full C3 [5, 5, 96],
 * pooling S2/S4 [0]).
 *
 * Output shape: C1 kernel [5, 5, 1, 6] … F6 bias [84], prototypes [10, 84].
 * @example
 * ```ts
 * scratch.historicalZeros().c5.kernel.shape; // [5, 5, 16, 120]
 * ```
 */
export function historicalZeros(
  type: "float32" | "float64" = "float32",
  variant: HistoricalVariant = {},
): HistoricalParams {
  const maps = (count: number) => (subsamplingKind(variant) === "trainable" ? count : 0);
  const connections = tableConnections(variant.c3Table ?? TABLE_I).inMap.length;
  return {
    c1: { kernel: zeros([5, 5, 1, 6], type), bias: zeros([6], type) },
    s2: { coefficient: zeros([maps(6)], type), bias: zeros([maps(6)], type) },
    c3: { kernel: zeros([5, 5, connections], type), bias: zeros([16], type) },
    s4: { coefficient: zeros([maps(16)], type), bias: zeros([maps(16)], type) },
    c5: { kernel: zeros([5, 5, 16, 120], type), bias: zeros([120], type) },
    f6: { weight: zeros([120, 84], type), bias: zeros([84], type) },
    prototypes: tensor([10, 84], rbfPrototypes(), type),
  };
}
