import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../rng";
import { assertGradient, randomTensor, weightedSum } from "./gradcheck";
import { maxPool, maxPoolBackward, maxPoolBackward2 } from "./max-pool";
import { tensor, zeros } from "./tensor";

test("4×4 → 2×2 by hand, with a tie routed to the first maximum", () => {
  //   1 3 | 2 2      block maxima: 4 (bottom-right), 2 (tie: all four equal 2),
  //   0 4 | 2 2                    9 (top-left),    8 (top-right and bottom-left tie)
  //   ----+----
  //   9 1 | 7 8
  //   5 6 | 8 0
  const x = tensor([1, 4, 4, 1], [1, 3, 2, 2, 0, 4, 2, 2, 9, 1, 7, 8, 5, 6, 8, 0]);
  const y = maxPool(x);
  assert.deepEqual(y.shape, [1, 2, 2, 1]);
  assert.deepEqual([...y.data], [4, 2, 9, 8]);
  // The gradients 10, 20, 30, 40 land on each block's (first) maximum:
  // block 0 → (1, 1); block 1 all tied → its top-left (0, 2); block 2 → (2, 0);
  // block 3 tie between top-right (2, 3) and bottom-left (3, 2) → top-right, first in row-major order.
  const dx = maxPoolBackward(x, tensor([1, 2, 2, 1], [10, 20, 30, 40]));
  assert.deepEqual([...dx.data], [0, 0, 20, 0, 0, 10, 0, 0, 30, 0, 0, 40, 0, 0, 0, 0]);
});

test("channels are pooled independently", () => {
  // One 2×2 block with two channels: channel 0 = [1, 2, 3, 4], channel 1 = [8, 7, 6, 5].
  const y = maxPool(tensor([1, 2, 2, 2], [1, 8, 2, 7, 3, 6, 4, 5]));
  assert.deepEqual([...y.data], [4, 8]);
});

test("doc examples", () => {
  const x = tensor([1, 2, 2, 1], [1, 4, 3, 2]);
  const y = maxPool(x); // [1, 1, 1, 1]: [4]
  assert.deepEqual(y.shape, [1, 1, 1, 1]);
  assert.deepEqual([...y.data], [4]);

  {
    const x = tensor([1, 2, 2, 1], [5, 5, 1, 2]); // a tie between the top two
    const dx = maxPoolBackward(x, tensor([1, 1, 1, 1], [3])); // [3, 0, 0, 0]: top-left wins
    assert.deepEqual([...dx.data], [3, 0, 0, 0]);
  }
});

test("modern net shapes and odd sizes", () => {
  assert.deepEqual(maxPool(zeros([2, 28, 28, 6])).shape, [2, 14, 14, 6]);
  assert.throws(
    () => maxPool(zeros([1, 5, 5, 16])),
    (e: unknown) =>
      e instanceof RangeError &&
      e.message.includes("maxPool") &&
      e.message.includes("[1, 5, 5, 16]"),
  );
  assert.throws(
    () => maxPoolBackward(zeros([1, 4, 4, 1]), zeros([1, 2, 2, 2])),
    /maxPoolBackward dy/,
  );
});

test("gradient check of dx (Float64, random values: no ties)", () => {
  const rng = new Rng(61);
  const x = randomTensor(rng, [2, 4, 6, 3]);
  const r = randomTensor(rng, [2, 2, 3, 3]);
  assertGradient(() => weightedSum(maxPool(x), r), x, maxPoolBackward(x, r), {
    label: "maxPool dx",
  });
});

test("maxPoolBackward2: d2y to each block's maximum", () => {
  const d2x = maxPoolBackward2(tensor([1, 2, 2, 1], [1, 4, 3, 2]), tensor([1, 1, 1, 1], [7]));
  assert.deepEqual(Array.from(d2x.data), [0, 7, 0, 0]);
});
