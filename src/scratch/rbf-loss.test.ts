import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";
import { assertGradient, randomTensor } from "./gradcheck";
import {
  DEFAULT_RBF_LOSS_J,
  rbfLoss,
  rbfLossBackward,
  rbfPredict,
  rbfLossBackward2,
} from "./rbf-loss";
import { tensor } from "./tensor";
import { rbf } from "./rbf";

test("hand case, batch of two (eq. 9 with j = 1)", () => {
  // Row 0: y = [0, 1], label 0: 0 + log(e^−1 + e^0 + e^−1) = log(1 + 2/e) ≈ 0.551444
  // Row 1: y = [2, 0], label 1: 0 + log(e^−1 + e^−2 + e^0) = log(1 + e^−1 + e^−2) ≈ 0.407606
  // E = mean ≈ 0.479525
  const e = Math.E;
  const expected = (Math.log(1 + 2 / e) + Math.log(1 + 1 / e + 1 / e ** 2)) / 2;
  const loss = rbfLoss(tensor([2, 2], [0, 1, 2, 0]), [0, 1], { j: 1 });
  assert.ok(Math.abs(loss - expected) < 1e-12, `loss ${loss}, expected ${expected}`);
  assert.ok(Math.abs(loss - 0.479525) < 1e-6);
});

test("the correct class's distance enters with weight 1: wrong label costs y_D more", () => {
  // Same row, label 1 instead of 0: the first term is y_1 = 1 instead of y_0 = 0.
  const y = tensor([1, 2], [0, 1]);
  assert.ok(Math.abs(rbfLoss(y, [1], { j: 1 }) - rbfLoss(y, [0], { j: 1 }) - 1) < 1e-12);
});

test("j defaults to DEFAULT_RBF_LOSS_J = 0.1 (lenet5's choice; the paper gives none)", () => {
  assert.equal(DEFAULT_RBF_LOSS_J, 0.1);
  const y = tensor([1, 3], [0.5, 2, 7]);
  assert.equal(rbfLoss(y, [1]), rbfLoss(y, [1], { j: 0.1 }));
  const expected = 2 + Math.log(Math.exp(-0.1) + Math.exp(-0.5) + Math.exp(-2) + Math.exp(-7));
  assert.ok(Math.abs(rbfLoss(y, [1]) - expected) < 1e-12);
});

test("stable for distances far outside exp's range", () => {
  // e^−1000 underflows to 0 and e^800 overflows: a naive formula gives −Infinity or NaN.
  // All distances huge: log(e^−j + tiny) → −j, so E = 1000 − 0.1.
  assert.ok(Math.abs(rbfLoss(tensor([1, 2], [1000, 1001]), [0]) - 999.9) < 1e-9);
  // A huge negative distance dominates the sum: E = −800 + 800 + log(1 + e^−799.9 + …) ≈ 0.
  assert.ok(Math.abs(rbfLoss(tensor([1, 2], [-800, 0]), [0])) < 1e-9);
  const dy = rbfLossBackward(tensor([1, 2], [1000, 1001]), [0]);
  assert.ok(dy.data.every(Number.isFinite));
  assertClose(dy.data, [1, 0], { atol: 1e-12 });
});

test("labels may be number[], Int32Array or Uint8Array", () => {
  const y = tensor([2, 3], [1, 2, 3, 3, 2, 1]);
  const a = rbfLoss(y, [2, 0]);
  assert.equal(rbfLoss(y, Int32Array.from([2, 0])), a);
  assert.equal(rbfLoss(y, Uint8Array.from([2, 0])), a);
});

test("bad labels or j throw a RangeError", () => {
  const y = tensor([2, 10], new Array(20).fill(1));
  assert.throws(() => rbfLoss(y, [0, 10]), /rbfLoss: label 10 at index 1 is not a class in 0..9/);
  assert.throws(() => rbfLoss(y, [0, -1]), RangeError);
  assert.throws(() => rbfLoss(y, [0, 1.5]), RangeError);
  assert.throws(() => rbfLoss(y, [0]), /2 rows, labels 1/);
  assert.throws(() => rbfLossBackward(y, [0, 10]), /rbfLossBackward: label 10/);
  assert.throws(() => rbfLoss(y, [0, 1], { j: 0 }), /j must be positive/);
  assert.throws(() => rbfLoss(y, [0, 1], { j: Number.NaN }), RangeError);
});

test("doc examples", () => {
  const y = tensor([1, 2], [0, 1]); // distances to unit 0 and unit 1; the label is 0
  const e = rbfLoss(y, [0], { j: 1 }); // 0 + log(e^−1 + e^0 + e^−1) = log(1 + 2/e) ≈ 0.5514
  assert.ok(Math.abs(e - 0.5514) < 1e-4);

  const dy = rbfLossBackward(tensor([1, 2], [0, 1]), [0], { j: 1 }); // [1, 2]
  // s = e^−1 + 1 + e^−1: dy = [1 − 1/s, −e^−1/s] ≈ [0.4239, −0.2119]
  assert.deepEqual(dy.shape, [1, 2]);
  assertClose(dy.data, [0.4239, -0.2119], { atol: 1e-4 });

  const predicted = rbfPredict(tensor([2, 3], [5, 1, 7, 0, 2, 2])); // Int32Array [1, 0]
  assert.ok(predicted instanceof Int32Array);
  assert.deepEqual([...predicted], [1, 0]);
});

test("rbfPredict picks the smallest distance, the first on ties", () => {
  assert.deepEqual([...rbfPredict(tensor([1, 4], [3, 2, 2, 9]))], [1]);
});

for (const j of [0.1, 1, 5]) {
  test(`gradient check of dE/dy, 1/N included (Float64, j = ${j})`, () => {
    const rng = new Rng(81);
    const y = randomTensor(rng, [4, 10], { low: 0, high: 6 });
    const labels = [3, 0, 9, 3];
    const dy = rbfLossBackward(y, labels, { j });
    assert.ok(dy.data instanceof Float64Array);
    assertGradient(() => rbfLoss(y, labels, { j }), y, dy, { label: "rbfLoss dy" });
  });
}

/** Central second difference of a function of one number. */
function secondDerivative(f: (v: number) => number, at: number, eps = 1e-4): number {
  return (f(at + eps) - 2 * f(at) + f(at - eps)) / (eps * eps);
}

test("rbfLossBackward2: the doc example by hand", () => {
  // x on a prototype, far from the other: only the 2·p_rubbish term is left.
  const d2x = rbfLossBackward2(tensor([1, 1], [0]), tensor([2, 1], [0, 100]), { j: 1 });
  assertClose(d2x.data, [(2 * Math.exp(-1)) / (1 + Math.exp(-1))], { rtol: 1e-6 }); // ≈ 0.5379
});

test("rbfLossBackward2 is the exact Hessian diagonal of RBF + loss (finite differences)", () => {
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
