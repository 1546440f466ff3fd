// The modern net written once (modern.ts), checked as historical.ts is: gradients against finite
// differences (Float64), loss and every gradient against tfjs autograd, and h_kk against finite
// differences at the output layer, where the diagonal rule is exact.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "../backend";
import { assignModernParams, createModern, modernParams } from "../models/modern";
import { Rng } from "../rng";
import { softmaxCrossEntropy as tfSoftmaxCrossEntropy } from "../layers/softmax-cross-entropy";
import { assertClose } from "../test-support/assert-close";
import { assertMatchesAutograd } from "../test-support/autograd";
import { randomTensor, testOnBackends } from "../test-support/parity";
import { assertGradient } from "./gradcheck";
import {
  modernBackward,
  modernBackward2,
  modernForward,
  modernLoss,
  type ModernParams,
} from "./modern";
import { Tensor, mapTensors, namedTensors, tensor, zeros } from "./tensor";

before(() => initBackend());

const LABELS = [3, 8];

/** The seed-`seed` model's weights (Float64), with small random biases so no bias gradient is trivially 0. */
function setup(seed: number) {
  const model = createModern({ seed });
  const rng = new Rng(seed);
  const params: ModernParams = mapTensors(modernParams(model), (t, name) =>
    name.endsWith("bias")
      ? randomTensor(t.shape, rng, -0.1, 0.1)
      : tensor(t.shape, t.data, "float64"),
  );
  model.dispose();
  const x = randomTensor([LABELS.length, 28, 28, 1], rng, -0.4, 2.8);
  return { params, x };
}

test("doc examples: shapes through the net, and 61,706 weights", () => {
  const { params } = setup(1);
  const acts = modernForward(params, zeros([1, 28, 28, 1]));
  assert.deepEqual(acts.C1.shape, [1, 28, 28, 6]);
  assert.deepEqual(acts.S4.shape, [1, 5, 5, 16]);
  assert.deepEqual(acts.OUTPUT.shape, [1, 10]);
  const grads = modernBackward(params, acts, [7]);
  assert.deepEqual(grads.c3.kernel.shape, [5, 5, 6, 16]);
  assert.equal(
    namedTensors(grads).reduce((sum, [, t]) => sum + t.data.length, 0),
    61_706,
  );
});

test("Float64 gradient check of the whole net: every small tensor element by element, every tensor along a random direction", () => {
  const { params, x } = setup(102);
  const loss = () => modernLoss(modernForward(params, x), LABELS);
  const grads = modernBackward(params, modernForward(params, x), LABELS);
  const rng = new Rng(6);
  for (const [name, grad] of namedTensors(grads)) {
    const param = namedTensors(params).find(([n]) => n === name)![1];
    if (param.data.length <= 150) assertGradient(loss, param, grad, { eps: 1e-6, label: name });
    const v = Float64Array.from(param.data, () => rng.uniform(-1, 1));
    const original = Float64Array.from(param.data);
    const shifted = (eps: number) => {
      param.data.forEach((_, i) => (param.data[i] = original[i] + eps * v[i]));
      const value = loss();
      param.data.set(original);
      return value;
    };
    const numeric = (shifted(1e-6) - shifted(-1e-6)) / 2e-6;
    let analytic = 0;
    for (let i = 0; i < v.length; i++) analytic += grad.data[i] * v[i];
    assertClose([analytic], [numeric], { rtol: 1e-5, atol: 1e-8, label: `${name} along v` });
  }
});

testOnBackends("loss and every gradient equal tfjs autograd on the tfjs model's weights", () => {
  const { params: params64, x } = setup(3);
  const model = createModern({ seed: 3 });
  assignModernParams(model, params64); // with setup's nonzero biases
  const params = modernParams(model); // float32, as tfjs holds them
  const acts = modernForward(params, x);
  assertMatchesAutograd(model, (l, y) => tfSoftmaxCrossEntropy(l, y), x, LABELS, {
    loss: modernLoss(acts, LABELS),
    gradients: modernBackward(params, acts, LABELS),
  });
  model.dispose();
});

test("h_kk of the output layer is the finite-difference second derivative (one example)", () => {
  // The logits are linear in OUTPUT's weights, z_o = Σ_i F6_i w_io + b_o, so exactly
  // ∂²E/∂w_io² = F6_i² p_o (1 − p_o): the Gauss–Newton diagonal drops nothing here.
  const { params, x: both } = setup(8);
  const x: Tensor = { shape: [1, 28, 28, 1], data: both.data.subarray(0, 784) };
  const acts = modernForward(params, x);
  const h = modernBackward2(params, acts);
  const secondDifference = (param: Tensor, k: number, pick: (g: ModernParams) => Tensor) => {
    const original = param.data[k];
    const slopeAt = (v: number) => {
      param.data[k] = v;
      return pick(modernBackward(params, modernForward(params, x), [LABELS[0]])).data[k];
    };
    const value = (slopeAt(original + 1e-5) - slopeAt(original - 1e-5)) / 2e-5;
    param.data[k] = original;
    return value;
  };
  for (const o of [0, 3, 9]) {
    const fdBias = secondDifference(params.output.bias, o, (g) => g.output.bias);
    assertClose([h.output.bias.data[o]], [fdBias], { rtol: 1e-5, atol: 1e-9, label: `bias ${o}` });
    for (const i of [0, 41, 83]) {
      const k = i * 10 + o;
      const fdWeight = secondDifference(params.output.weight, k, (g) => g.output.weight);
      assertClose([h.output.weight.data[k]], [fdWeight], {
        rtol: 1e-5,
        atol: 1e-9,
        label: `weight [${i}, ${o}]`,
      });
    }
  }
  const all = namedTensors(h);
  assert.ok(
    all.every(([, t]) => t.data.every((v) => v >= 0)),
    "every h_kk ≥ 0",
  );
});
