// Tests of picture → MNIST form: a drawn "1" on a white canvas becomes a centred light-on-dark
// 28×28 digit (worked out by hand below), polarity and colour handling, aspect ratio, MNIST's own
// digits passing through almost unchanged, and clear errors for files that are not images.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadMnist } from "./mnist";
import { toNetworkInput } from "./preprocess";
import { encodePgm } from "./netpbm";
import { encodePng, encodePngSamples } from "./png";
import {
  ImageFileError,
  MNIST_BOX,
  decodeImage,
  detectPolarity,
  imageToMnist,
  readImageFile,
  toGray,
} from "./image-file";

/** A fresh temporary folder, removed after the test. */
function tempFolder(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), "lenet5-image-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Rows of a 28×28 digit as strings, "#" for ink, "." for background (for failure messages). */
function picture(digit: Uint8Array): string {
  const rows: string[] = [];
  for (let y = 0; y < 28; y++) {
    rows.push(
      Array.from(digit.subarray(y * 28, (y + 1) * 28), (v) => (v > 0 ? "#" : ".")).join(""),
    );
  }
  return rows.join("\n");
}

/** Centre of mass (x, y) of a 28×28 digit, in pixel indices. */
function centreOfMass(digit: Uint8Array): [number, number] {
  let mass = 0;
  let x = 0;
  let y = 0;
  for (let i = 0; i < 784; i++) {
    mass += digit[i];
    x += digit[i] * (i % 28);
    y += digit[i] * Math.floor(i / 28);
  }
  return [x / mass, y / mass];
}

/** The doc example's canvas: white 100 wide × 60 high, black bar at x 48–51, y 10–49. */
function drawnOne(): Float32Array {
  const canvas = new Float32Array(100 * 60).fill(1);
  for (let y = 10; y < 50; y++) for (let x = 48; x < 52; x++) canvas[y * 100 + x] = 0;
  return canvas;
}

test("a drawn '1' on a white 100×60 canvas becomes a centred light-on-dark 28×28 digit", () => {
  const canvas = drawnOne();
  assert.equal(detectPolarity(canvas, 100, 60), "dark-on-light");
  const digit = imageToMnist(canvas, 100, 60); // doc example
  // The bar's box is 4×40; ×20/40 = ½ gives 2×20, all full ink. Its centre of mass in the box is
  // (0.5, 9.5); the offsets round(14 − 0.5) = 14 and round(14 − 9.5) = 5 put it at columns
  // 14–15, rows 5–24, centre of mass (14.5, 14.5).
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const inBar = x >= 14 && x <= 15 && y >= 5 && y <= 24;
      assert.equal(digit[y * 28 + x], inBar ? 255 : 0, `(${y}, ${x})\n${picture(digit)}`);
    }
  }
  assert.deepEqual(centreOfMass(digit), [14.5, 14.5]);
  assert.equal(digit[0], 0); // light-on-dark: the background is 0 like MNIST's
});

test("the same '1' written as a PNG file reads back the same through readImageFile", (t) => {
  const dir = tempFolder(t);
  const canvas = drawnOne();
  const path = join(dir, "one.png");
  writeFileSync(
    path,
    encodePng(
      Uint8Array.from(canvas, (v) => v * 255),
      100,
      60,
    ),
  );
  const file = readImageFile(path); // doc example
  assert.deepEqual(
    [file.width, file.height, file.format, file.polarity],
    [100, 60, "png", "dark-on-light"],
  );
  assert.deepEqual(file.gray, canvas);
  const digit = imageToMnist(file.gray, file.width, file.height, { polarity: file.polarity });
  assert.deepEqual(digit, imageToMnist(canvas, 100, 60));
  const input = toNetworkInput(digit, 1, { size: 32, normalisation: "paper" });
  assert.equal(input.length, 32 * 32); // [1, 32, 32, 1]
  assert.equal(input[(5 + 2) * 32 + 14 + 2], Math.fround(1.175)); // bar pixel (5, 14), shifted by 2
});

test("light-on-dark input (MNIST's way) gives the same digit as its dark-on-light negative", () => {
  const canvas = drawnOne();
  const negative = canvas.map((v) => 1 - v);
  assert.equal(detectPolarity(negative, 100, 60), "light-on-dark");
  assert.deepEqual(imageToMnist(negative, 100, 60), imageToMnist(canvas, 100, 60));
});

test("a colour PNG (blue digit on a yellow page) converts to gray and reads dark-on-light", (t) => {
  const dir = tempFolder(t);
  const width = 30;
  const height = 40;
  const samples: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const ink = x >= 12 && x < 18 && y >= 5 && y < 35; // a 6×30 bar
      samples.push(...(ink ? [0, 0, 255] : [255, 255, 0]));
    }
  }
  const path = join(dir, "colour.png");
  writeFileSync(path, encodePngSamples({ width, height, colourType: 2, samples }));
  const file = readImageFile(path);
  // Luma: yellow 0.299 + 0.587 = 0.886, blue 0.114.
  assert.ok(Math.abs(file.gray[0] - 0.886) < 1e-6);
  assert.ok(Math.abs(file.gray[5 * width + 12] - 0.114) < 1e-6);
  assert.equal(file.polarity, "dark-on-light");
  const digit = imageToMnist(file.gray, width, height, file);
  // 6×30 → ×2/3 → 4×20 at full ink; centre (1.5, 9.5) → columns 13–16 (round(12.5) = 13), rows 5–24.
  assert.equal(digit.filter((v) => v === 255).length, 80, picture(digit));
  assert.equal(digit[5 * 28 + 13], 255);
  assert.equal(digit[24 * 28 + 16], 255);
});

test("toGray: BT.601 luma, and alpha composited so the strokes contrast", () => {
  const red = toGray({
    format: "ppm",
    width: 1,
    height: 1,
    channels: 3,
    samples: Float32Array.of(1, 0, 0),
  });
  assert.deepEqual(red, Float32Array.of(0.299)); // doc example
  // Black strokes on a transparent page: composited over white.
  const black = toGray({
    format: "png",
    width: 2,
    height: 1,
    channels: 2,
    samples: Float32Array.of(0, 1, 0, 0),
  });
  assert.deepEqual(Array.from(black), [0, 1]);
  // White strokes on a transparent page: composited over black, or they would vanish.
  const white = toGray({
    format: "png",
    width: 2,
    height: 1,
    channels: 4,
    samples: Float32Array.of(1, 1, 1, 1, 1, 1, 1, 0),
  });
  assert.deepEqual(Array.from(white), [1, 0]);
  // Half-transparent black over white: 0.5·0 + 0.5·1 = 0.5.
  const half = toGray({
    format: "png",
    width: 1,
    height: 1,
    channels: 2,
    samples: Float32Array.of(0, 0.5),
  });
  assert.deepEqual(Array.from(half), [0.5]);
});

test("detectPolarity: border against mean, and a uniform picture by its level", () => {
  const page = new Float32Array(9).fill(1);
  page[4] = 0; // one black pixel on white
  assert.equal(detectPolarity(page, 3, 3), "dark-on-light"); // doc example
  assert.equal(
    detectPolarity(
      page.map((v) => 1 - v),
      3,
      3,
    ),
    "light-on-dark",
  );
  assert.equal(detectPolarity(new Float32Array(4).fill(0.9), 2, 2), "dark-on-light");
  assert.equal(detectPolarity(new Float32Array(4).fill(0.1), 2, 2), "light-on-dark");
});

test("aspect ratio is kept: a wide bar fills 20 columns but only a few rows", () => {
  // 50×10 black bar on a white 80×40 canvas → ×20/50 → 20×4.
  const canvas = new Float32Array(80 * 40).fill(1);
  for (let y = 15; y < 25; y++) for (let x = 15; x < 65; x++) canvas[y * 80 + x] = 0;
  const digit = imageToMnist(canvas, 80, 40);
  let rows = 0;
  let columns = 0;
  for (let y = 0; y < 28; y++) if (digit.subarray(y * 28, y * 28 + 28).some((v) => v > 0)) rows++;
  for (let x = 0; x < 28; x++) if (digit.some((v, i) => i % 28 === x && v > 0)) columns++;
  assert.deepEqual([columns, rows], [MNIST_BOX, 4], picture(digit));
});

test("a small digit is enlarged to the 20-pixel box", () => {
  // A 2×5 bar of ink on a 10×10 dark image (light-on-dark) → ×4 → 8×20.
  const image = new Float32Array(100);
  for (let y = 2; y < 7; y++) for (let x = 4; x < 6; x++) image[y * 10 + x] = 1;
  const digit = imageToMnist(image, 10, 10);
  assert.equal(digit.filter((v) => v === 255).length, 8 * 20, picture(digit));
});

test("MNIST's own digits pass through nearly unchanged", () => {
  const { images } = loadMnist({ split: "test" });
  let totalDifference = 0;
  let identical = 0;
  const count = 100;
  for (let n = 0; n < count; n++) {
    const original = images.subarray(n * 784, (n + 1) * 784);
    const gray = Float32Array.from(original, (v) => v / 255);
    assert.equal(detectPolarity(gray, 28, 28), "light-on-dark");
    const digit = imageToMnist(gray, 28, 28);
    for (let i = 0; i < 784; i++) {
      totalDifference += Math.abs(digit[i] - original[i]);
      if (digit[i] === original[i]) identical++;
    }
  }
  // Measured: mean |difference| ≈ 0.5 of 255 per pixel; most pixels identical.
  assert.ok(
    totalDifference / (count * 784) < 2,
    `mean difference ${totalDifference / (count * 784)}`,
  );
  assert.ok(identical / (count * 784) > 0.9, `identical ${identical / (count * 784)}`);
});

test("a blank picture gives a blank digit", () => {
  assert.ok(imageToMnist(new Float32Array(50).fill(1), 10, 5).every((v) => v === 0));
  assert.ok(imageToMnist(new Float32Array(1).fill(0), 1, 1).every((v) => v === 0));
});

test("PGM files read through readImageFile too", (t) => {
  const dir = tempFolder(t);
  const path = join(dir, "digit.pgm");
  const gray = new Uint8Array(16 * 16).fill(255);
  for (let y = 3; y < 13; y++) gray[y * 16 + 8] = 0;
  writeFileSync(path, encodePgm(gray, 16, 16));
  const file = readImageFile(path);
  assert.deepEqual(
    [file.format, file.polarity, file.width, file.height],
    ["pgm", "dark-on-light", 16, 16],
  );
  assert.equal(decodeImage(encodePgm(new Uint8Array([0, 255]), 2, 1), "two.pgm").format, "pgm"); // doc example
});

test("files that are not images fail with an ImageFileError naming the file", (t) => {
  const dir = tempFolder(t);
  const fails = (path: string, fault: string, message: RegExp) =>
    assert.throws(
      () => readImageFile(path),
      (error: unknown) =>
        error instanceof ImageFileError &&
        error.file === path &&
        error.fault === fault &&
        error.message.startsWith(`${path}: `) &&
        message.test(error.message),
    );
  const notes = join(dir, "notes.txt");
  writeFileSync(notes, "hello, this is text\n");
  fails(notes, "not-an-image", /not a PNG or PGM\/PPM image \(it starts with "hello, this is t"\)/);
  const jpeg = join(dir, "photo.jpg");
  writeFileSync(jpeg, Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 0x10));
  fails(jpeg, "unsupported", /JPEG.*convert it to PNG/);
  const empty = join(dir, "empty.png");
  writeFileSync(empty, new Uint8Array(0));
  fails(empty, "not-an-image", /empty/);
  fails(join(dir, "absent.png"), "missing-file", /not found/);
  const folder = join(dir, "folder.png");
  mkdirSync(folder);
  fails(folder, "not-a-file", /is a directory, not a regular file/);
  const truncated = join(dir, "truncated.png");
  const png = encodePng(new Uint8Array(100).fill(200), 10, 10);
  writeFileSync(truncated, png.subarray(0, png.length - 16));
  fails(truncated, "truncated", /truncated/);
  const corrupt = join(dir, "corrupt.png");
  const bad = png.slice();
  bad[20] ^= 0xff; // inside IHDR: its CRC no longer matches
  writeFileSync(corrupt, bad);
  fails(corrupt, "bad-crc", /"IHDR".*CRC/);
  // The doc example of ImageFileError, on bytes in memory.
  assert.throws(
    () => decodeImage(new TextEncoder().encode("hello"), "notes.txt"),
    (error: unknown) => error instanceof ImageFileError && error.fault === "not-an-image",
  );
});

test("imageToMnist and detectPolarity check the size", () => {
  assert.throws(() => imageToMnist(new Float32Array(5), 2, 2), /needs 4 values/);
  assert.throws(() => detectPolarity(new Float32Array(0), 0, 0), /bad size/);
});
