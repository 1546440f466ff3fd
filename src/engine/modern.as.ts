// AssemblyScript: the modern net's whole training step, one example at a time — the fast twin of
// src/scratch/modern.ts, op for op in the same order (ops.as.ts holds the ops). Memory as in
// historical.as.ts: P the parameter record (modern.ts's order, 61,706 floats), G a gradient or
// h_kk in that layout, W one thread's workspace; examples [from, to) of X (N × 28 × 28).
import {
  addInto,
  at,
  conv1FilterGrad,
  conv1Forward,
  conv3FilterGrad,
  conv3Forward,
  conv3InputGrad,
  denseBackward,
  denseForward,
  maxPool2Channels,
  maxPool2ChannelsBackward,
  maxPool2Planar,
  maxPool2PlanarBackward,
  reluBackwardInPlace,
  reluInPlace,
  softmaxCrossEntropy,
  squareInto,
  zero,
} from "./ops.as";

// The parameter record (floats).
export const C1_KERNEL = 0; //         [5, 5, 1, 6]
export const C1_BIAS = 150; //         [6]
export const C3_KERNEL = 156; //       [5, 5, 6, 16]
export const C3_BIAS = 2556; //        [16]
export const C5_KERNEL = 2572; //      [5, 5, 16, 120] = [400, 120]
export const C5_BIAS = 50572; //       [120]
export const F6_WEIGHT = 50692; //     [120, 84]
export const F6_BIAS = 60772; //       [84]
export const OUTPUT_WEIGHT = 60856; // [84, 10]
export const OUTPUT_BIAS = 61696; //   [10]
export const PARAMS = 61706;

// One thread's workspace (floats). Activations after the ReLU (S2, S4 after the pooling).
const INPUT = 0; //     the example, zero-padded by 2: [32][32]
const C1 = 1024; //     [6][28][28]
const S2 = 5728; //     [6][14][14]
const C3 = 6904; //     [10][10][16]
const S4 = 8504; //     [5][5][16]
const C5 = 8904; //     [120]
const F6 = 9024; //     [84]
const OUT = 9108; //    [10] (+2)
const DC1 = 9120; //    gradients (or second derivatives) of the same, same layouts
const DS2 = 13824;
const DC3 = 15000;
const DS4 = 16600;
const DC5 = 17000;
const DF6 = 17120;
const DOUT = 17204; //  [10] (+2)
const SQUARES = 17216; // an activation squared, for the second-derivative pass [≤ 4704]
export const WORK = 21920;

/** Copies a 28×28 example into the middle of the zero-bordered 32×32 input (C1's padding 2). */
function padInput(w: usize, x: usize): void {
  for (let r = 0; r < 28; r++) memory.copy(at(w, INPUT + (r + 2) * 32 + 2), at(x, r * 28), 28 << 2);
}

/** The forward pass of one example (src/scratch/modern.ts's modernForward). */
function forward(p: usize, w: usize, x: usize): void {
  padInput(w, x);
  conv1Forward(at(w, INPUT), 32, at(p, C1_KERNEL), at(p, C1_BIAS), at(w, C1), 28, 28); // [6][28][28]
  reluInPlace(at(w, C1), 4704);
  maxPool2Planar(at(w, C1), at(w, S2), 6, 28, 28); // [6][14][14]
  conv3Forward(at(w, S2), at(p, C3_KERNEL), at(p, C3_BIAS), at(w, C3)); // [10][10][16]
  reluInPlace(at(w, C3), 1600);
  maxPool2Channels(at(w, C3), at(w, S4), 10, 10, 16); // [5][5][16]
  denseForward(at(w, S4), at(p, C5_KERNEL), at(p, C5_BIAS), at(w, C5), 400, 120); // [120]
  reluInPlace(at(w, C5), 120);
  denseForward(at(w, C5), at(p, F6_WEIGHT), at(p, F6_BIAS), at(w, F6), 120, 84); // [84]
  reluInPlace(at(w, F6), 84);
  denseForward(at(w, F6), at(p, OUTPUT_WEIGHT), at(p, OUTPUT_BIAS), at(w, OUT), 84, 10); // [10] logits
}

/** The backward pass of one example, after forward: dE/dw added into g; returns E. */
function backward(p: usize, g: usize, w: usize, label: i32): f64 {
  const loss = softmaxCrossEntropy(at(w, OUT), at(w, DOUT), 10, label, false, 1); // dOUT [10]
  denseBackward(at(w, F6), at(p, OUTPUT_WEIGHT), at(w, DOUT), at(w, DF6), at(g, OUTPUT_WEIGHT), at(g, OUTPUT_BIAS), 84, 10);
  reluBackwardInPlace(at(w, F6), at(w, DF6), 84);
  denseBackward(at(w, C5), at(p, F6_WEIGHT), at(w, DF6), at(w, DC5), at(g, F6_WEIGHT), at(g, F6_BIAS), 120, 84);
  reluBackwardInPlace(at(w, C5), at(w, DC5), 120);
  denseBackward(at(w, S4), at(p, C5_KERNEL), at(w, DC5), at(w, DS4), at(g, C5_KERNEL), at(g, C5_BIAS), 400, 120);
  maxPool2ChannelsBackward(at(w, C3), at(w, DS4), at(w, DC3), 10, 10, 16);
  reluBackwardInPlace(at(w, C3), at(w, DC3), 1600);
  conv3FilterGrad(at(w, S2), at(w, DC3), at(g, C3_KERNEL), at(g, C3_BIAS));
  conv3InputGrad(at(p, C3_KERNEL), at(w, DC3), at(w, DS2));
  maxPool2PlanarBackward(at(w, C1), at(w, DS2), at(w, DC1), 6, 28, 28);
  reluBackwardInPlace(at(w, C1), at(w, DC1), 4704);
  conv1FilterGrad(at(w, INPUT), 32, at(w, DC1), at(g, C1_KERNEL), at(g, C1_BIAS), 28, 28);
  return loss;
}

/** The Gauss–Newton pass of one example, after forward (modernBackward2), h_kk·factor into h. */
function backward2(p2: usize, h: usize, w: usize, factor: f64): void {
  softmaxCrossEntropy(at(w, OUT), at(w, DOUT), 10, 0, true, factor); // p(1 − p)·factor
  squareInto(at(w, SQUARES), at(w, F6), 84);
  denseBackward(at(w, SQUARES), at(p2, OUTPUT_WEIGHT), at(w, DOUT), at(w, DF6), at(h, OUTPUT_WEIGHT), at(h, OUTPUT_BIAS), 84, 10);
  reluBackwardInPlace(at(w, F6), at(w, DF6), 84);
  squareInto(at(w, SQUARES), at(w, C5), 120);
  denseBackward(at(w, SQUARES), at(p2, F6_WEIGHT), at(w, DF6), at(w, DC5), at(h, F6_WEIGHT), at(h, F6_BIAS), 120, 84);
  reluBackwardInPlace(at(w, C5), at(w, DC5), 120);
  squareInto(at(w, SQUARES), at(w, S4), 400);
  denseBackward(at(w, SQUARES), at(p2, C5_KERNEL), at(w, DC5), at(w, DS4), at(h, C5_KERNEL), at(h, C5_BIAS), 400, 120);
  maxPool2ChannelsBackward(at(w, C3), at(w, DS4), at(w, DC3), 10, 10, 16);
  reluBackwardInPlace(at(w, C3), at(w, DC3), 1600);
  squareInto(at(w, SQUARES), at(w, S2), 1176);
  conv3FilterGrad(at(w, SQUARES), at(w, DC3), at(h, C3_KERNEL), at(h, C3_BIAS));
  conv3InputGrad(at(p2, C3_KERNEL), at(w, DC3), at(w, DS2));
  maxPool2PlanarBackward(at(w, C1), at(w, DS2), at(w, DC1), 6, 28, 28);
  reluBackwardInPlace(at(w, C1), at(w, DC1), 4704);
  squareInto(at(w, SQUARES), at(w, INPUT), 1024);
  conv1FilterGrad(at(w, SQUARES), 32, at(w, DC1), at(h, C1_KERNEL), at(h, C1_BIAS), 28, 28);
}

/** Σ over examples [from, to) of dE/dw into g (zeroed first), the logits into out [N][10]; returns Σ E. */
export function modernGradients(p: usize, g: usize, w: usize, xs: usize, labels: usize, out: usize, from: i32, to: i32): f64 {
  zero(g, PARAMS);
  zero(at(w, INPUT), 1024);
  let loss: f64 = 0;
  for (let n = from; n < to; n++) {
    forward(p, w, at(xs, n * 784));
    memory.copy(at(out, n * 10), at(w, OUT), 10 << 2); // the logits, for the accuracy
    loss += backward(p, g, w, load<i32>(labels + (<usize>n << 2)));
  }
  return loss;
}

/** Σ over examples [from, to) of h_kk·factor into h (zeroed first); p2 = p² (modernSquareParams). */
export function modernHessian(p: usize, p2: usize, h: usize, w: usize, xs: usize, from: i32, to: i32, factor: f64): void {
  zero(h, PARAMS);
  zero(at(w, INPUT), 1024);
  for (let n = from; n < to; n++) {
    forward(p, w, at(xs, n * 784));
    backward2(p2, h, w, factor);
  }
}

/** p2 = p² element-wise. */
export function modernSquareParams(p: usize, p2: usize): void {
  squareInto(p2, p, PARAMS);
}

/** The ten logits of each example [from, to) into out [N][10]. */
export function modernPredict(p: usize, w: usize, xs: usize, out: usize, from: i32, to: i32): void {
  zero(at(w, INPUT), 1024);
  for (let n = from; n < to; n++) {
    forward(p, w, at(xs, n * 784));
    memory.copy(at(out, n * 10), at(w, OUT), 10 << 2);
  }
}

/** dst += src over the record (the two-thread step's gradient sum). */
export function modernAddGradients(dst: usize, src: usize): void {
  addInto(dst, src, PARAMS);
}
