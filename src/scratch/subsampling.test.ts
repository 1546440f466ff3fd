import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../rng";
import { assertGradient, randomTensor, weightedSum } from "./gradcheck";
import { subsampling, subsamplingBackward, subsamplingBackward2 } from "./subsampling";
import { tensor, zeros, Tensor } from "./tensor";
import { assertClose } from "../test-support/assert-close";

test("4×4 → 2×2 by hand: coefficient × block sum + bias, each channel its own", () => {
  // Channel 0 is the image 1..16 (row-major), channel 1 its negative.
  //    1  2 |  3  4      block sums: 1+2+5+6 = 14    3+4+7+8 = 22
  //    5  6 |  7  8                  9+10+13+14 = 46 11+12+15+16 = 54
  //   ------+------
  //    9 10 | 11 12      channel 0: 0.5 · sum − 1 → 6, 10, 22, 26
  //   13 14 | 15 16      channel 1: 2 · (−sum) + 0 → −28, −44, −92, −108
  const values: number[] = [];
  for (let v = 1; v <= 16; v++) values.push(v, -v);
  const y = subsampling(tensor([1, 4, 4, 2], values), tensor([2], [0.5, 2]), tensor([2], [-1, 0]));
  assert.deepEqual(y.shape, [1, 2, 2, 2]);
  assert.deepEqual([...y.data], [6, -28, 10, -44, 22, -92, 26, -108]);
});

test("LeNet-5 shapes: S2 28→14 with 6 maps, S4 10→5 with 16 maps", () => {
  assert.deepEqual(
    subsampling(zeros([2, 28, 28, 6]), zeros([6]), zeros([6])).shape,
    [2, 14, 14, 6],
  );
  assert.deepEqual(
    subsampling(zeros([2, 10, 10, 16]), zeros([16]), zeros([16])).shape,
    [2, 5, 5, 16],
  );
});

test("an odd height or width throws a RangeError naming the shape", () => {
  assert.throws(
    () => subsampling(zeros([1, 5, 4, 1]), zeros([1]), zeros([1])),
    (e: unknown) =>
      e instanceof RangeError &&
      e.message.includes("subsampling") &&
      e.message.includes("[1, 5, 4, 1]"),
  );
  assert.throws(() => subsampling(zeros([1, 4, 3, 1]), zeros([1]), zeros([1])), /\[1, 4, 3, 1\]/);
  assert.throws(
    () => subsamplingBackward(zeros([1, 3, 3, 1]), zeros([1]), zeros([1, 1, 1, 1])),
    RangeError,
  );
});

test("wrong parameter shapes throw a RangeError naming both shapes", () => {
  assert.throws(
    () => subsampling(zeros([1, 4, 4, 6]), zeros([16]), zeros([6])),
    /subsampling coefficient for x \[1, 4, 4, 6\]: expected shape \[6\], got \[16\]/,
  );
  assert.throws(() => subsampling(zeros([1, 4, 4, 6]), zeros([6]), zeros([1])), /bias/);
  assert.throws(
    () => subsamplingBackward(zeros([1, 4, 4, 6]), zeros([6]), zeros([1, 4, 4, 6])),
    /dy/,
  );
});

test("doc examples", () => {
  const x = tensor([1, 2, 2, 1], [1, 2, 3, 4]);
  const y = subsampling(x, tensor([1], [0.5]), tensor([1], [1])); // [1, 1, 1, 1]: 0.5·10 + 1 = 6
  assert.deepEqual(y.shape, [1, 1, 1, 1]);
  assert.deepEqual([...y.data], [6]);

  const dy = tensor([1, 1, 1, 1], [2]);
  const { dx, dCoefficient, dBias } = subsamplingBackward(x, tensor([1], [0.5]), dy);
  // dx = [1, 1, 1, 1] (0.5 · 2 each), dCoefficient = [20] (2 · 10), dBias = [2]
  assert.deepEqual([...dx.data], [1, 1, 1, 1]);
  assert.deepEqual([...dCoefficient.data], [20]);
  assert.deepEqual([...dBias.data], [2]);
});

test("gradient check of dx, dCoefficient, dBias (Float64)", () => {
  const rng = new Rng(21);
  const x = randomTensor(rng, [2, 6, 4, 3]);
  const coefficient = randomTensor(rng, [3]);
  const bias = randomTensor(rng, [3]);
  const r = randomTensor(rng, [2, 3, 2, 3]);
  const loss = () => weightedSum(subsampling(x, coefficient, bias), r);
  const g = subsamplingBackward(x, coefficient, r);
  assertGradient(loss, x, g.dx, { label: "subsampling dx" });
  assertGradient(loss, coefficient, g.dCoefficient, { label: "subsampling dCoefficient" });
  assertGradient(loss, bias, g.dBias, { label: "subsampling dBias" });
});

const square = (t: Tensor): Tensor => ({ shape: t.shape, data: t.data.map((v) => v * v) });

test("subsamplingBackward2: the doc example by hand, and the backward with squared factors", () => {
  const x = tensor([1, 2, 2, 1], [1, 2, 3, 4]);
  const byHand = subsamplingBackward2(x, tensor([1], [0.5]), tensor([1, 1, 1, 1], [2]));
  // d2x = 0.5²·2 = 0.5 each; hCoefficient = (1 + 4 + 9 + 16)·2 = 60; hBias = 2.
  assert.deepEqual(
    [...byHand.d2x.data, ...byHand.hCoefficient.data, ...byHand.hBias.data],
    [0.5, 0.5, 0.5, 0.5, 60, 2],
  );
  const rng = new Rng(7);
  const c = randomTensor(rng, [3]);
  const xs = randomTensor(rng, [2, 4, 4, 3]);
  const d2y = randomTensor(rng, [2, 2, 2, 3], { low: 0, high: 1 });
  const second = subsamplingBackward2(xs, c, d2y);
  assertClose(second.hCoefficient.data, subsamplingBackward(square(xs), c, d2y).dCoefficient.data);
  assertClose(second.d2x.data, subsamplingBackward(xs, square(c), d2y).dx.data);
  assertClose(second.hBias.data, subsamplingBackward(xs, c, d2y).dBias.data);
});
