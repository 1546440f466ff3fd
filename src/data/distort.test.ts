// Tests of the random affine distortions: identity leaves images untouched, hand-worked
// translations, half-pixel bilinear blends, scaling, squeezing and shearing on tiny images, and
// determinism for a given Rng state.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../rng";
import { INPUT_BACKGROUND } from "../paper";
import { assertClose } from "../test-support/assert-close";
import { loadMnist } from "./mnist";
import { normalisePixel, toNetworkInput } from "./preprocess";
import {
  DEFAULT_DISTORTION,
  IDENTITY_DISTORTION,
  distortBatch,
  paperDistortion,
  randomDistortion,
  warpImage,
  type DistortHook,
} from "./distort";

const B = Math.fround(INPUT_BACKGROUND);

/** A size×size image of background with the given [row, col, value] pixels. */
function drawn(size: number, ...pixels: [number, number, number][]): Float32Array {
  const out = new Float32Array(size * size).fill(INPUT_BACKGROUND);
  for (const [row, col, value] of pixels) out[row * size + col] = value;
  return out;
}

/** A 5×5 image with every pixel distinct: value = 10·row + col. */
function ramp(): Float32Array {
  return Float32Array.from({ length: 25 }, (_, i) => 10 * Math.floor(i / 5) + (i % 5));
}

test("doc example: warpImage moves a dot one pixel right", () => {
  const source = new Float32Array(9).fill(-0.1);
  source[4] = 1; // centre of a 3×3 image
  const target = new Float32Array(9);
  warpImage(source, target, 3, { ...IDENTITY_DISTORTION, translateX: 1 }, -0.1);
  assert.equal(target[5], 1);
  assert.equal(target[4], B); // where it was is now background
  assert.equal(target[3], B); // column 0 reads from column −1: off the image
});

test("identity parameters leave an image exactly unchanged", () => {
  const source = ramp();
  const target = new Float32Array(25);
  warpImage(source, target, 5, IDENTITY_DISTORTION, INPUT_BACKGROUND);
  assert.deepEqual(target, source);
});

test("distortBatch with all ranges 0 leaves every image unchanged", () => {
  const images = new Float32Array(3 * 25);
  for (let n = 0; n < 3; n++)
    images.set(
      ramp().map((v) => v + 100 * n),
      n * 25,
    );
  const before = images.slice();
  const zero = { maxTranslate: 0, maxScale: 0, maxSqueeze: 0, maxShear: 0 };
  distortBatch(images, 3, 5, new Rng(1), zero);
  assert.deepEqual(images, before);
});

test("a translation by 1 px shifts a hand-made image by one pixel; the edge fills with background", () => {
  // An "L": column 1 rows 1–3, plus (3, 2).
  const source = drawn(5, [1, 1, 1], [2, 1, 1], [3, 1, 1], [3, 2, 0.5]);
  const right = new Float32Array(25);
  warpImage(source, right, 5, { ...IDENTITY_DISTORTION, translateX: 1 }, INPUT_BACKGROUND);
  assert.deepEqual(right, drawn(5, [1, 2, 1], [2, 2, 1], [3, 2, 1], [3, 3, 0.5]));

  const down = new Float32Array(25);
  warpImage(ramp(), down, 5, { ...IDENTITY_DISTORTION, translateY: 1 }, -7);
  // Row r of the output is row r − 1 of the ramp; row 0 reads row −1: background −7.
  assert.deepEqual(Array.from(down.subarray(0, 5)), [-7, -7, -7, -7, -7]);
  assert.deepEqual(Array.from(down.subarray(5, 10)), [0, 1, 2, 3, 4]);
  assert.deepEqual(Array.from(down.subarray(20, 25)), [30, 31, 32, 33, 34]);
});

test("a half-pixel translation blends neighbours bilinearly", () => {
  // out(x) = in(x − 0.5) = ½·in(x − 1) + ½·in(x); row 0 of the ramp is 0 1 2 3 4, and
  // column 0 blends with the background −1: ½·(−1) + ½·0 = −0.5 (row 4: ½·(−1) + ½·40 = 19.5).
  const target = new Float32Array(25);
  warpImage(ramp(), target, 5, { ...IDENTITY_DISTORTION, translateX: 0.5 }, -1);
  assertClose(target.subarray(0, 5), [-0.5, 0.5, 1.5, 2.5, 3.5]);
  assertClose(target.subarray(20, 25), [19.5, 40.5, 41.5, 42.5, 43.5]); // row 4: 40 … 44
});

test("scaling by 2 about the centre: out(p) = in(c + (p − c)/2)", () => {
  // 5×5, centre 2: out(col 4) = in(col 3), out(col 0) = in(col 1), out(col 3) = in(col 2.5).
  const target = new Float32Array(25);
  warpImage(ramp(), target, 5, { ...IDENTITY_DISTORTION, scale: 1 }, 0);
  const at = (row: number, col: number) => target[row * 5 + col];
  assert.equal(at(2, 2), 22); // the centre stays
  assert.equal(at(2, 4), 23);
  assert.equal(at(2, 0), 21);
  assert.equal(at(4, 4), 33); // in(3, 3)
  assert.equal(at(2, 3), 22.5); // halfway between 22 and 23
});

test("squeeze 1 doubles x and halves y: out(x, y) = in(c + (x − c)/2, c + 2(y − c))", () => {
  const target = new Float32Array(25);
  warpImage(ramp(), target, 5, { ...IDENTITY_DISTORTION, squeeze: 1 }, -1);
  const at = (row: number, col: number) => target[row * 5 + col];
  assert.equal(at(2, 4), 23); // in(row 2, col 3)
  assert.equal(at(3, 2), 42); // in(row 4, col 2)
  assert.equal(at(1, 0), 1); // in(row 0, col 1)
  assert.equal(at(4, 2), -1); // in(row 6): off the image
});

test("shear 1 slides each row by its distance from the centre row", () => {
  // A⁻¹ with h = 1: source x = c + (x − c) − (y − c). Row 1 (centre) stays, row 2 moves right by
  // 1, row 0 left by 1 (3×3 image, centre 1).
  const source = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const target = new Float32Array(9);
  warpImage(source, target, 3, { ...IDENTITY_DISTORTION, shear: 1 }, 0);
  assert.deepEqual(Array.from(target), [2, 3, 0, 4, 5, 6, 0, 7, 8]);
});

test("randomDistortion draws five numbers per image within the default ranges", () => {
  const rng = new Rng(1);
  const params = randomDistortion(rng); // doc example
  assert.ok(Math.abs(params.translateX) <= DEFAULT_DISTORTION.maxTranslate);
  assert.ok(Math.abs(params.translateY) <= DEFAULT_DISTORTION.maxTranslate);
  assert.ok(Math.abs(params.scale) <= DEFAULT_DISTORTION.maxScale);
  assert.ok(Math.abs(params.squeeze) <= DEFAULT_DISTORTION.maxSqueeze);
  assert.ok(Math.abs(params.shear) <= DEFAULT_DISTORTION.maxShear);
  const reference = new Rng(1);
  for (let i = 0; i < 5; i++) reference.next();
  assert.deepEqual(rng.getState(), reference.getState());
  assert.throws(() => randomDistortion(rng, { maxScale: 1 }), /below 1/);
  assert.throws(() => randomDistortion(rng, { maxShear: -1 }), /maxShear/);
});

test("same Rng seed, same distorted batch; another seed, another batch", () => {
  const { images, count } = loadMnist({ split: "test" });
  const inputs = toNetworkInput(images.subarray(0, 4 * 784), 4); // [4, 32, 32, 1]
  const a = inputs.slice();
  const b = inputs.slice();
  const c = inputs.slice();
  distortBatch(a, 4, 32, new Rng(7), { background: -0.1 }); // doc example
  distortBatch(b, 4, 32, new Rng(7), { background: -0.1 });
  distortBatch(c, 4, 32, new Rng(8), { background: -0.1 });
  assert.ok(count >= 4);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, inputs);
  assert.notDeepEqual(a, c);
  // The 32×32 field's corners stay blank: the digit moves by at most ~2–4 pixels.
  for (let n = 0; n < 4; n++) assert.equal(a[n * 1024], B);
});

test("paperDistortion returns a training-loop hook that distorts in place", () => {
  const distort: DistortHook = paperDistortion(normalisePixel(0, "paper")); // doc example
  const { images } = loadMnist({ split: "test" });
  const inputs = toNetworkInput(images.subarray(0, 2 * 784), 2);
  const expected = inputs.slice();
  distort(inputs, 2, 32, new Rng(3));
  distortBatch(expected, 2, 32, new Rng(3), { background: -0.1 });
  assert.deepEqual(inputs, expected);

  // The modern input's background is another level: off-image points read it.
  const modernBackground = normalisePixel(0, "modern");
  const blank = new Float32Array(28 * 28).fill(modernBackground);
  paperDistortion(modernBackground)(blank, 1, 28, new Rng(3));
  assertClose(blank, new Float32Array(28 * 28).fill(modernBackground), { atol: 1e-6 });
});

test("distortBatch rejects an array too short for count × size²", () => {
  assert.throws(() => distortBatch(new Float32Array(10), 1, 5, new Rng(0)), /need 25 values/);
});
