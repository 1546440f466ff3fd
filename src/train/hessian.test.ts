import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend";
import { createHistorical, historicalParams } from "../models/historical";
import { createModel } from "../models/registry";
import { rbfPrototypes } from "../paper";
import { Rng } from "../rng";
import { rbf } from "../scratch/rbf";
import { rbfLoss, rbfLossBackward2 } from "../scratch/rbf-loss";
import { historicalBackward2, historicalForward } from "../scratch/historical";
import { scaledTanhScalar } from "../scratch/scaled-tanh";
import { softmaxCrossEntropy } from "../scratch/softmax-cross-entropy";
import { tensor } from "../scratch/tensor";
import { assertClose } from "../test-support/assert-close";
import { randomTensor, testOnBackends } from "../test-support/parity";
import { conv2dLayer } from "../layers/conv2d";
import { denseLayer } from "../layers/dense";
import { maxPoolLayer } from "../layers/max-pool";
import { Rbf } from "../layers/rbf";
import { reluLayer } from "../layers/relu";
import { ScaledTanh } from "../layers/scaled-tanh";
import { SparseConv2D } from "../layers/sparse-conv2d";
import { Subsampling } from "../layers/subsampling";
import {
  diagonalHessianSum,
  estimateDiagonalHessian,
  rbfLossCurvature,
  softmaxCrossEntropyCurvature,
} from "./hessian";

before(() => initBackend());

/** Central second difference. */
function secondDerivative(f: (v: number) => number, at: number, eps = 1e-4): number {
  return (f(at + eps) - 2 * f(at) + f(at - eps)) / (eps * eps);
}

/**
 * The finite-difference GN diagonal Σ_o (∂y_o/∂θ)²·∂²E/∂y_o² of a plain-JS float64 net:
 * `outputs(θ)` gives y, `lossCurvature(y)` the ∂²E/∂y_o² (themselves by finite differences).
 */
function numericGnDiagonal(
  theta: Float64Array,
  outputs: (theta: Float64Array) => number[],
  lossCurvature: (y: number[]) => number[],
): number[] {
  const curvature = lossCurvature(outputs(theta));
  return Array.from(theta, (original, k) => {
    const eps = 1e-6;
    theta[k] = original + eps;
    const plus = outputs(theta);
    theta[k] = original - eps;
    const minus = outputs(theta);
    theta[k] = original;
    return plus.reduce((sum, p, o) => sum + ((p - minus[o]) / (2 * eps)) ** 2 * curvature[o], 0);
  });
}

/** ∂²(softmax cross-entropy)/∂z_o², numerically. */
function softmaxCurvatureNumeric(z: number[], label: number): number[] {
  return z.map((zo, o) =>
    secondDerivative((v) => {
      const zz = Float64Array.from(z);
      zz[o] = v;
      return softmaxCrossEntropy(tensor([1, z.length], zz, "float64"), [label]);
    }, zo),
  );
}

const flatWeights = (model: tf.LayersModel) =>
  Float64Array.from(model.trainableWeights.flatMap((w) => Array.from(w.read().dataSync())));
const flatH = (h: tf.Tensor[]) => h.flatMap((t) => Array.from(t.dataSync()));

testOnBackends("the tfjs estimate equals the scratch reference on the historical net", () => {
  const model = createHistorical({ seed: 5 });
  const rng = new Rng(11);
  const x = randomTensor([3, 32, 32, 1], rng, -0.1, 1.175);
  const params = historicalParams(model);
  const reference = historicalBackward2(params, historicalForward(params, x));
  const expected = [
    reference.c1.kernel,
    reference.c1.bias,
    reference.s2.coefficient,
    reference.s2.bias,
    reference.c3.kernel,
    reference.c3.bias,
    reference.s4.coefficient,
    reference.s4.bias,
    reference.c5.kernel,
    reference.c5.bias,
    reference.f6.weight,
    reference.f6.bias,
  ];
  const h = estimateDiagonalHessian(model, "rbf", Float32Array.from(x.data), 3);
  assert.equal(h.length, expected.length);
  h.forEach((t, i) => {
    const label = model.trainableWeights[i].originalName;
    const scale = Math.max(...Array.from(expected[i].data));
    assertClose(t.dataSync(), expected[i].data, { rtol: 1e-3, atol: 1e-5 * scale, label });
  });
  tf.dispose(h);
  model.dispose();
});

test("one unit per layer (conv, ReLU, max pool, sparse conv, dense) into 10 logits: the estimate is the finite-difference GN diagonal", () => {
  // 2×2 input → 1×1 conv → ReLU → 2×2 max pool → f → sparse 1×1 conv (table [[0]]) → f → dense 1
  // → f → dense 10 logits. Max pooling passes one position on, so each weight has one path.
  const model = tf.sequential({
    layers: [
      conv2dLayer({ filters: 1, kernelSize: 1, inputShape: [2, 2, 1] }),
      reluLayer(),
      maxPoolLayer(),
      new ScaledTanh(),
      new SparseConv2D({ kernelSize: 1, table: [[0]] }),
      new ScaledTanh(),
      tf.layers.flatten(),
      denseLayer({ units: 1, inputUnits: 1 }),
      new ScaledTanh(),
      denseLayer({ units: 10, inputUnits: 1 }),
    ],
  });
  const logitWeights = Array.from({ length: 10 }, (_, o) => 0.3 * (o - 4.5));
  const logitBiases = Array.from({ length: 10 }, (_, o) => 0.1 * ((o * 7) % 5));
  const theta = Float64Array.from([1.2, 0.1, 0.8, -0.3, 1.5, 0.2, ...logitWeights, ...logitBiases]);
  model.setWeights([
    tf.tensor4d([theta[0]], [1, 1, 1, 1]),
    tf.tensor1d([theta[1]]),
    tf.tensor3d([theta[2]], [1, 1, 1]),
    tf.tensor1d([theta[3]]),
    tf.tensor2d([theta[4]], [1, 1]),
    tf.tensor1d([theta[5]]),
    tf.tensor2d(logitWeights, [1, 10]),
    tf.tensor1d(logitBiases),
  ]);
  const pixels = [0.3, -0.5, 0.9, 0.1]; // conv gives 1.2·x + 0.1 = [0.46, −0.5, 1.18, 0.22]
  const f = scaledTanhScalar;
  const outputs = (p: Float64Array) => {
    const pooled = Math.max(...pixels.map((v) => Math.max(0, p[0] * v + p[1])));
    const s = f(p[2] * f(pooled) + p[3]);
    const d = f(p[4] * s + p[5]);
    return Array.from({ length: 10 }, (_, o) => p[6 + o] * d + p[16 + o]);
  };
  const numeric = numericGnDiagonal(theta, outputs, (z) => softmaxCurvatureNumeric(z, 3));
  const h = diagonalHessianSum(model, "logits", tf.tensor4d(pixels, [1, 2, 2, 1]));
  assertClose(flatH(h), numeric, { rtol: 2e-3, atol: 1e-7, label: "GN diagonal" });
  assert.deepEqual(Array.from(flatWeights(model), Math.fround), Array.from(theta, Math.fround));
  tf.dispose(h);
  model.dispose();
});

test("averaging subsampling (α = ¼) with one non-zero input: the estimate is the finite-difference GN diagonal", () => {
  const model = tf.sequential({
    layers: [
      new Subsampling({ inputShape: [2, 2, 1], reduce: "average" }),
      new ScaledTanh(),
      tf.layers.flatten(),
      denseLayer({ units: 10, inputUnits: 1 }),
    ],
  });
  const theta = flatWeights(model); // [coefficient, bias, W (10), b (10)]
  const outputs = (p: Float64Array) => {
    const s = scaledTanhScalar((p[0] * 0.7) / 4 + p[1]); // the block's average is 0.7/4
    return Array.from({ length: 10 }, (_, o) => p[2 + o] * s + p[12 + o]);
  };
  const numeric = numericGnDiagonal(theta, outputs, (z) => softmaxCurvatureNumeric(z, 8));
  const h = diagonalHessianSum(model, "logits", tf.tensor4d([0.7, 0, 0, 0], [1, 2, 2, 1]));
  assertClose(flatH(h), numeric, { rtol: 2e-3, atol: 1e-7, label: "GN diagonal" });
  tf.dispose(h);
  model.dispose();
});

test("the layer feeding the RBF output: its estimate is the exact GN diagonal (finite differences)", () => {
  // Each F6 weight reaches one F6 output, and the RBF + loss second derivative is exact there.
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [1, 1, 1] }),
      denseLayer({ units: 84, inputUnits: 1, seed: 3 }),
      new ScaledTanh(),
      new Rbf(),
    ],
  });
  const theta = flatWeights(model); // kernel [1, 84], then bias [84]
  const input = 0.8;
  const j = 0.1;
  const outputs = (p: Float64Array) =>
    Array.from({ length: 84 }, (_, k) => scaledTanhScalar(p[k] * input + p[84 + k]));
  const prototypes = tensor([10, 84], rbfPrototypes(), "float64");
  const lossCurvature = (x: number[]) =>
    x.map((xk, k) =>
      secondDerivative((v) => {
        const row = Float64Array.from(x);
        row[k] = v;
        return rbfLoss(rbf(tensor([1, 84], row, "float64"), prototypes), [4], { j });
      }, xk),
    );
  const numeric = numericGnDiagonal(theta, outputs, lossCurvature);
  const h = diagonalHessianSum(model, "rbf", tf.tensor4d([input], [1, 1, 1, 1]), { j });
  assertClose(flatH(h), numeric, { rtol: 2e-3, atol: 1e-6, label: "GN diagonal" });
  tf.dispose(h);
  model.dispose();
});

test("doc examples: rbfLossCurvature and softmaxCrossEntropyCurvature, and parity with scratch", () => {
  const w = tf.tensor2d([[0], [100]]); // two 1-D prototypes
  const one = rbfLossCurvature(tf.tensor2d([[0]]), w, 1); // 2·e^−1/(1 + e^−1)
  assertClose(one.dataSync(), [(2 * Math.exp(-1)) / (1 + Math.exp(-1))], { rtol: 1e-5 });
  assertClose(softmaxCrossEntropyCurvature(tf.zeros([1, 2])).dataSync(), [0.25, 0.25]);

  const rng = new Rng(2);
  const x = randomTensor([3, 84], rng, -1.5, 1.5);
  const prototypes = tensor([10, 84], rbfPrototypes(), "float64");
  const expected = rbfLossBackward2(x, prototypes, { j: 0.1 });
  const actual = rbfLossCurvature(
    tf.tensor2d(Float32Array.from(x.data), [3, 84]),
    tf.tensor2d(rbfPrototypes(), [10, 84]),
    0.1,
  );
  assertClose(actual.dataSync(), expected.data, { rtol: 1e-3, atol: 1e-5 });
  tf.dispose([w, one, actual]);
});

test("doc example: estimateDiagonalHessian averages over the chosen examples and leaks nothing", () => {
  const model = createModel("historical", { seed: 1 });
  const images = new Float32Array(8 * 32 * 32).fill(-0.1);
  const rng = new Rng(1);
  for (let i = 0; i < images.length; i++) if (rng.next() < 0.2) images[i] = 1.175;
  const before = tf.memory().numTensors;
  const h = estimateDiagonalHessian(model, "rbf", images, 8); // one tensor per weight
  assert.equal(h.length, model.trainableWeights.length);
  tf.dispose(h);
  assert.equal(tf.memory().numTensors, before, "tensors leaked");
  // The average over examples 2 and 5 is the mean of their sums.
  const pair = estimateDiagonalHessian(model, "rbf", images, 8, { indices: [2, 5], batchSize: 1 });
  tf.tidy(() => {
    const sums = [2, 5].map((i) => {
      const x = tf.tensor4d(images.subarray(i * 1024, (i + 1) * 1024), [1, 32, 32, 1]);
      return diagonalHessianSum(model, "rbf", x);
    });
    pair.forEach((t, k) => {
      const mean = tf.div(tf.add(sums[0][k], sums[1][k]), 2);
      assertClose(t.dataSync(), mean.dataSync(), { rtol: 1e-5, atol: 1e-12 });
    });
  });
  tf.dispose(pair);
  model.dispose();
});

test("doc example: diagonalHessianSum gives one tensor per trainable weight", () => {
  const model = createModel("historical", { seed: 1 });
  const h = diagonalHessianSum(model, "rbf", tf.zeros([4, 32, 32, 1]));
  assert.deepEqual(h[0].shape, [5, 5, 1, 6]); // C1's kernel
  assert.deepEqual(
    h.map((t) => t.shape),
    model.trainableWeights.map((w) => w.shape),
  );
  tf.dispose(h);
  model.dispose();
});

test("the modern net's ReLU/max-pool layers are supported; batch normalisation is refused clearly", () => {
  const modern = createModel("modern", { seed: 1 });
  const h = diagonalHessianSum(modern, "logits", tf.randomUniform([2, 28, 28, 1]) as tf.Tensor4D);
  assert.equal(h.length, modern.trainableWeights.length);
  assert.ok(h.every((t) => t.dataSync().every((v) => v >= 0)));
  tf.dispose(h);
  const withBn = createModel("modern", { seed: 1, batchNorm: true });
  assert.throws(
    () => diagonalHessianSum(withBn, "logits", tf.zeros([1, 28, 28, 1])),
    /layer C3_bn is batch normalisation, which SDLM's Hessian estimate does not support/,
  );
  [modern, withBn].forEach((m) => m.dispose());
});
