import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../rng";
import { dense, denseBackward, denseBackward2 } from "./dense";
import { assertGradient, randomTensor, weightedSum } from "./gradcheck";
import { tensor, zeros, Tensor } from "./tensor";
import { assertClose } from "../test-support/assert-close";

test("two rows by hand: y = x·W + b, W stored [In, Out]", () => {
  // x = [[1, 2], [3, -1]], W = [[1, 2, 0], [0, 1, -1]], b = [0.5, 0, 0]:
  // row 0: [1 + 0, 2 + 2, 0 − 2] + b = [1.5, 4, −2]; row 1: [3, 6 − 1, 0 + 1] + b = [3.5, 5, 1].
  const x = tensor([2, 2], [1, 2, 3, -1]);
  const w = tensor([2, 3], [1, 2, 0, 0, 1, -1]);
  const y = dense(x, w, tensor([3], [0.5, 0, 0]));
  assert.deepEqual(y.shape, [2, 3]);
  assert.deepEqual([...y.data], [1.5, 4, -2, 3.5, 5, 1]);
});

test("LeNet-5 F6 shape: [N, 120] → [N, 84]", () => {
  assert.deepEqual(dense(zeros([3, 120]), zeros([120, 84]), zeros([84])).shape, [3, 84]);
});

test("doc examples", () => {
  const x = tensor([1, 2], [1, 2]);
  const w = tensor([2, 3], [1, 0, 1, 0, 1, 1]); // columns: x0, x1, x0 + x1
  const y = dense(x, w, tensor([3], [0, 0, 10])); // [1, 3]: [1, 2, 13]
  assert.deepEqual(y.shape, [1, 3]);
  assert.deepEqual([...y.data], [1, 2, 13]);

  const { dx, dWeight, dBias } = denseBackward(x, w, tensor([1, 3], [1, 1, 1]));
  // dx = [2, 2] (row sums of W), dWeight = [1, 1, 1, 2, 2, 2], dBias = [1, 1, 1]
  assert.deepEqual([...dx.data], [2, 2]);
  assert.deepEqual([...dWeight.data], [1, 1, 1, 2, 2, 2]);
  assert.deepEqual([...dBias.data], [1, 1, 1]);
});

test("wrong shapes throw a RangeError naming the op and both shapes", () => {
  assert.throws(
    () => dense(zeros([4, 120]), zeros([84, 10]), zeros([10])),
    /dense weight for x \[4, 120\]: expected shape \[120, \?\], got \[84, 10\]/,
  );
  assert.throws(() => dense(zeros([4, 120]), zeros([120, 84]), zeros([10])), /dense bias.*\[10\]/);
  assert.throws(() => dense(zeros([4, 2, 60]), zeros([120, 84]), zeros([84])), /dense x/);
  assert.throws(
    () => denseBackward(zeros([4, 120]), zeros([120, 84]), zeros([4, 10])),
    /denseBackward dy/,
  );
});

test("gradient check of dx, dWeight, dBias (Float64)", () => {
  const rng = new Rng(41);
  const x = randomTensor(rng, [3, 7]);
  const weight = randomTensor(rng, [7, 5]);
  const bias = randomTensor(rng, [5]);
  const r = randomTensor(rng, [3, 5]);
  const loss = () => weightedSum(dense(x, weight, bias), r);
  const g = denseBackward(x, weight, r);
  assertGradient(loss, x, g.dx, { label: "dense dx" });
  assertGradient(loss, weight, g.dWeight, { label: "dense dWeight" });
  assertGradient(loss, bias, g.dBias, { label: "dense dBias" });
});

const square = (t: Tensor): Tensor => ({ shape: t.shape, data: t.data.map((v) => v * v) });

test("denseBackward2: the doc example by hand, and the backward with squared factors", () => {
  const byHand = denseBackward2(
    tensor([1, 2], [1, 2]),
    tensor([2, 1], [3, 4]),
    tensor([1, 1], [2]),
  );
  // d2x = [3²·2, 4²·2] = [18, 32]; hWeight = [1²·2, 2²·2] = [2, 8]; hBias = 2.
  assert.deepEqual(
    [...byHand.d2x.data, ...byHand.hWeight.data, ...byHand.hBias.data],
    [18, 32, 2, 8, 2],
  );
  const rng = new Rng(7);
  const x = randomTensor(rng, [3, 5]);
  const w = randomTensor(rng, [5, 2]);
  const d2y = randomTensor(rng, [3, 2], { low: 0, high: 1 });
  const second = denseBackward2(x, w, d2y);
  assertClose(second.hWeight.data, denseBackward(square(x), w, d2y).dWeight.data);
  assertClose(second.d2x.data, denseBackward(x, square(w), d2y).dx.data);
  assertClose(second.hBias.data, denseBackward(x, w, d2y).dBias.data);
});
