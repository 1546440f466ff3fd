import { test } from "node:test";
import assert from "node:assert/strict";
import { createHistorical, historicalParams } from "../models/historical";
import { Rng } from "../rng";
import { conv2dBackward } from "../scratch/conv2d";
import { denseBackward, dense } from "../scratch/dense";
import { randomTensor } from "../scratch/gradcheck";
import { rbf } from "../scratch/rbf";
import { rbfLoss } from "../scratch/rbf-loss";
import { scaledTanh } from "../scratch/scaled-tanh";
import { softmaxCrossEntropy } from "../scratch/softmax-cross-entropy";
import { sparseConv2dBackward } from "../scratch/sparse-conv2d";
import { subsamplingBackward } from "../scratch/subsampling";
import { Tensor, tensor, zeros } from "../scratch/tensor";
import { assertClose } from "../test-support/assert-close";
import {
  conv2dBackward2,
  denseBackward2,
  historicalHessianScratch,
  rbfLossBackward2,
  scaledTanhBackward2,
  softmaxCrossEntropyBackward2,
  sparseConv2dBackward2,
  subsamplingBackward2,
} from "./hessian-scratch";

const square = (t: Tensor): Tensor => ({ shape: t.shape, data: t.data.map((v) => v * v) });
const f64 = (t: Tensor): Tensor => ({ shape: t.shape, data: Float64Array.from(t.data) });
/** Central second difference of a function of one number. */
function secondDerivative(f: (v: number) => number, at: number, eps = 1e-4): number {
  return (f(at + eps) - 2 * f(at) + f(at - eps)) / (eps * eps);
}

test("doc examples: the Backward2 of each op, worked by hand", () => {
  const x = tensor([1, 2, 2, 1], [1, 2, 3, 4]);
  const conv = conv2dBackward2(x, tensor([1, 1, 1, 1], [3]), tensor([1, 2, 2, 1], [1, 1, 1, 1]));
  // d2x = 3²·1 each; hKernel = Σ x² = 1 + 4 + 9 + 16 = 30; hBias = four outputs · 1.
  assert.deepEqual(
    [...conv.d2x.data, ...conv.hKernel.data, ...conv.hBias.data],
    [9, 9, 9, 9, 30, 4],
  );

  const sub = subsamplingBackward2(x, tensor([1], [0.5]), tensor([1, 1, 1, 1], [2]));
  // d2x = 0.5²·2 = 0.5 each; hCoefficient = (1 + 4 + 9 + 16)·2 = 60; hBias = 2.
  assert.deepEqual(
    [...sub.d2x.data, ...sub.hCoefficient.data, ...sub.hBias.data],
    [0.5, 0.5, 0.5, 0.5, 60, 2],
  );

  const fc = denseBackward2(tensor([1, 2], [1, 2]), tensor([2, 1], [3, 4]), tensor([1, 1], [2]));
  // d2x = [3²·2, 4²·2] = [18, 32]; hWeight = [1²·2, 2²·2] = [2, 8]; hBias = 2.
  assert.deepEqual([...fc.d2x.data, ...fc.hWeight.data, ...fc.hBias.data], [18, 32, 2, 8, 2]);

  const d2a = scaledTanhBackward2(tensor([1], [0]), tensor([1], [1])); // f'(0)² = (1.7159·2/3)²
  assertClose(d2a.data, [((1.7159 * 2) / 3) ** 2], { rtol: 1e-6 }); // ≈ 1.3086

  // x on a prototype, far from the other: only the 2·p_rubbish term is left.
  const d2x = rbfLossBackward2(tensor([1, 1], [0]), tensor([2, 1], [0, 100]), { j: 1 });
  assertClose(d2x.data, [(2 * Math.exp(-1)) / (1 + Math.exp(-1))], { rtol: 1e-6 }); // ≈ 0.5379

  assert.deepEqual(
    Array.from(softmaxCrossEntropyBackward2(tensor([1, 2], [0, 0])).data),
    [0.25, 0.25],
  );

  const { hKernel } = sparseConv2dBackward2(
    zeros([1, 14, 14, 6]),
    zeros([5, 5, 60]),
    zeros([1, 10, 10, 16]),
  );
  assert.deepEqual(hKernel.shape, [5, 5, 60]);
});

test("each Backward2 is the ordinary backward of the same op with squared factors", () => {
  const rng = new Rng(7);
  // conv2d with padding: h_k = dKernel(x², k), d2x = dx(x, k²).
  const x = randomTensor(rng, [2, 5, 5, 3]);
  const k = randomTensor(rng, [3, 3, 3, 4]);
  const d2y = randomTensor(rng, [2, 5, 5, 4], { low: 0, high: 1 });
  const conv = conv2dBackward2(x, k, d2y, { padding: 1 });
  assertClose(conv.hKernel.data, conv2dBackward(square(x), k, d2y, { padding: 1 }).dKernel.data);
  assertClose(conv.d2x.data, conv2dBackward(x, square(k), d2y, { padding: 1 }).dx.data);
  assertClose(conv.hBias.data, conv2dBackward(x, k, d2y, { padding: 1 }).dBias.data);
  // sparse C3 (Table I)
  const s = randomTensor(rng, [1, 14, 14, 6]);
  const sk = randomTensor(rng, [5, 5, 60]);
  const sd = randomTensor(rng, [1, 10, 10, 16], { low: 0, high: 1 });
  const sparse = sparseConv2dBackward2(s, sk, sd);
  assertClose(sparse.hKernel.data, sparseConv2dBackward(square(s), sk, sd).dKernel.data);
  assertClose(sparse.d2x.data, sparseConv2dBackward(s, square(sk), sd).dx.data);
  // subsampling
  const c = randomTensor(rng, [3]);
  const xs = randomTensor(rng, [2, 4, 4, 3]);
  const ds = randomTensor(rng, [2, 2, 2, 3], { low: 0, high: 1 });
  const pooled = subsamplingBackward2(xs, c, ds);
  assertClose(pooled.hCoefficient.data, subsamplingBackward(square(xs), c, ds).dCoefficient.data);
  assertClose(pooled.d2x.data, subsamplingBackward(xs, square(c), ds).dx.data);
  // dense
  const xd = randomTensor(rng, [3, 5]);
  const w = randomTensor(rng, [5, 2]);
  const dd = randomTensor(rng, [3, 2], { low: 0, high: 1 });
  const fc = denseBackward2(xd, w, dd);
  assertClose(fc.hWeight.data, denseBackward(square(xd), w, dd).dWeight.data);
  assertClose(fc.d2x.data, denseBackward(xd, square(w), dd).dx.data);
});

test("the RBF + loss second derivative is the exact Hessian diagonal (finite differences)", () => {
  const rng = new Rng(3);
  const prototypes = randomTensor(rng, [4, 3]);
  const x = randomTensor(rng, [2, 3], { low: -0.8, high: 0.8 });
  const j = 0.5;
  const analytic = rbfLossBackward2(x, prototypes, { j });
  const numeric: number[] = [];
  for (let n = 0; n < 2; n++) {
    for (let d = 0; d < 3; d++) {
      const loss = (v: number) => {
        const row = Float64Array.from(x.data.subarray(n * 3, n * 3 + 3));
        row[d] = v;
        return rbfLoss(rbf({ shape: [1, 3], data: row }, prototypes), [n], { j });
      };
      numeric.push(secondDerivative(loss, x.data[n * 3 + d]));
    }
  }
  assertClose(analytic.data, numeric, { rtol: 1e-5, atol: 1e-6, label: "∂²L/∂x²" });
  assert.ok(analytic.data.every((v) => v > 0));
});

test("softmax cross-entropy: p(1 − p) is the exact Hessian diagonal (finite differences)", () => {
  const logits = randomTensor(new Rng(4), [1, 5], { low: -2, high: 2 });
  const analytic = softmaxCrossEntropyBackward2(logits);
  const numeric = Array.from({ length: 5 }, (_, c) =>
    secondDerivative((v) => {
      const z = Float64Array.from(logits.data);
      z[c] = v;
      return softmaxCrossEntropy({ shape: [1, 5], data: z }, [2]);
    }, logits.data[c]),
  );
  assertClose(analytic.data, numeric, { rtol: 1e-5, atol: 1e-7 });
});

test("on a one-unit-per-layer chain the backpropagated GN diagonal equals Σ (∂y/∂w)²·∂²E/∂y² (finite differences)", () => {
  // x → dense(1→1) → f → dense(1→1) → f → y → RBF against ten 1-D prototypes → eq. 9 loss.
  // One path from every weight to y, so the paper's diagonal rules are exact here.
  const j = 0.3;
  const prototypes = tensor([10, 1], [-1, -0.8, -0.5, -0.2, 0, 0.2, 0.4, 0.6, 0.8, 1], "float64");
  const x = tensor([1, 1], [0.7], "float64");
  const params = {
    w1: tensor([1, 1], [0.9], "float64"),
    b1: tensor([1], [-0.2], "float64"),
    w2: tensor([1, 1], [-1.3], "float64"),
    b2: tensor([1], [0.1], "float64"),
  };
  const forward = () => {
    const a1 = dense(x, params.w1, params.b1);
    const h1 = scaledTanh(a1);
    const a2 = dense(h1, params.w2, params.b2);
    return { a1, h1, a2, y: scaledTanh(a2) };
  };
  const lossOfY = (v: number) =>
    rbfLoss(rbf(tensor([1, 1], [v], "float64"), prototypes), [6], { j });

  const { a1, h1, a2, y } = forward();
  const d2y = rbfLossBackward2(y, prototypes, { j });
  const d2a2 = scaledTanhBackward2(a2, d2y);
  const layer2 = denseBackward2(h1, params.w2, d2a2);
  const layer1 = denseBackward2(x, params.w1, scaledTanhBackward2(a1, layer2.d2x));
  const analytic = [layer1.hWeight, layer1.hBias, layer2.hWeight, layer2.hBias].map(
    (t) => t.data[0],
  );

  const curvature = secondDerivative(lossOfY, y.data[0]);
  const numeric = [params.w1, params.b1, params.w2, params.b2].map((p) => {
    const original = p.data[0];
    const eps = 1e-6;
    p.data[0] = original + eps;
    const plus = forward().y.data[0];
    p.data[0] = original - eps;
    const minus = forward().y.data[0];
    p.data[0] = original;
    const slope = (plus - minus) / (2 * eps); // ∂y/∂w
    return slope * slope * curvature;
  });
  assertClose(analytic, numeric, { rtol: 1e-5, atol: 1e-9, label: "GN diagonal" });
});

test("doc example and sanity: historicalHessianScratch gives a non-negative h per weight", () => {
  const params = historicalParams(createHistorical({ seed: 1 }));
  const h = historicalHessianScratch(params, zeros([2, 32, 32, 1], "float64"));
  assert.deepEqual(h.c3.kernel.shape, [5, 5, 60]);
  const x = randomTensor(new Rng(9), [1, 32, 32, 1]);
  const all = Object.values(historicalHessianScratch(params, f64(x))).flatMap((layer) =>
    Object.values(layer as Record<string, Tensor>).flatMap((t) => Array.from(t.data)),
  );
  assert.equal(all.length, 60_000); // one h per trainable parameter of the paper's net
  assert.ok(all.every((v) => v >= 0));
});
