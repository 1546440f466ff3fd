import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../rng";
import { assertGradient, randomTensor, weightedSum } from "./gradcheck";
import { avgPool, avgPoolBackward, avgPoolBackward2 } from "./avg-pool";
import { maxPool } from "./max-pool";
import { tensor, zeros } from "./tensor";

test("4×4 → 2×2 by hand: each output the mean of its block, beside max pooling's", () => {
  //   1 3 | 2 2      means: (1+3+0+4)/4 = 2, 2, (9+1+5+6)/4 = 5.25, (7+8+8+0)/4 = 5.75
  //   0 4 | 2 2      maxima:               4, 2,                  9,                 8
  //   ----+----
  //   9 1 | 7 8
  //   5 6 | 8 0
  const x = tensor([1, 4, 4, 1], [1, 3, 2, 2, 0, 4, 2, 2, 9, 1, 7, 8, 5, 6, 8, 0]);
  assert.deepEqual([...avgPool(x).data], [2, 2, 5.25, 5.75]);
  assert.deepEqual([...maxPool(x).data], [4, 2, 9, 8]);
  // Backward: a quarter of each block's dy to all four of its inputs.
  const dx = avgPoolBackward(x, tensor([1, 2, 2, 1], [4, 8, 12, 16]));
  assert.deepEqual([...dx.data], [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  // Second derivatives: (¼)² of each block's d2y.
  const d2x = avgPoolBackward2(x, tensor([1, 2, 2, 1], [16, 32, 48, 64]));
  assert.deepEqual([...d2x.data], [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
});

test("doc examples, channels pooled independently, odd sizes refused", () => {
  assert.deepEqual([...avgPool(tensor([1, 2, 2, 1], [1, 2, 3, 6])).data], [3]);
  assert.deepEqual(
    [...avgPoolBackward(zeros([1, 2, 2, 1]), tensor([1, 1, 1, 1], [8])).data],
    [2, 2, 2, 2],
  );
  assert.deepEqual(
    [...avgPoolBackward2(zeros([1, 2, 2, 1]), tensor([1, 1, 1, 1], [16])).data],
    [1, 1, 1, 1],
  );
  assert.deepEqual([...avgPool(tensor([1, 2, 2, 2], [1, 8, 2, 7, 3, 6, 4, 5])).data], [2.5, 6.5]);
  assert.deepEqual(avgPool(zeros([2, 28, 28, 6])).shape, [2, 14, 14, 6]);
  assert.throws(() => avgPool(zeros([1, 5, 5, 16])), /avgPool.*\[1, 5, 5, 16\]/);
  assert.throws(
    () => avgPoolBackward(zeros([1, 4, 4, 1]), zeros([1, 2, 2, 2])),
    /avgPoolBackward dy/,
  );
});

test("gradient check of dx (Float64)", () => {
  const rng = new Rng(62);
  const x = randomTensor(rng, [2, 4, 6, 3]);
  const r = randomTensor(rng, [2, 2, 3, 3]);
  assertGradient(() => weightedSum(avgPool(x), r), x, avgPoolBackward(x, r), {
    label: "avgPool dx",
  });
});

test("avgPoolBackward2 is exact: the second derivative of ½·(Σ r·y)² along each input", () => {
  // E = ½ (Σ r·avgPool(x))² has ∂²E/∂x_i² = (∂(Σ r·y)/∂x_i)² = (r_block/4)², the rule with
  // d2y = r² (a one-output chain, so no cross term is dropped).
  const rng = new Rng(63);
  const x = randomTensor(rng, [1, 2, 4, 2]);
  const r = randomTensor(rng, [1, 1, 2, 2]);
  const d2y = tensor(
    r.shape,
    Float64Array.from(r.data, (v) => v * v),
    "float64",
  );
  const rule = avgPoolBackward2(x, d2y);
  rule.data.forEach((value, i) => {
    const column = Math.floor(i / 2) % 4; // x is [1, 2, 4, 2]: i = (row·4 + column)·2 + c
    const block = Math.floor(column / 2) * 2 + (i % 2); // output (ox, c) of input i's block
    assert.ok(Math.abs(value - (r.data[block] / 4) ** 2) < 1e-15, `input ${i}`);
  });
});
