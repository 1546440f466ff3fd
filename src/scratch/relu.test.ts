import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../rng";
import { assertGradient, randomTensor, weightedSum } from "./gradcheck";
import { relu, reluBackward, reluBackward2 } from "./relu";
import { tensor } from "./tensor";

test("doc examples: negatives and zero become 0; the gradient at 0 is 0", () => {
  const y = relu(tensor([3], [-2, 0, 3])); // [0, 0, 3]
  assert.deepEqual([...y.data], [0, 0, 3]);
  const dx = reluBackward(tensor([3], [-2, 0, 3]), tensor([3], [5, 5, 5])); // [0, 0, 5]
  assert.deepEqual([...dx.data], [0, 0, 5]);
});

test("keeps shape and array type", () => {
  const x = tensor([1, 2, 2, 1], [-1, 2, -3, 4], "float64");
  const y = relu(x);
  assert.deepEqual(y.shape, [1, 2, 2, 1]);
  assert.ok(y.data instanceof Float64Array);
  assert.deepEqual([...y.data], [0, 2, 0, 4]);
});

test("shape mismatch of dy throws a RangeError", () => {
  assert.throws(() => reluBackward(tensor([2], [1, 1]), tensor([1], [1])), /reluBackward dy/);
});

test("gradient check of dx (Float64)", () => {
  const rng = new Rng(51);
  const x = randomTensor(rng, [2, 4, 4, 3]); // no value within eps of the kink at 0
  const r = randomTensor(rng, [2, 4, 4, 3]);
  assertGradient(() => weightedSum(relu(x), r), x, reluBackward(x, r), { label: "relu dx" });
});

test("reluBackward2: d2y where x > 0, as the gradient travels", () => {
  assert.deepEqual(
    Array.from(reluBackward2(tensor([3], [-2, 0, 3]), tensor([3], [5, 5, 5])).data),
    [0, 0, 5],
  );
});

test("relu keeps NaN (as tfjs does), so a diverged input is not hidden as 0", () => {
  assert.ok(Number.isNaN(relu(tensor([1], [NaN])).data[0]));
});
