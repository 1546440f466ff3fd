// Tests of raw bytes → network input: hand-checked pixels of the 28→32 centring at the paper's
// levels and the modern ones, and MNIST_MEAN/MNIST_STD recomputed from the training set.
import { test } from "node:test";
import assert from "node:assert/strict";
import { INPUT_BACKGROUND, INPUT_FOREGROUND } from "../paper";
import { assertClose } from "../test-support/assert-close";
import { loadMnist } from "./mnist";
import { MNIST_MEAN, MNIST_STD, normalisePixel, toNetworkInput } from "./preprocess";

const f32 = Math.fround;

/** One 28×28 image, background except the listed [row, col, value] pixels. */
function image(...pixels: [number, number, number][]): Uint8Array {
  const out = new Uint8Array(28 * 28);
  for (const [row, col, value] of pixels) out[row * 28 + col] = value;
  return out;
}

test("doc example: normalisePixel maps background and ink to the paper's levels exactly", () => {
  assert.equal(normalisePixel(0, "paper"), -0.1);
  assert.equal(normalisePixel(255, "paper"), 1.175);
  assert.equal(normalisePixel(0, "paper"), INPUT_BACKGROUND);
  assert.equal(normalisePixel(255, "paper"), INPUT_FOREGROUND);
  // 51/255 = 0.2 of the way: −0.1·0.8 + 1.175·0.2 = −0.08 + 0.235 = 0.155
  assert.ok(Math.abs(normalisePixel(51, "paper") - 0.155) < 1e-12);
});

test("paper, size 32: the digit sits 2 pixels in; the 240 border pixels are −0.1", () => {
  // Ink at the digit's top-left (0,0), bottom-right (27,27) and a 20 % grey at (5,10).
  const out = toNetworkInput(image([0, 0, 255], [27, 27, 255], [5, 10, 51]), 1);
  assert.equal(out.length, 1 * 32 * 32 * 1); // [1, 32, 32, 1]
  const at = (row: number, col: number) => out[row * 32 + col];
  assert.equal(at(0, 0), f32(-0.1)); // field corner: border
  assert.equal(at(31, 31), f32(-0.1));
  assert.equal(at(2, 2), f32(1.175)); // digit (0,0) → field (0+2, 0+2)
  assert.equal(at(29, 29), f32(1.175)); // digit (27,27) → field (29, 29)
  assertClose([at(7, 12)], [0.155], { atol: 1e-6 }); // digit (5,10) → field (7, 12)
  assert.equal(at(3, 3), f32(-0.1)); // a background pixel inside the digit's field
  let border = 0;
  for (let row = 0; row < 32; row++) {
    for (let col = 0; col < 32; col++) {
      if (row < 2 || row >= 30 || col < 2 || col >= 30) {
        assert.equal(at(row, col), f32(-0.1), `border (${row}, ${col})`);
        border++;
      }
    }
  }
  assert.equal(border, 32 * 32 - 28 * 28); // 240
});

test("size 28 keeps the pixels where they are", () => {
  const out = toNetworkInput(image([0, 0, 255], [27, 27, 255]), 1, { size: 28 });
  assert.equal(out.length, 28 * 28); // [1, 28, 28, 1]
  assert.equal(out[0], f32(1.175));
  assert.equal(out[27 * 28 + 27], f32(1.175));
  assert.equal(out[1], f32(-0.1));
});

test("several images: image n starts at n·size·size", () => {
  const two = new Uint8Array(2 * 784);
  two.set(image([0, 0, 255]), 784); // only the second image has ink
  const out = toNetworkInput(two, 2); // [2, 32, 32, 1]
  assert.equal(out.length, 2 * 1024);
  assert.equal(out[2 * 32 + 2], f32(-0.1)); // image 0, field (2,2)
  assert.equal(out[1024 + 2 * 32 + 2], f32(1.175)); // image 1, field (2,2)
});

test("modern: (p/255 − 0.1307)/0.3081, and the 32×32 border is the normalised background", () => {
  const out = toNetworkInput(image([0, 0, 255]), 1, { normalisation: "modern" });
  const background = (0 - 0.1307) / 0.3081; // −0.42421…
  const ink = (1 - 0.1307) / 0.3081; // 2.82148…
  assertClose([out[0], out[2 * 32 + 2], out[3 * 32 + 3]], [background, ink, background], {
    atol: 1e-6,
  });
  assert.notEqual(out[0], 0);
});

test("doc example: the real test set as paper input", () => {
  const { images, count } = loadMnist({ split: "test" });
  const inputs = toNetworkInput(images, count); // [10000, 32, 32, 1], paper levels
  assert.equal(inputs.length, 10000 * 32 * 32);
  assert.equal(inputs[0], f32(-0.1)); // a border pixel
  let min = Infinity;
  let max = -Infinity;
  for (const v of inputs) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  assert.deepEqual([min, max], [f32(-0.1), f32(1.175)]);
});

test("MNIST_MEAN and MNIST_STD are the training set's pixel mean and std (4 decimals)", () => {
  const { images } = loadMnist({ split: "train" });
  // A 256-bin histogram makes the sums exact and quick.
  const histogram = new Float64Array(256);
  for (const p of images) histogram[p]++;
  let sum = 0;
  for (let p = 0; p < 256; p++) sum += histogram[p] * (p / 255);
  const mean = sum / images.length;
  let squares = 0;
  for (let p = 0; p < 256; p++) squares += histogram[p] * (p / 255 - mean) ** 2;
  const std = Math.sqrt(squares / images.length);
  assert.equal(mean.toFixed(4), MNIST_MEAN.toFixed(4), `mean ${mean}`);
  assert.equal(std.toFixed(4), MNIST_STD.toFixed(4), `std ${std}`);
});

test("a byte count that does not match count·784, or another size, is a RangeError", () => {
  assert.throws(() => toNetworkInput(new Uint8Array(784 * 2), 1), /784/);
  assert.throws(
    () => toNetworkInput(new Uint8Array(784), 1, { size: 30 as 32 }),
    /size must be 28 or 32/,
  );
});
