/**
 * The modern twin of LeNet-5 written once, by hand, in plain TypeScript: LeNet-5's skeleton with
 * today's defaults — ReLU, 2×2 max pooling, a full C3, linear logits and softmax cross-entropy.
 * One parameter record, a forward pass that keeps every activation, the backward pass and the
 * Gauss–Newton backward pass, each a straight list of op calls with a shape per line, as in
 * ./historical.ts (whose header explains the second-derivative rules).
 *
 *   INPUT 28×28 → C1 6@28×28 (padding 2) → S2 6@14×14 → C3 16@10×10 → S4 16@5×5 → C5 120
 *   → F6 84 → OUTPUT 10 logits → softmax cross-entropy
 *
 * The tfjs model of src/models/modern.ts (without batch normalisation or dropout, which this
 * reference does not have) is its fast twin; `modernParams` and `assignModernParams` there move
 * weights between the two.
 *
 * Input shape: x [N, 28, 28, 1] (modern normalisation), labels of length N.
 * Output shape: OUTPUT [N, 10] logits; gradients and h_kk in the parameters' layout.
 * Departures from the paper: all of the above — this is the comparison net, not the paper's.
 */
import { conv2d, conv2dBackward, conv2dBackward2 } from "./conv2d";
import { dense, denseBackward, denseBackward2 } from "./dense";
import { maxPool, maxPoolBackward, maxPoolBackward2 } from "./max-pool";
import { relu, reluBackward, reluBackward2 } from "./relu";
import {
  softmaxCrossEntropy,
  softmaxCrossEntropyBackward,
  softmaxCrossEntropyBackward2,
} from "./softmax-cross-entropy";
import { Tensor, expectShape, reshaped, scaled, zeros } from "./tensor";

/** C1's zero padding: "same" for a 5×5 kernel, so C1 keeps the 28×28 size. */
const C1_PADDING = { padding: 2 };

/** Every weight of the modern net, in the tfjs model's layouts and order. */
export interface ModernParams {
  /** C1, convolution 1 → 6 maps, padding 2: kernel [5, 5, 1, 6], bias [6]. */
  readonly c1: { readonly kernel: Tensor; readonly bias: Tensor };
  /** C3, full convolution 6 → 16 maps: kernel [5, 5, 6, 16], bias [16]. */
  readonly c3: { readonly kernel: Tensor; readonly bias: Tensor };
  /** C5, convolution 16 → 120 maps: kernel [5, 5, 16, 120], bias [120]. */
  readonly c5: { readonly kernel: Tensor; readonly bias: Tensor };
  /** F6, full connection 120 → 84: weight [120, 84], bias [84]. */
  readonly f6: { readonly weight: Tensor; readonly bias: Tensor };
  /** OUTPUT, full connection 84 → 10 logits: weight [84, 10], bias [10]. */
  readonly output: { readonly weight: Tensor; readonly bias: Tensor };
}

/** One tensor per weight, in {@link ModernParams}' layout: dE/dw or h_kk. */
export type ModernGradients = ModernParams;

/**
 * What {@link modernForward} keeps: the input, every layer's weighted sums (`…Sum`, before the
 * ReLU) and outputs.
 */
export interface ModernActivations {
  /** The input [N, 28, 28, 1]. */
  readonly input: Tensor;
  /** C1's weighted sums [N, 28, 28, 6]. */
  readonly C1Sum: Tensor;
  /** C1's feature maps after the ReLU [N, 28, 28, 6]. */
  readonly C1: Tensor;
  /** S2's max-pooled maps [N, 14, 14, 6]. */
  readonly S2: Tensor;
  /** C3's weighted sums [N, 10, 10, 16]. */
  readonly C3Sum: Tensor;
  /** C3's feature maps after the ReLU [N, 10, 10, 16]. */
  readonly C3: Tensor;
  /** S4's max-pooled maps [N, 5, 5, 16]. */
  readonly S4: Tensor;
  /** C5's weighted sums [N, 1, 1, 120]. */
  readonly C5Sum: Tensor;
  /** C5's units after the ReLU [N, 1, 1, 120]. */
  readonly C5: Tensor;
  /** F6's weighted sums [N, 84]. */
  readonly F6Sum: Tensor;
  /** F6's units after the ReLU [N, 84]. */
  readonly F6: Tensor;
  /** The logits [N, 10]; the prediction is the argmax. */
  readonly OUTPUT: Tensor;
}

/**
 * The forward pass, keeping every activation.
 *
 * Input shape: x [N, 28, 28, 1]. Output shape: see {@link ModernActivations} (C1 [N, 28, 28, 6]
 * … OUTPUT [N, 10]).
 * @example
 * ```ts
 * const params = modernParams(createModern({ seed: 1 }));
 * scratch.modernForward(params, scratch.zeros([1, 28, 28, 1])).OUTPUT.shape; // [1, 10]
 * ```
 */
export function modernForward(params: ModernParams, x: Tensor): ModernActivations {
  expectShape("modernForward input", x, [null, 28, 28, 1]);
  const n = x.shape[0];
  const C1Sum = conv2d(x, params.c1.kernel, params.c1.bias, C1_PADDING); //  [N, 28, 28, 6]
  const C1 = relu(C1Sum); //                                                 [N, 28, 28, 6]
  const S2 = maxPool(C1); //                                                 [N, 14, 14, 6]
  const C3Sum = conv2d(S2, params.c3.kernel, params.c3.bias); //             [N, 10, 10, 16]
  const C3 = relu(C3Sum); //                                                 [N, 10, 10, 16]
  const S4 = maxPool(C3); //                                                 [N, 5, 5, 16]
  const C5Sum = conv2d(S4, params.c5.kernel, params.c5.bias); //             [N, 1, 1, 120]
  const C5 = relu(C5Sum); //                                                 [N, 1, 1, 120]
  const F6Sum = dense(reshaped(C5, [n, 120]), params.f6.weight, params.f6.bias); // [N, 84]
  const F6 = relu(F6Sum); //                                                 [N, 84]
  const OUTPUT = dense(F6, params.output.weight, params.output.bias); //     [N, 10]
  return { input: x, C1Sum, C1, S2, C3Sum, C3, S4, C5Sum, C5, F6Sum, F6, OUTPUT };
}

/**
 * Softmax cross-entropy on a forward pass, averaged over the batch.
 *
 * Input shape: the activations of N examples, labels of length N. Output shape: a number.
 * @example
 * ```ts
 * scratch.modernLoss(scratch.modernForward(params, x), [7]); // ≈ log 10 for small logits
 * ```
 */
export function modernLoss(acts: ModernActivations, labels: ArrayLike<number>): number {
  return softmaxCrossEntropy(acts.OUTPUT, labels);
}

/**
 * The backward pass: dE/dw of the batch-averaged softmax cross-entropy for every weight.
 *
 * Input shape: the activations of N examples, labels of length N. Output shape: the parameters'
 * layout (see {@link ModernGradients}).
 * @example
 * ```ts
 * const grads = scratch.modernBackward(params, scratch.modernForward(params, x), [7]);
 * grads.c3.kernel.shape; // [5, 5, 6, 16]
 * ```
 */
export function modernBackward(
  params: ModernParams,
  acts: ModernActivations,
  labels: ArrayLike<number>,
): ModernGradients {
  const n = acts.input.shape[0];
  const dOUTPUT = softmaxCrossEntropyBackward(acts.OUTPUT, labels); //        [N, 10]
  const out = denseBackward(acts.F6, params.output.weight, dOUTPUT); //       dx [N, 84]
  const dF6Sum = reluBackward(acts.F6Sum, out.dx); //                         [N, 84]
  const f6 = denseBackward(reshaped(acts.C5, [n, 120]), params.f6.weight, dF6Sum); // dx [N, 120]
  const dC5Sum = reluBackward(acts.C5Sum, reshaped(f6.dx, [n, 1, 1, 120])); // [N, 1, 1, 120]
  const c5 = conv2dBackward(acts.S4, params.c5.kernel, dC5Sum); //            dx [N, 5, 5, 16]
  const dC3 = maxPoolBackward(acts.C3, c5.dx); //                             [N, 10, 10, 16]
  const dC3Sum = reluBackward(acts.C3Sum, dC3); //                            [N, 10, 10, 16]
  const c3 = conv2dBackward(acts.S2, params.c3.kernel, dC3Sum); //            dx [N, 14, 14, 6]
  const dC1 = maxPoolBackward(acts.C1, c3.dx); //                             [N, 28, 28, 6]
  const dC1Sum = reluBackward(acts.C1Sum, dC1); //                            [N, 28, 28, 6]
  const c1 = conv2dBackward(acts.input, params.c1.kernel, dC1Sum, C1_PADDING); // dx [N, 28, 28, 1]
  return {
    c1: { kernel: c1.dKernel, bias: c1.dBias },
    c3: { kernel: c3.dKernel, bias: c3.dBias },
    c5: { kernel: c5.dKernel, bias: c5.dBias },
    f6: { weight: f6.dWeight, bias: f6.dBias },
    output: { weight: out.dWeight, bias: out.dBias },
  };
}

/**
 * The Gauss–Newton backward pass: h_kk, the mean over the examples of the diagonal GN second
 * derivative of the loss (p_i(1 − p_i) at the logits). The label does not enter.
 *
 * Input shape: the activations of N examples. Output shape: the parameters' layout, every entry
 * ≥ 0.
 * @example
 * ```ts
 * scratch.modernBackward2(params, scratch.modernForward(params, x)).output.weight.shape; // [84, 10]
 * ```
 */
export function modernBackward2(params: ModernParams, acts: ModernActivations): ModernGradients {
  const n = acts.input.shape[0];
  // h is linear in the output's second derivative: scaling it by 1/N makes every h a mean.
  const d2OUTPUT = scaled(softmaxCrossEntropyBackward2(acts.OUTPUT), 1 / n); // [N, 10]
  const out = denseBackward2(acts.F6, params.output.weight, d2OUTPUT); //     d2x [N, 84]
  const d2F6Sum = reluBackward2(acts.F6Sum, out.d2x); //                      [N, 84]
  const f6 = denseBackward2(reshaped(acts.C5, [n, 120]), params.f6.weight, d2F6Sum); // d2x [N, 120]
  const d2C5Sum = reluBackward2(acts.C5Sum, reshaped(f6.d2x, [n, 1, 1, 120])); // [N, 1, 1, 120]
  const c5 = conv2dBackward2(acts.S4, params.c5.kernel, d2C5Sum); //          d2x [N, 5, 5, 16]
  const d2C3 = maxPoolBackward2(acts.C3, c5.d2x); //                          [N, 10, 10, 16]
  const d2C3Sum = reluBackward2(acts.C3Sum, d2C3); //                         [N, 10, 10, 16]
  const c3 = conv2dBackward2(acts.S2, params.c3.kernel, d2C3Sum); //          d2x [N, 14, 14, 6]
  const d2C1 = maxPoolBackward2(acts.C1, c3.d2x); //                          [N, 28, 28, 6]
  const d2C1Sum = reluBackward2(acts.C1Sum, d2C1); //                         [N, 28, 28, 6]
  const c1 = conv2dBackward2(acts.input, params.c1.kernel, d2C1Sum, C1_PADDING); // d2x [N, 28, 28, 1]
  return {
    c1: { kernel: c1.hKernel, bias: c1.hBias },
    c3: { kernel: c3.hKernel, bias: c3.hBias },
    c5: { kernel: c5.hKernel, bias: c5.hBias },
    f6: { weight: f6.hWeight, bias: f6.hBias },
    output: { weight: out.hWeight, bias: out.hBias },
  };
}

/**
 * A record of zeros in {@link ModernParams}' layout: the shapes of every weight in one place.
 *
 * Output shape: C1 kernel [5, 5, 1, 6] … OUTPUT bias [10].
 * @example
 * ```ts
 * scratch.modernZeros().output.weight.shape; // [84, 10]
 * ```
 */
export function modernZeros(type: "float32" | "float64" = "float32"): ModernParams {
  return {
    c1: { kernel: zeros([5, 5, 1, 6], type), bias: zeros([6], type) },
    c3: { kernel: zeros([5, 5, 6, 16], type), bias: zeros([16], type) },
    c5: { kernel: zeros([5, 5, 16, 120], type), bias: zeros([120], type) },
    f6: { weight: zeros([120, 84], type), bias: zeros([84], type) },
    output: { weight: zeros([84, 10], type), bias: zeros([10], type) },
  };
}
