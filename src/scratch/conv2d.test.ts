import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";
import { conv2d, conv2dBackward, conv2dBackward2 } from "./conv2d";
import { assertGradient, randomTensor, weightedSum } from "./gradcheck";
import { tensor, zeros, Tensor } from "./tensor";

// The 4×4 image used by the hand cases:
//    1  2  3  4
//    5  6  7  8
//    9 10 11 12
//   13 14 15 16
const image4x4 = () =>
  tensor(
    [1, 4, 4, 1],
    Array.from({ length: 16 }, (_, i) => i + 1),
  );

test("3×3 all-ones kernel on a 4×4 image: sums of the four 3×3 windows plus bias", () => {
  // Top-left window 1+2+3+5+6+7+9+10+11 = 54; one step right adds 3 per row: 54 + 9 = 63;
  // one step down adds 4 per column: 54 + 36 = 90; both: 99. Bias 1 on top.
  const y = conv2d(image4x4(), tensor([3, 3, 1, 1], new Array(9).fill(1)), tensor([1], [1]));
  assert.deepEqual(y.shape, [1, 2, 2, 1]);
  assert.deepEqual([...y.data], [55, 64, 91, 100]);
});

test("cross-correlation, not convolution: a top-right tap reads x[oy, ox + 2]", () => {
  // Kernel with a single 1 at (ky, kx) = (0, 2): y[oy, ox] = x[oy, ox + 2] = 3, 4, 7, 8.
  // A flipped (true) convolution would read x[oy + 2, ox] = 9, 10, 13, 14 instead.
  const kernel = tensor([3, 3, 1, 1], [0, 0, 1, 0, 0, 0, 0, 0, 0]);
  const y = conv2d(image4x4(), kernel, tensor([1], [0]));
  assert.deepEqual([...y.data], [3, 4, 7, 8]);
});

test("padding 1: a 2×2 all-ones kernel on a 2×2 image gives a 3×3 output", () => {
  // x = [1 2; 3 4] padded by a ring of zeros; each output sums the 2×2 window it sees:
  //   1  1+2  2        1  3  2
  //  1+3 all 2+4   =   4 10  6
  //   3  3+4  4        3  7  4
  const x = tensor([1, 2, 2, 1], [1, 2, 3, 4]);
  const y = conv2d(x, tensor([2, 2, 1, 1], [1, 1, 1, 1]), tensor([1], [0]), { padding: 1 });
  assert.deepEqual(y.shape, [1, 3, 3, 1]);
  assert.deepEqual([...y.data], [1, 3, 2, 4, 10, 6, 3, 7, 4]);
});

test("multi-channel 1×1 kernel is a matrix product over channels (layout [K, K, Cin, Cout])", () => {
  // x has Cin = 2 values [1, 2]; kernel[0, 0] = [[1, 2, 3], [4, 5, 6]] (row = input channel):
  // y = [1·1 + 2·4, 1·2 + 2·5, 1·3 + 2·6] + bias = [9, 12, 15] + [0, 10, 100].
  const x = tensor([1, 1, 1, 2], [1, 2]);
  const kernel = tensor([1, 1, 2, 3], [1, 2, 3, 4, 5, 6]);
  const y = conv2d(x, kernel, tensor([3], [0, 10, 100]));
  assert.deepEqual(y.shape, [1, 1, 1, 3]);
  assert.deepEqual([...y.data], [9, 22, 115]);
});

test("LeNet-5 shapes: C1 32→28, C5 5→1, the modern net's padded C1 28→28", () => {
  const c1 = conv2d(zeros([2, 32, 32, 1]), zeros([5, 5, 1, 6]), zeros([6]));
  assert.deepEqual(c1.shape, [2, 28, 28, 6]);
  const c5 = conv2d(zeros([2, 5, 5, 16]), zeros([5, 5, 16, 120]), zeros([120]));
  assert.deepEqual(c5.shape, [2, 1, 1, 120]);
  const modern = conv2d(zeros([2, 28, 28, 1]), zeros([5, 5, 1, 6]), zeros([6]), { padding: 2 });
  assert.deepEqual(modern.shape, [2, 28, 28, 6]);
  const multi = conv2d(zeros([3, 8, 7, 3]), zeros([3, 2, 3, 4]), zeros([4]));
  assert.deepEqual(multi.shape, [3, 6, 6, 4]);
});

test("output keeps the input's array type (Float64 in, Float64 out)", () => {
  const x = zeros([1, 3, 3, 1], "float64");
  assert.ok(conv2d(x, zeros([2, 2, 1, 1]), zeros([1])).data instanceof Float64Array);
  assert.ok(
    conv2d(zeros([1, 3, 3, 1]), zeros([2, 2, 1, 1]), zeros([1])).data instanceof Float32Array,
  );
});

test("wrong shapes throw a RangeError naming the op and both shapes", () => {
  const x = zeros([1, 32, 32, 3]);
  assert.throws(
    () => conv2d(x, zeros([5, 5, 1, 6]), zeros([6])),
    (e: unknown) => {
      assert.ok(e instanceof RangeError);
      assert.match(e.message, /conv2d/);
      assert.match(e.message, /\[1, 32, 32, 3\]/);
      assert.match(e.message, /\[5, 5, 1, 6\]/);
      return true;
    },
  );
  assert.throws(() => conv2d(x, zeros([5, 5, 3, 6]), zeros([5])), /conv2d bias.*\[5\]/);
  assert.throws(() => conv2d(zeros([1, 3, 3, 1]), zeros([5, 5, 1, 1]), zeros([1])), RangeError);
  assert.throws(() => conv2d(x, zeros([5, 5, 3, 6]), zeros([6]), { padding: -1 }), /padding/);
  assert.throws(
    () => conv2dBackward(x, zeros([5, 5, 3, 6]), zeros([1, 27, 28, 6])),
    /conv2dBackward dy.*\[1, 28, 28, 6\].*\[1, 27, 28, 6\]/,
  );
});

test("doc examples", () => {
  const x = tensor([1, 3, 3, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const k = tensor([2, 2, 1, 1], [1, 0, 0, 1]); // adds each pixel to its lower-right neighbour
  const y = conv2d(x, k, tensor([1], [0.5])); // [1, 2, 2, 1]: 6.5, 8.5, 12.5, 14.5
  assert.deepEqual(y.shape, [1, 2, 2, 1]);
  assert.deepEqual([...y.data], [6.5, 8.5, 12.5, 14.5]);

  const dy = tensor([1, 2, 2, 1], [1, 1, 1, 1]); // loss = Σ y
  const { dKernel, dBias } = conv2dBackward(x, k, dy);
  // dKernel[ky, kx] = Σ of the 2×2 block tap (ky, kx) sees: [12, 16, 24, 28]; dBias = [4]
  assert.deepEqual([...dKernel.data], [12, 16, 24, 28]);
  assert.deepEqual([...dBias.data], [4]);
});

test("backward by hand: loss = Σ y, dx counts how many windows cover each pixel", () => {
  // 2×2 all-ones kernel on a 3×3 image: the centre pixel is in all 4 windows, edges in 2,
  // corners in 1; dx = (number of windows) · (kernel weight 1).
  const x = tensor([1, 3, 3, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const { dx } = conv2dBackward(
    x,
    tensor([2, 2, 1, 1], [1, 1, 1, 1]),
    tensor([1, 2, 2, 1], [1, 1, 1, 1]),
  );
  assert.deepEqual([...dx.data], [1, 2, 1, 2, 4, 2, 1, 2, 1]);
});

for (const padding of [0, 1, 2]) {
  test(`gradient check of dx, dKernel, dBias (Float64, padding ${padding})`, () => {
    const rng = new Rng(10 + padding);
    const x = randomTensor(rng, [2, 5, 6, 3]);
    const kernel = randomTensor(rng, [3, 2, 3, 4]);
    const bias = randomTensor(rng, [4]);
    const r = randomTensor(rng, [2, 5 + 2 * padding - 2, 6 + 2 * padding - 1, 4]);
    const loss = () => weightedSum(conv2d(x, kernel, bias, { padding }), r);
    const g = conv2dBackward(x, kernel, r, { padding });
    assertGradient(loss, x, g.dx, { label: "conv2d dx" });
    assertGradient(loss, kernel, g.dKernel, { label: "conv2d dKernel" });
    assertGradient(loss, bias, g.dBias, { label: "conv2d dBias" });
  });
}

test("Float32 forward agrees with Float64 forward", () => {
  const rng = new Rng(3);
  const x64 = randomTensor(rng, [1, 12, 12, 2]);
  const k64 = randomTensor(rng, [5, 5, 2, 3]);
  const b64 = randomTensor(rng, [3]);
  const y64 = conv2d(x64, k64, b64);
  const to32 = (t: typeof x64) => tensor(t.shape, t.data, "float32");
  const y32 = conv2d(to32(x64), to32(k64), to32(b64));
  assert.ok(y32.data instanceof Float32Array);
  assertClose(y32.data, y64.data, { atol: 1e-5, rtol: 1e-5, label: "conv2d float32 vs float64" });
});

const square = (t: Tensor): Tensor => ({ shape: t.shape, data: t.data.map((v) => v * v) });

test("conv2dBackward2: the doc example by hand, and the backward with squared factors", () => {
  const x = tensor([1, 2, 2, 1], [1, 2, 3, 4]);
  const byHand = conv2dBackward2(x, tensor([1, 1, 1, 1], [3]), tensor([1, 2, 2, 1], [1, 1, 1, 1]));
  // d2x = 3²·1 each; hKernel = Σ x² = 1 + 4 + 9 + 16 = 30; hBias = four outputs · 1.
  assert.deepEqual(
    [...byHand.d2x.data, ...byHand.hKernel.data, ...byHand.hBias.data],
    [9, 9, 9, 9, 30, 4],
  );
  const rng = new Rng(7);
  const xs = randomTensor(rng, [2, 5, 5, 3]);
  const k = randomTensor(rng, [3, 3, 3, 4]);
  const d2y = randomTensor(rng, [2, 5, 5, 4], { low: 0, high: 1 });
  const padded = { padding: 1 };
  const second = conv2dBackward2(xs, k, d2y, padded);
  assertClose(second.hKernel.data, conv2dBackward(square(xs), k, d2y, padded).dKernel.data);
  assertClose(second.d2x.data, conv2dBackward(xs, square(k), d2y, padded).dx.data);
  assertClose(second.hBias.data, conv2dBackward(xs, k, d2y, padded).dBias.data);
});
