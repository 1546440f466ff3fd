// AssemblyScript: the faithful LeNet-5's whole training step, one example at a time — the fast
// twin of src/scratch/historical.ts, op for op in the same order (ops.as.ts holds the ops).
//
// Memory (float32 offsets; src/engine/layout.ts mirrors them and a test checks both agree):
//   P  the parameter record, src/scratch/historical.ts's order: c1.kernel … f6.bias (60,000)
//   G  a gradient or h_kk in the same layout
//   W  one thread's workspace: activations, their gradients, C3's full kernels, scratch
// Each batch function works on examples [from, to) of X (N × 32 × 32 inputs) and labels (i32).
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
  expandTableKernel,
  gatherTableGrad,
  rbfLoss,
  rbfLossBackward2,
  scaledTanhBackwardInPlace,
  scaledTanhInPlace,
  squareInto,
  subsamplingBackward,
  subsamplingForward,
  zero,
} from "./ops.as";

// The parameter record (floats).
export const C1_KERNEL = 0; //     [5, 5, 1, 6]
export const C1_BIAS = 150; //     [6]
export const S2_COEF = 156; //     [6]
export const S2_BIAS = 162; //     [6]
export const C3_KERNEL = 168; //   [5, 5, 60], Table I's connections
export const C3_BIAS = 1668; //    [16]
export const S4_COEF = 1684; //    [16]
export const S4_BIAS = 1700; //    [16]
export const C5_KERNEL = 1716; //  [5, 5, 16, 120] = [400, 120]
export const C5_BIAS = 49716; //   [120]
export const F6_WEIGHT = 49836; // [120, 84]
export const F6_BIAS = 59916; //   [84]
export const PARAMS = 60000;

// One thread's workspace (floats). Activations after the squashing; C1 and S2 planar.
const C1 = 0; //        [6][28][28]
const S2 = 4704; //     [6][14][14]
const C3 = 5880; //     [10][10][16]
const S4 = 7480; //     [5][5][16]
const C5 = 7880; //     [120]
const F6 = 8000; //     [84]
const OUT = 8084; //    [10] (+2)
const DC1 = 8096; //    gradients (or second derivatives) of the same, same layouts
const DS2 = 12800;
const DC3 = 13976;
const DS4 = 15576;
const DC5 = 15976;
const DF6 = 16096; //   [84]
const K3 = 16180; //    C3's kernel expanded to [5, 5, 6, 16]
const K3_SQUARED = 18580; // the same, squared (second derivatives)
const DK3 = 20980; //   its gradient, accumulated over the examples
const SQUARES = 23380; // an activation squared, for the second-derivative pass [≤ 4704]
export const MAPS = 28084; // Table I as i32: input map [60], output map [60] (written by the host)
export const WORK = 28204;
const CONNECTIONS = 60;

/** The forward pass of one example x [32][32] (src/scratch/historical.ts's historicalForward). */
function forward(p: usize, w: usize, x: usize, a: f32, s: f32): void {
  conv1Forward(x, 32, at(p, C1_KERNEL), at(p, C1_BIAS), at(w, C1), 28, 28); // [6][28][28]
  scaledTanhInPlace(at(w, C1), 4704, a, s);
  subsamplingForward(at(w, C1), at(p, S2_COEF), at(p, S2_BIAS), at(w, S2), 6, 14, 14, 784, 28, 1, 196, 14, 1); // [6][14][14]
  scaledTanhInPlace(at(w, S2), 1176, a, s);
  conv3Forward(at(w, S2), at(w, K3), at(p, C3_BIAS), at(w, C3)); // [10][10][16]
  scaledTanhInPlace(at(w, C3), 1600, a, s);
  subsamplingForward(at(w, C3), at(p, S4_COEF), at(p, S4_BIAS), at(w, S4), 16, 5, 5, 1, 160, 16, 1, 80, 16); // [5][5][16]
  scaledTanhInPlace(at(w, S4), 400, a, s);
  denseForward(at(w, S4), at(p, C5_KERNEL), at(p, C5_BIAS), at(w, C5), 400, 120); // [120]
  scaledTanhInPlace(at(w, C5), 120, a, s);
  denseForward(at(w, C5), at(p, F6_WEIGHT), at(p, F6_BIAS), at(w, F6), 120, 84); // [84]
  scaledTanhInPlace(at(w, F6), 84, a, s);
}

/** The backward pass of one example, after forward: dE/dw added into g; returns E. */
function backward(p: usize, prototypes: usize, g: usize, w: usize, x: usize, label: i32, a: f32, s: f32, j: f64): f64 {
  const loss = rbfLoss(at(w, F6), prototypes, at(w, OUT), at(w, DF6), 10, 84, label, j); // dF6 [84]
  scaledTanhBackwardInPlace(at(w, F6), at(w, DF6), 84, a, s, false);
  denseBackward(at(w, C5), at(p, F6_WEIGHT), at(w, DF6), at(w, DC5), at(g, F6_WEIGHT), at(g, F6_BIAS), 120, 84); // dC5 [120]
  scaledTanhBackwardInPlace(at(w, C5), at(w, DC5), 120, a, s, false);
  denseBackward(at(w, S4), at(p, C5_KERNEL), at(w, DC5), at(w, DS4), at(g, C5_KERNEL), at(g, C5_BIAS), 400, 120); // dS4 [400]
  scaledTanhBackwardInPlace(at(w, S4), at(w, DS4), 400, a, s, false);
  subsamplingBackward(at(w, C3), at(p, S4_COEF), at(w, DS4), at(w, DC3), at(g, S4_COEF), at(g, S4_BIAS), 16, 5, 5, 1, 160, 16, 1, 80, 16); // dC3
  scaledTanhBackwardInPlace(at(w, C3), at(w, DC3), 1600, a, s, false);
  conv3FilterGrad(at(w, S2), at(w, DC3), at(w, DK3), at(g, C3_BIAS));
  conv3InputGrad(at(w, K3), at(w, DC3), at(w, DS2)); // dS2 [6][14][14]
  scaledTanhBackwardInPlace(at(w, S2), at(w, DS2), 1176, a, s, false);
  subsamplingBackward(at(w, C1), at(p, S2_COEF), at(w, DS2), at(w, DC1), at(g, S2_COEF), at(g, S2_BIAS), 6, 14, 14, 784, 28, 1, 196, 14, 1); // dC1
  scaledTanhBackwardInPlace(at(w, C1), at(w, DC1), 4704, a, s, false);
  conv1FilterGrad(x, 32, at(w, DC1), at(g, C1_KERNEL), at(g, C1_BIAS), 28, 28);
  return loss;
}

/**
 * SDLM's Gauss–Newton pass of one example, after forward (historicalBackward2): every op's
 * backward on squared activations and squared weights p2, h_kk·factor added into h.
 */
function backward2(p2: usize, prototypes: usize, h: usize, w: usize, x: usize, a: f32, s: f32, j: f64, factor: f64, constant: f64): void {
  if (constant > 0) {
    // A reading that takes the curvature of y_D alone: ∂²/∂x_d² = 2 for y_D, 1 for ½·y_D.
    for (let d = 0; d < 84; d++) store<f32>(at(w, DF6 + d), <f32>(constant * factor));
  } else {
    rbfLoss(at(w, F6), prototypes, at(w, OUT), 0, 10, 84, 0, j); // the distances only
    rbfLossBackward2(at(w, F6), prototypes, at(w, OUT), at(w, DF6), 10, 84, j, factor); // d2F6 [84]
  }
  scaledTanhBackwardInPlace(at(w, F6), at(w, DF6), 84, a, s, true);
  squareInto(at(w, SQUARES), at(w, C5), 120);
  denseBackward(at(w, SQUARES), at(p2, F6_WEIGHT), at(w, DF6), at(w, DC5), at(h, F6_WEIGHT), at(h, F6_BIAS), 120, 84);
  scaledTanhBackwardInPlace(at(w, C5), at(w, DC5), 120, a, s, true);
  squareInto(at(w, SQUARES), at(w, S4), 400);
  denseBackward(at(w, SQUARES), at(p2, C5_KERNEL), at(w, DC5), at(w, DS4), at(h, C5_KERNEL), at(h, C5_BIAS), 400, 120);
  scaledTanhBackwardInPlace(at(w, S4), at(w, DS4), 400, a, s, true);
  squareInto(at(w, SQUARES), at(w, C3), 1600);
  subsamplingBackward(at(w, SQUARES), at(p2, S4_COEF), at(w, DS4), at(w, DC3), at(h, S4_COEF), at(h, S4_BIAS), 16, 5, 5, 1, 160, 16, 1, 80, 16);
  scaledTanhBackwardInPlace(at(w, C3), at(w, DC3), 1600, a, s, true);
  squareInto(at(w, SQUARES), at(w, S2), 1176);
  conv3FilterGrad(at(w, SQUARES), at(w, DC3), at(w, DK3), at(h, C3_BIAS));
  conv3InputGrad(at(w, K3_SQUARED), at(w, DC3), at(w, DS2));
  scaledTanhBackwardInPlace(at(w, S2), at(w, DS2), 1176, a, s, true);
  squareInto(at(w, SQUARES), at(w, C1), 4704);
  subsamplingBackward(at(w, SQUARES), at(p2, S2_COEF), at(w, DS2), at(w, DC1), at(h, S2_COEF), at(h, S2_BIAS), 6, 14, 14, 784, 28, 1, 196, 14, 1);
  scaledTanhBackwardInPlace(at(w, C1), at(w, DC1), 4704, a, s, true);
  squareInto(at(w, SQUARES), x, 1024);
  conv1FilterGrad(at(w, SQUARES), 32, at(w, DC1), at(h, C1_KERNEL), at(h, C1_BIAS), 28, 28);
}

/**
 * Σ over examples [from, to) of dE/dw, written to g (zeroed first), and each example's ten
 * distances into out [N][10]; returns Σ E. The step's mean gradient is g/N; the optimiser
 * applies the 1/N.
 */
export function historicalGradients(p: usize, prototypes: usize, g: usize, w: usize, xs: usize, labels: usize, out: usize, from: i32, to: i32, a: f32, s: f32, j: f64): f64 {
  zero(g, PARAMS);
  zero(at(w, DK3), 2400);
  expandTableKernel(at(p, C3_KERNEL), at(w, K3), at(w, MAPS), at(w, MAPS + CONNECTIONS), CONNECTIONS);
  let loss: f64 = 0;
  for (let n = from; n < to; n++) {
    const x = at(xs, n * 1024);
    forward(p, w, x, a, s);
    loss += backward(p, prototypes, g, w, x, load<i32>(labels + (<usize>n << 2)), a, s, j);
    memory.copy(at(out, n * 10), at(w, OUT), 10 << 2); // the distances, for the accuracy
  }
  gatherTableGrad(at(w, DK3), at(g, C3_KERNEL), at(w, MAPS), at(w, MAPS + CONNECTIONS), CONNECTIONS);
  return loss;
}

/**
 * Σ over examples [from, to) of h_kk·factor (factor 1/N for the mean), written to h (zeroed
 * first). p2 holds the squared parameters (historicalSquareParams). `constant` 0 takes the exact
 * curvature of the RBF layer and eq. 9 at F6's output; a positive value that constant instead.
 */
export function historicalHessian(p: usize, p2: usize, prototypes: usize, h: usize, w: usize, xs: usize, from: i32, to: i32, a: f32, s: f32, j: f64, factor: f64, constant: f64): void {
  zero(h, PARAMS);
  zero(at(w, DK3), 2400);
  expandTableKernel(at(p, C3_KERNEL), at(w, K3), at(w, MAPS), at(w, MAPS + CONNECTIONS), CONNECTIONS);
  expandTableKernel(at(p2, C3_KERNEL), at(w, K3_SQUARED), at(w, MAPS), at(w, MAPS + CONNECTIONS), CONNECTIONS);
  for (let n = from; n < to; n++) {
    const x = at(xs, n * 1024);
    forward(p, w, x, a, s);
    backward2(p2, prototypes, h, w, x, a, s, j, factor, constant);
  }
  gatherTableGrad(at(w, DK3), at(h, C3_KERNEL), at(w, MAPS), at(w, MAPS + CONNECTIONS), CONNECTIONS);
}

/** p2 = p² element-wise: the squared weights of the second-derivative pass. */
export function historicalSquareParams(p: usize, p2: usize): void {
  squareInto(p2, p, PARAMS);
}

/** The ten RBF distances of each example [from, to) into out [N][10]. */
export function historicalPredict(p: usize, prototypes: usize, w: usize, xs: usize, out: usize, from: i32, to: i32, a: f32, s: f32): void {
  expandTableKernel(at(p, C3_KERNEL), at(w, K3), at(w, MAPS), at(w, MAPS + CONNECTIONS), CONNECTIONS);
  for (let n = from; n < to; n++) {
    forward(p, w, at(xs, n * 1024), a, s);
    rbfLoss(at(w, F6), prototypes, at(out, n * 10), 0, 10, 84, 0, 0.1);
  }
}

/** Σ of two gradient buffers, for the two-thread step: dst += src over the record. */
export function historicalAddGradients(dst: usize, src: usize): void {
  addInto(dst, src, PARAMS);
}
