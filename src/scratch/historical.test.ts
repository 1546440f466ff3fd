// The faithful net written once (historical.ts), checked three ways: its gradients against
// finite differences (Float64), its loss and every gradient against tfjs autograd on the tfjs
// model with the same weights, and its h_kk against finite differences where the diagonal rules
// are exact.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "../backend";
import { createHistorical, historicalParams } from "../models/historical";
import { PAPER_LAYER_COUNTS, SCALED_TANH_A, SCALED_TANH_S } from "../paper";
import { Rng } from "../rng";
import { rbfLoss as tfRbfLoss } from "../layers/rbf-loss";
import { assertClose } from "../test-support/assert-close";
import { assertMatchesAutograd } from "../test-support/autograd";
import { randomTensor, testOnBackends } from "../test-support/parity";
import { assertGradient } from "./gradcheck";
import { dense, denseBackward2 } from "./dense";
import { rbf } from "./rbf";
import { rbfLoss, rbfLossBackward2 } from "./rbf-loss";
import { scaledTanh, scaledTanhBackward2 } from "./scaled-tanh";
import {
  historicalBackward,
  historicalBackward2,
  historicalForward,
  historicalLoss,
  type HistoricalParams,
} from "./historical";
import { Tensor, mapTensors, namedTensors, tensor, zeros } from "./tensor";

before(() => initBackend());

const LABELS = [4, 7];
const float64 = (params: HistoricalParams): HistoricalParams =>
  mapTensors(params, (t) => tensor(t.shape, t.data, "float64"));

/** The seed-`seed` model's weights (Float64) and two random inputs at the paper's levels. */
function setup(seed: number) {
  const model = createHistorical({ seed });
  const params = float64(historicalParams(model));
  model.dispose();
  const x = randomTensor([LABELS.length, 32, 32, 1], new Rng(seed), -0.1, 1.175);
  return { params, x };
}

test("doc examples: shapes through the net, and one trainable parameter per paper parameter", () => {
  const { params } = setup(1);
  const acts = historicalForward(params, zeros([1, 32, 32, 1]));
  assert.deepEqual(acts.C1.shape, [1, 28, 28, 6]);
  assert.deepEqual(acts.C5.shape, [1, 1, 1, 120]);
  assert.deepEqual(acts.OUTPUT.shape, [1, 10]);
  const grads = historicalBackward(params, acts, [7]);
  assert.deepEqual(grads.c3.kernel.shape, [5, 5, 60]);
  const perLayer = Object.values(grads).map((layer) =>
    namedTensors(layer).reduce((sum, [, t]) => sum + t.data.length, 0),
  );
  const paper = PAPER_LAYER_COUNTS.filter((l) => l.name !== "OUTPUT").map((l) => l.params);
  assert.deepEqual(perLayer, paper); // 156, 12, 1,516, 32, 48,120, 10,164: 60,000 in all
});

test("Float64 gradient check of the whole net: every small tensor element by element, every tensor along a random direction", () => {
  const { params, x } = setup(101);
  const loss = () => historicalLoss(historicalForward(params, x), LABELS);
  const grads = historicalBackward(params, historicalForward(params, x), LABELS);
  const rng = new Rng(5);
  for (const [name, grad] of namedTensors(grads)) {
    const param = namedTensors(params).find(([n]) => n === name)![1];
    // The loss is ~100 while these gradients are ~1e-2: eps = 1e-5 keeps rounding below 1e-6.
    if (param.data.length <= 150) assertGradient(loss, param, grad, { eps: 1e-5, label: name });
    assertDirectionalDerivative(loss, param, grad, rng, name);
  }
});

/** (E(θ + εv) − E(θ − εv)) / 2ε against ⟨∂E/∂θ, v⟩ for one random direction v. */
function assertDirectionalDerivative(
  loss: () => number,
  param: Tensor,
  grad: Tensor,
  rng: Rng,
  label: string,
): void {
  const v = Float64Array.from(param.data, () => rng.uniform(-1, 1));
  const original = Float64Array.from(param.data);
  const shifted = (eps: number) => {
    param.data.forEach((_, i) => (param.data[i] = original[i] + eps * v[i]));
    const value = loss();
    param.data.set(original);
    return value;
  };
  const eps = 1e-6;
  const numeric = (shifted(eps) - shifted(-eps)) / (2 * eps);
  let analytic = 0;
  for (let i = 0; i < v.length; i++) analytic += grad.data[i] * v[i];
  assertClose([analytic], [numeric], { rtol: 1e-5, atol: 1e-7, label: `${label} along v` });
}

testOnBackends("loss and every gradient equal tfjs autograd on the tfjs model's weights", () => {
  const model = createHistorical({ seed: 3 });
  const params = historicalParams(model); // float32, as tfjs holds them
  const x = randomTensor([3, 32, 32, 1], new Rng(5), -0.1, 1.175);
  const labels = [2, 0, 9];
  const acts = historicalForward(params, x);
  assertMatchesAutograd(model, (l, y) => tfRbfLoss(l, y), x, labels, {
    loss: historicalLoss(acts, labels),
    gradients: historicalBackward(params, acts, labels),
  });
  model.dispose();
});

test("h_kk of F6 is the Gauss–Newton part of the finite-difference second derivative (one example)", () => {
  // F6's weight w_io feeds one unit, a_o = Σ_i x_i w_io + b_o, F6_o = f(a_o), so exactly
  //   ∂²E/∂w_io² = x_i² (f'(a_o)² ∂²L/∂F6_o² + f''(a_o) ∂L/∂F6_o),
  // and the Gauss–Newton h drops only the f'' term; ∂L/∂F6_o = (∂E/∂b_o) / f'(a_o). Earlier
  // layers also drop cross terms between units (the paper's diagonal approximation), so there
  // the rules are checked op by op and on single-path chains (src/train/hessian.test.ts).
  const { params, x: both } = setup(7);
  const x: Tensor = { shape: [1, 32, 32, 1], data: both.data.subarray(0, 1024) };
  const acts = historicalForward(params, x);
  const h = historicalBackward2(params, acts);
  const grad = historicalBackward(params, acts, [LABELS[0]]);
  const t = (a: number) => Math.tanh(SCALED_TANH_S * a);
  const slope = (a: number) => SCALED_TANH_A * SCALED_TANH_S * (1 - t(a) ** 2);
  const curve = (a: number) => -2 * SCALED_TANH_A * SCALED_TANH_S ** 2 * t(a) * (1 - t(a) ** 2);
  // ∂²E/∂θ_k² as the central difference of the (gradient-checked) analytic ∂E/∂θ_k: far less
  // rounding than a second difference of the loss (~100) itself.
  const secondDifference = (param: Tensor, k: number, pick: (g: typeof grad) => Tensor) => {
    const original = param.data[k];
    const eps = 1e-5;
    const slopeAt = (v: number) => {
      param.data[k] = v;
      return pick(historicalBackward(params, historicalForward(params, x), [LABELS[0]])).data[k];
    };
    const value = (slopeAt(original + eps) - slopeAt(original - eps)) / (2 * eps);
    param.data[k] = original;
    return value;
  };
  for (const o of [0, 17, 83]) {
    const a = acts.F6Sum.data[o];
    const dLdF6 = grad.f6.bias.data[o] / slope(a);
    const fdBias = secondDifference(params.f6.bias, o, (g) => g.f6.bias) - curve(a) * dLdF6;
    assertClose([h.f6.bias.data[o]], [fdBias], { rtol: 1e-4, atol: 1e-6, label: `h F6 bias ${o}` });
    for (const i of [0, 60, 119]) {
      const xi = acts.C5.data[i];
      const fdWeight =
        secondDifference(params.f6.weight, i * 84 + o, (g) => g.f6.weight) -
        xi * xi * curve(a) * dLdF6;
      assertClose([h.f6.weight.data[i * 84 + o]], [fdWeight], {
        rtol: 1e-4,
        atol: 1e-7,
        label: `h F6 weight [${i}, ${o}]`,
      });
    }
  }
});

test("h_kk: one per trainable weight, never negative, and a mean over the examples", () => {
  const { params, x } = setup(9);
  const both = namedTensors(historicalBackward2(params, historicalForward(params, x)));
  const one = (n: number) =>
    namedTensors(
      historicalBackward2(
        params,
        historicalForward(params, {
          shape: [1, 32, 32, 1],
          data: x.data.subarray(n * 1024, (n + 1) * 1024),
        }),
      ),
    );
  const [first, second] = [one(0), one(1)];
  assert.equal(
    both.reduce((sum, [, t]) => sum + t.data.length, 0),
    60_000,
  );
  both.forEach(([name, t], k) => {
    assert.ok(
      t.data.every((v) => v >= 0),
      `${name} has a negative h`,
    );
    const mean = t.data.map((_, i) => (first[k][1].data[i] + second[k][1].data[i]) / 2);
    assertClose(t.data, mean, { rtol: 1e-12, atol: 1e-300, label: `${name}: mean of the two` });
  });
});

test("the diagonal rules are exact on a one-unit-per-layer chain: Σ (∂y/∂w)²·∂²E/∂y² by finite differences", () => {
  // x → dense(1→1) → f → dense(1→1) → f → y → RBF against ten 1-D prototypes → eq. 9 loss: one
  // path from every weight to y, so no cross term is dropped and the rules give the GN diagonal.
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
  const d2a2 = scaledTanhBackward2(a2, rbfLossBackward2(y, prototypes, { j }));
  const layer2 = denseBackward2(h1, params.w2, d2a2);
  const layer1 = denseBackward2(x, params.w1, scaledTanhBackward2(a1, layer2.d2x));
  const analytic = [layer1.hWeight, layer1.hBias, layer2.hWeight, layer2.hBias].map(
    (t) => t.data[0],
  );

  const eps = 1e-4;
  const at = y.data[0];
  const curvature = (lossOfY(at + eps) - 2 * lossOfY(at) + lossOfY(at - eps)) / (eps * eps);
  const numeric = [params.w1, params.b1, params.w2, params.b2].map((p) => {
    const original = p.data[0];
    p.data[0] = original + 1e-6;
    const plus = forward().y.data[0];
    p.data[0] = original - 1e-6;
    const minus = forward().y.data[0];
    p.data[0] = original;
    return ((plus - minus) / 2e-6) ** 2 * curvature; // (∂y/∂w)²·∂²E/∂y²
  });
  assertClose(analytic, numeric, { rtol: 1e-5, atol: 1e-9, label: "GN diagonal" });
});
