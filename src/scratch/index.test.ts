// The barrel, exercised the way a learner would: LeNet-5 (Section II-B) assembled from the
// scratch ops, checked for the paper's parameter count and for end-to-end gradients.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PAPER_LAYER_COUNTS, rbfPrototypes } from "../paper";
import { Rng } from "../rng";
import {
  Tensor,
  assertGradient,
  conv2d,
  conv2dBackward,
  dense,
  denseBackward,
  randomTensor,
  rbf,
  rbfBackward,
  rbfLoss,
  rbfLossBackward,
  rbfPredict,
  scaledTanh,
  scaledTanhBackward,
  sparseConv2d,
  sparseConv2dBackward,
  sparseConv2dParamCount,
  subsampling,
  subsamplingBackward,
  tensor,
} from "./index";

interface LeNet5Params {
  c1Kernel: Tensor; // [5, 5, 1, 6]
  c1Bias: Tensor; // [6]
  s2Coefficient: Tensor; // [6]
  s2Bias: Tensor; // [6]
  c3Kernel: Tensor; // [5, 5, 60]
  c3Bias: Tensor; // [16]
  s4Coefficient: Tensor; // [16]
  s4Bias: Tensor; // [16]
  c5Kernel: Tensor; // [5, 5, 16, 120]
  c5Bias: Tensor; // [120]
  f6Weight: Tensor; // [120, 84]
  f6Bias: Tensor; // [84]
}

/** Uniform ±2.4/F_i initialisation (Appendix A), Float64 for gradient checks. */
function initParams(rng: Rng): LeNet5Params {
  const init = (shape: number[], fanIn: number) =>
    randomTensor(rng, shape, { low: -2.4 / fanIn, high: 2.4 / fanIn });
  return {
    c1Kernel: init([5, 5, 1, 6], 25),
    c1Bias: init([6], 25),
    s2Coefficient: init([6], 4),
    s2Bias: init([6], 4),
    c3Kernel: init([5, 5, 60], 100),
    c3Bias: init([16], 100),
    s4Coefficient: init([16], 4),
    s4Bias: init([16], 4),
    c5Kernel: init([5, 5, 16, 120], 400),
    c5Bias: init([120], 400),
    f6Weight: init([120, 84], 120),
    f6Bias: init([84], 120),
  };
}

const flatten = (t: Tensor): Tensor => ({
  shape: [t.shape[0], t.data.length / t.shape[0]],
  data: t.data,
});

function forward(x: Tensor, p: LeNet5Params, prototypes: Tensor) {
  const c1 = conv2d(x, p.c1Kernel, p.c1Bias); // [N, 28, 28, 6]
  const a1 = scaledTanh(c1);
  const s2 = subsampling(a1, p.s2Coefficient, p.s2Bias); // [N, 14, 14, 6]
  const a2 = scaledTanh(s2);
  const c3 = sparseConv2d(a2, p.c3Kernel, p.c3Bias); // [N, 10, 10, 16]
  const a3 = scaledTanh(c3);
  const s4 = subsampling(a3, p.s4Coefficient, p.s4Bias); // [N, 5, 5, 16]
  const a4 = scaledTanh(s4);
  const c5 = flatten(conv2d(a4, p.c5Kernel, p.c5Bias)); // [N, 120]
  const a5 = scaledTanh(c5);
  const f6 = dense(a5, p.f6Weight, p.f6Bias); // [N, 84]
  const a6 = scaledTanh(f6);
  const y = rbf(a6, prototypes); // [N, 10]
  return { c1, a1, s2, a2, c3, a3, s4, a4, c5, a5, f6, a6, y };
}

function backward(x: Tensor, p: LeNet5Params, prototypes: Tensor, labels: number[]) {
  const f = forward(x, p, prototypes);
  const dy = rbfLossBackward(f.y, labels);
  const da6 = rbfBackward(f.a6, prototypes, dy).dx;
  const f6 = denseBackward(f.a5, p.f6Weight, scaledTanhBackward(f.f6, da6));
  const dc5 = scaledTanhBackward(f.c5, f6.dx);
  const c5 = conv2dBackward(f.a4, p.c5Kernel, { shape: [x.shape[0], 1, 1, 120], data: dc5.data });
  const s4 = subsamplingBackward(f.a3, p.s4Coefficient, scaledTanhBackward(f.s4, c5.dx));
  const c3 = sparseConv2dBackward(f.a2, p.c3Kernel, scaledTanhBackward(f.c3, s4.dx));
  const s2 = subsamplingBackward(f.a1, p.s2Coefficient, scaledTanhBackward(f.s2, c3.dx));
  const c1 = conv2dBackward(x, p.c1Kernel, scaledTanhBackward(f.c1, s2.dx));
  return { c1, s2, c3, s4, c5, f6 };
}

test("LeNet-5 from scratch ops: [N, 32, 32, 1] → [N, 10] distances, 60,000 parameters", () => {
  const rng = new Rng(100);
  const p = initParams(rng);
  const prototypes = tensor([10, 84], rbfPrototypes(), "float64");
  const x = randomTensor(rng, [2, 32, 32, 1], { low: -0.1, high: 1.175 });
  const out = forward(x, p, prototypes);
  assert.deepEqual(out.c1.shape, [2, 28, 28, 6]);
  assert.deepEqual(out.s2.shape, [2, 14, 14, 6]);
  assert.deepEqual(out.c3.shape, [2, 10, 10, 16]);
  assert.deepEqual(out.s4.shape, [2, 5, 5, 16]);
  assert.deepEqual(out.f6.shape, [2, 84]);
  assert.deepEqual(out.y.shape, [2, 10]);
  assert.equal(rbfPredict(out.y).length, 2);

  const count = (t: Tensor) => t.data.length;
  const params = [
    count(p.c1Kernel) + count(p.c1Bias),
    count(p.s2Coefficient) + count(p.s2Bias),
    count(p.c3Kernel) + count(p.c3Bias),
    count(p.s4Coefficient) + count(p.s4Bias),
    count(p.c5Kernel) + count(p.c5Bias),
    count(p.f6Weight) + count(p.f6Bias),
  ];
  assert.deepEqual(
    params,
    PAPER_LAYER_COUNTS.filter((l) => l.name !== "OUTPUT").map((l) => l.params),
  );
  assert.equal(params[2], sparseConv2dParamCount(5));
  assert.equal(
    params.reduce((a, b) => a + b, 0),
    60_000,
  );
});

test("end-to-end gradient check of the chained backward passes (Float64)", () => {
  const rng = new Rng(101);
  const p = initParams(rng);
  const prototypes = tensor([10, 84], rbfPrototypes(), "float64");
  const x = randomTensor(rng, [2, 32, 32, 1], { low: -0.1, high: 1.175 });
  const labels = [4, 7];
  const loss = () => rbfLoss(forward(x, p, prototypes).y, labels);
  const g = backward(x, p, prototypes, labels);
  // Small parameters checked element by element; each costs two forward passes. The loss is
  // ~100 while these gradients are ~1e-2, so f's rounding (1e-16 · 100 / eps) needs eps = 1e-5.
  const opts = { eps: 1e-5 };
  assertGradient(loss, p.c1Bias, g.c1.dBias, { ...opts, label: "C1 bias" });
  assertGradient(loss, p.s2Coefficient, g.s2.dCoefficient, { ...opts, label: "S2 coefficient" });
  assertGradient(loss, p.s2Bias, g.s2.dBias, { ...opts, label: "S2 bias" });
  assertGradient(loss, p.c3Bias, g.c3.dBias, { ...opts, label: "C3 bias" });
  assertGradient(loss, p.s4Coefficient, g.s4.dCoefficient, { ...opts, label: "S4 coefficient" });
  assertGradient(loss, p.c5Bias, g.c5.dBias, { ...opts, label: "C5 bias" });
  assertGradient(loss, p.f6Bias, g.f6.dBias, { ...opts, label: "F6 bias" });
  assertGradient(loss, p.c1Kernel, g.c1.dKernel, { ...opts, label: "C1 kernel" });
});
