// The faithful net's ablation variants (full C3, average or max pooling S2/S4; src/scratch/
// historical.ts), checked the way the paper's net is: gradients against finite differences
// (Float64), loss and gradients against tfjs autograd on the tfjs model built with the same
// options, and h_kk against the tfjs estimate (src/train/hessian.ts), with either curvature.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import type * as tf from "@tensorflow/tfjs";
import { loadModelData } from "../train/data";
import { loadPretrained } from "../train/pretrained";
import { initBackend } from "../backend";
import {
  createHistorical,
  historicalParams,
  historicalVariant,
  type HistoricalOptions,
} from "../models/historical";
import { Rng } from "../rng";
import { rbfLoss as tfRbfLoss } from "../layers/rbf-loss";
import { estimateDiagonalHessian, EQ8_OUTPUT_CURVATURE } from "../train/hessian";
import { assertClose } from "../test-support/assert-close";
import { assertMatchesAutograd } from "../test-support/autograd";
import { randomTensor, testOnBackends } from "../test-support/parity";
import { assertGradient } from "./gradcheck";
import {
  historicalBackward,
  historicalBackward2,
  historicalForward,
  historicalLoss,
  historicalZeros,
  type HistoricalGradients,
  type HistoricalParams,
} from "./historical";
import { mapTensors, namedTensors, tensor, type Tensor } from "./tensor";

before(() => initBackend());

const VARIANTS: readonly HistoricalOptions[] = [
  { c3: "full" },
  { subsampling: "average" },
  { subsampling: "max" },
  { c3: "full", subsampling: "max" },
];
const LABELS = [3, 8];

/** The weights a record holds for a model's trainable weights: zero-length pooling ones dropped. */
function trainableOnly(record: HistoricalGradients): object {
  return Object.fromEntries(
    Object.entries(record).filter(([, layer]) =>
      namedTensors(layer).every(([, t]) => t.data.length > 0),
    ),
  );
}

test("the record's shapes follow the variant: full C3 [5, 5, 96], pooling S2/S4 [0]", () => {
  const full = historicalZeros("float32", historicalVariant({ c3: "full" }));
  assert.deepEqual(full.c3.kernel.shape, [5, 5, 96]);
  const pooled = historicalZeros("float32", historicalVariant({ subsampling: "average" }));
  assert.deepEqual(pooled.s2.coefficient.shape, [0]);
  assert.deepEqual(pooled.s4.bias.shape, [0]);
  const model = createHistorical({ seed: 1, c3: "full", subsampling: "max" });
  const params = historicalParams(model);
  assert.deepEqual(params.c3.kernel.shape, [5, 5, 96]);
  assert.deepEqual(params.s2.coefficient.shape, [0]);
  model.dispose();
  assert.throws(
    () => historicalForward(params, tensor([1, 32, 32, 1], new Float32Array(1024))), // Table I: 60
    /expected shape \[6\], got \[0\]/, // the paper's net refuses a pooling record
  );
});

for (const options of VARIANTS) {
  const name = JSON.stringify(options);
  test(`${name}: Float64 gradient check along a random direction of every weight`, () => {
    const model = createHistorical({ ...options, seed: 21 });
    const params: HistoricalParams = mapTensors(historicalParams(model), (t) =>
      tensor(t.shape, t.data, "float64"),
    );
    model.dispose();
    const variant = historicalVariant(options);
    const rng = new Rng(22);
    const x = randomTensor([LABELS.length, 32, 32, 1], rng, -0.1, 1.175);
    const loss = () => historicalLoss(historicalForward(params, x, variant), LABELS);
    const grads = historicalBackward(
      params,
      historicalForward(params, x, variant),
      LABELS,
      {},
      variant,
    );
    for (const [weight, grad] of namedTensors(grads)) {
      const param = namedTensors(params).find(([n]) => n === weight)![1];
      if (param.data.length === 0) continue; // a pooling S layer has no weights
      if (param.data.length <= 32) assertGradient(loss, param, grad, { eps: 1e-5, label: weight });
      // Max pooling has kinks: moving a whole tensor at once can flip a block's maximum inside
      // the ±ε step, so the max variants are held to tfjs autograd (below) instead.
      if (options.subsampling !== "max") {
        alongRandomDirection(loss, param, grad, rng, `${name} ${weight}`);
      }
    }
  });

  testOnBackends(
    `${name}: loss and gradients equal tfjs autograd on the model built with it`,
    () => {
      const model = createHistorical({ ...options, seed: 23 });
      const params = historicalParams(model);
      const variant = historicalVariant(options);
      const x = randomTensor([3, 32, 32, 1], new Rng(24), -0.1, 1.175);
      const labels = [1, 5, 9];
      const acts = historicalForward(params, x, variant);
      assertMatchesAutograd(model, (l, y) => tfRbfLoss(l, y), x, labels, {
        loss: historicalLoss(acts, labels),
        gradients: trainableOnly(historicalBackward(params, acts, labels, {}, variant)),
      });
      model.dispose();
    },
  );
}

for (const [options, curvature] of [
  [{ subsampling: "average" }, "eq9"],
  [{ c3: "full", subsampling: "max" }, "eq9"],
  [{}, EQ8_OUTPUT_CURVATURE],
  [{ subsampling: "average" }, EQ8_OUTPUT_CURVATURE],
] as const) {
  testOnBackends(
    `h_kk of ${JSON.stringify(options)}, curvature ${curvature}: tfjs estimate = scratch`,
    () => {
      const model = createHistorical({ ...options, seed: 25 });
      const params = historicalParams(model);
      const variant = historicalVariant(options);
      const x = randomTensor([3, 32, 32, 1], new Rng(26), -0.1, 1.175);
      const reference = historicalBackward2(
        params,
        historicalForward(params, x, variant),
        { outputCurvature: curvature },
        variant,
      );
      const expected = namedTensors(trainableOnly(reference));
      const h = estimateDiagonalHessian(model, "rbf", Float32Array.from(x.data), 3, {
        outputCurvature: curvature,
      });
      assert.equal(h.length, expected.length);
      h.forEach((t, i) => {
        const want = expected[i][1].data;
        const scale = Math.max(...Array.from(want));
        assertClose(t.dataSync(), want, { rtol: 1e-3, atol: 1e-5 * scale, label: expected[i][0] });
        t.dispose();
      });
      model.dispose();
    },
  );
}

test("eq. 8's curvature (2 at F6) = eq. 9's on an untrained net, and exceeds it on a trained one", () => {
  // eq. 9's is 2·p_rubbish + a variance (rbf-loss.ts). Untrained, every distance is ~84, so
  // p_rubbish ≈ 1 and the two agree; trained, the right prototype's share takes p_rubbish down.
  const digits = loadModelData("historical", "test", { limit: 8 });
  const x: Tensor = { shape: [digits.count, 32, 32, 1], data: digits.images };
  const ratioAtF6 = (model: tf.LayersModel) => {
    const params = historicalParams(model);
    const acts = historicalForward(params, x);
    const eq9 = historicalBackward2(params, acts);
    const eq8 = historicalBackward2(params, acts, { outputCurvature: EQ8_OUTPUT_CURVATURE });
    const sum = (t: Tensor) => Array.from(t.data).reduce((a, b) => a + b, 0);
    return sum(eq8.f6.bias) / sum(eq9.f6.bias);
  };
  const untrained = createHistorical({ seed: 27 });
  assertClose([ratioAtF6(untrained)], [1], { rtol: 1e-6, label: "untrained eq8/eq9" });
  untrained.dispose();
  const { model: trained } = loadPretrained("historical");
  assert.ok(ratioAtF6(trained) > 1.5, "trained: eq. 8's h at F6 well above eq. 9's");
  trained.dispose();
});

/** (E(θ + εv) − E(θ − εv)) / 2ε against ⟨∂E/∂θ, v⟩ for one random direction v. */
function alongRandomDirection(
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
