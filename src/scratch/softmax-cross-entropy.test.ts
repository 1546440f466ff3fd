import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";
import { assertGradient, randomTensor } from "./gradcheck";
import {
  softmax,
  softmaxCrossEntropy,
  softmaxCrossEntropyBackward,
  softmaxCrossEntropyBackward2,
} from "./softmax-cross-entropy";
import { tensor } from "./tensor";

test("uniform logits give log C for any label", () => {
  // softmax is 1/C everywhere, so −log(1/C) = log C, whatever the (equal) logit value.
  assert.ok(
    Math.abs(softmaxCrossEntropy(tensor([2, 3], [5, 5, 5, -2, -2, -2]), [0, 2]) - Math.log(3)) <
      1e-12,
  );
  assert.ok(
    Math.abs(softmaxCrossEntropy(tensor([1, 10], new Array(10).fill(0)), [4]) - Math.log(10)) <
      1e-12,
  );
});

test("hand case: logits [0, log 3] give probabilities [1/4, 3/4]", () => {
  const logits = tensor([1, 2], [0, Math.log(3)], "float64");
  assertClose(softmax(logits).data, [0.25, 0.75], { atol: 1e-15 });
  assert.ok(Math.abs(softmaxCrossEntropy(logits, [1]) - Math.log(4 / 3)) < 1e-12);
  assert.ok(Math.abs(softmaxCrossEntropy(logits, [0]) - Math.log(4)) < 1e-12);
});

test("stable for huge logits (subtracts the row maximum)", () => {
  const logits = tensor([1, 2], [1000, 0], "float64");
  assertClose(softmax(logits).data, [1, 0], { atol: 1e-15 });
  assert.ok(Math.abs(softmaxCrossEntropy(logits, [0])) < 1e-12);
  assert.ok(Math.abs(softmaxCrossEntropy(logits, [1]) - 1000) < 1e-9);
  assert.ok(softmaxCrossEntropyBackward(logits, [1]).data.every(Number.isFinite));
});

test("softmax rows are positive and sum to 1", () => {
  const rng = new Rng(91);
  const p = softmax(randomTensor(rng, [5, 7], { low: -10, high: 10 }));
  for (let n = 0; n < 5; n++) {
    const row = p.data.subarray(n * 7, n * 7 + 7);
    assert.ok(row.every((v) => v > 0));
    assert.ok(Math.abs(Array.from(row).reduce((a, b) => a + b, 0) - 1) < 1e-12);
  }
});

test("doc examples", () => {
  const p = softmax(tensor([1, 2], [0, Math.log(3)])); // [1, 2]: [0.25, 0.75]
  assertClose(p.data, [0.25, 0.75], { atol: 1e-7 });

  const loss = softmaxCrossEntropy(tensor([1, 10], new Array(10).fill(0)), [7]); // uniform: log 10 ≈ 2.3026
  assert.ok(Math.abs(loss - 2.3026) < 1e-4);

  const dz = softmaxCrossEntropyBackward(tensor([1, 2], [0, Math.log(3)]), [1]); // [0.25, −0.25]
  assertClose(dz.data, [0.25, -0.25], { atol: 1e-7 });
});

test("bad labels or shapes throw a RangeError", () => {
  const logits = tensor([2, 3], [0, 0, 0, 0, 0, 0]);
  assert.throws(
    () => softmaxCrossEntropy(logits, [0, 3]),
    /softmaxCrossEntropy: label 3 at index 1/,
  );
  assert.throws(() => softmaxCrossEntropy(logits, [0]), /2 rows, labels 1/);
  assert.throws(() => softmaxCrossEntropyBackward(logits, [0, -1]), RangeError);
  assert.throws(() => softmax(tensor([6], [0, 0, 0, 0, 0, 0])), /softmax logits/);
});

test("gradient check: (softmax − onehot) / N (Float64)", () => {
  const rng = new Rng(92);
  const logits = randomTensor(rng, [4, 10], { low: -3, high: 3 });
  const labels = Uint8Array.from([1, 1, 7, 0]);
  const dz = softmaxCrossEntropyBackward(logits, labels);
  assertGradient(() => softmaxCrossEntropy(logits, labels), logits, dz, { label: "softmaxCE dz" });
});

/** Central second difference of a function of one number. */
function secondDerivative(f: (v: number) => number, at: number, eps = 1e-4): number {
  return (f(at + eps) - 2 * f(at) + f(at - eps)) / (eps * eps);
}

test("softmaxCrossEntropyBackward2: p(1 − p), the exact Hessian diagonal (by hand and by finite differences)", () => {
  assert.deepEqual(
    Array.from(softmaxCrossEntropyBackward2(tensor([1, 2], [0, 0])).data),
    [0.25, 0.25],
  );
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
