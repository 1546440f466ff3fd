import { test } from "node:test";
import assert from "node:assert/strict";
import { RBF_BITMAPS, rbfPrototypes } from "../paper";
import { Rng } from "../rng";
import { assertGradient, randomTensor, weightedSum } from "./gradcheck";
import { rbf, rbfBackward, rbfBackward2 } from "./rbf";
import { tensor, zeros } from "./tensor";

const prototypes = () => tensor([10, 84], rbfPrototypes());

test("a prototype's distance to itself is 0; to another is 4 × their Hamming distance", () => {
  // Entries are ±1, so each differing pixel contributes (±2)² = 4.
  const w = prototypes();
  const y = rbf(w, w); // row n = prototype n as input: [10, 10]
  assert.deepEqual(y.shape, [10, 10]);
  for (let n = 0; n < 10; n++) {
    for (let i = 0; i < 10; i++) {
      let hamming = 0;
      for (let k = 0; k < 84; k++) if (RBF_BITMAPS[n][k] !== RBF_BITMAPS[i][k]) hamming++;
      assert.equal(y.data[n * 10 + i], 4 * hamming, `distance from digit ${n} to digit ${i}`);
    }
    assert.equal(y.data[n * 10 + n], 0);
  }
});

test("small hand case: x = [1, 2], prototypes [0, 0] and [1, 0]", () => {
  // |[1, 2] − [0, 0]|² = 1 + 4 = 5; |[1, 2] − [1, 0]|² = 0 + 4 = 4.
  const y = rbf(tensor([1, 2], [1, 2]), tensor([2, 2], [0, 0, 1, 0]));
  assert.deepEqual([...y.data], [5, 4]);
});

test("doc examples", () => {
  const prototypes = tensor([10, 84], rbfPrototypes());
  const x = tensor([1, 84], prototypes.data.subarray(3 * 84, 4 * 84)); // exactly digit 3's bitmap
  const y = rbf(x, prototypes); // [1, 10]; y.data[3] === 0
  assert.deepEqual(y.shape, [1, 10]);
  assert.equal(y.data[3], 0);

  {
    const x = tensor([1, 1], [3]);
    const w = tensor([2, 1], [1, 0]); // two 1-D prototypes
    const { dx, dPrototypes } = rbfBackward(x, w, tensor([1, 2], [1, 1]));
    // dx = [2·(3−1) + 2·(3−0)] = [10], dPrototypes = [−4, −6]
    assert.deepEqual([...dx.data], [10]);
    assert.deepEqual([...dPrototypes.data], [-4, -6]);
  }
});

test("wrong shapes throw a RangeError naming the op and both shapes", () => {
  assert.throws(
    () => rbf(zeros([2, 84]), zeros([10, 80])),
    /rbf prototypes for x \[2, 84\]: expected shape \[\?, 84\], got \[10, 80\]/,
  );
  assert.throws(
    () => rbfBackward(zeros([2, 84]), zeros([10, 84]), zeros([2, 9])),
    /rbfBackward dy/,
  );
});

test("gradient check of dx and dPrototypes (Float64)", () => {
  const rng = new Rng(71);
  const x = randomTensor(rng, [3, 84]);
  const w = tensor([10, 84], rbfPrototypes(), "float64");
  const r = randomTensor(rng, [3, 10]);
  const loss = () => weightedSum(rbf(x, w), r);
  const g = rbfBackward(x, w, r);
  assertGradient(loss, x, g.dx, { label: "rbf dx" });
  assertGradient(loss, w, g.dPrototypes, { label: "rbf dPrototypes" });
});

test("rbfBackward2: Σ_i (2(x − w_i))²·d2y_i, by hand and as the backward with squared factors", () => {
  const byHand = rbfBackward2(tensor([1, 1], [3]), tensor([2, 1], [1, 0]), tensor([1, 2], [1, 1]));
  assert.deepEqual(Array.from(byHand.data), [52]); // (2·2)² + (2·3)²
  const rng = new Rng(7);
  const x = randomTensor(rng, [2, 3]);
  const w = randomTensor(rng, [4, 3]);
  const d2y = randomTensor(rng, [2, 4], { low: 0, high: 1 });
  const second = rbfBackward2(x, w, d2y);
  // One prototype, one feature: the GN term is (∂y/∂x)²·d2y = (2(x − w))²·d2y.
  let expected = 0;
  for (let i = 0; i < 4; i++) expected += (2 * (x.data[0] - w.data[i * 3])) ** 2 * d2y.data[i];
  assert.ok(Math.abs(second.data[0] - expected) < 1e-12);
});
