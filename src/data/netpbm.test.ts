// Tests of the PGM/PPM codec: hand-written P2/P3 files with comments, binary P5/P6 with 8- and
// 16-bit samples, encodePgm round trips, and clear errors for damaged files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ImageFileError } from "./image-codec";
import { decodeNetpbm, encodePgm, isNetpbm } from "./netpbm";

const text = (s: string) => new TextEncoder().encode(s);
const bytes = (header: string, ...body: number[]) => Uint8Array.from([...text(header), ...body]);

test("doc examples: a plain P2 file decodes; encodePgm plain writes it back", () => {
  const pgm = text("P2\n2 1\n255\n0 255\n");
  assert.deepEqual(Array.from(decodeNetpbm(pgm, "two.pgm").samples), [0, 1]);
  const written = encodePgm(new Uint8Array([0, 255]), 2, 1, { plain: true });
  assert.equal(new TextDecoder().decode(written), "P2\n2 1\n255\n0 255\n");
});

test("P2 with comments anywhere in the header and maxval 15", () => {
  const pgm = text("P2 # a 3×2 test\n# width and height:\n3 2\n15 # maxval\n0 5 15\n10 15 0\n");
  const image = decodeNetpbm(pgm, "comments.pgm");
  assert.equal(image.format, "pgm");
  assert.deepEqual([image.width, image.height, image.channels], [3, 2, 1]);
  // v / 15: 0, 1/3, 1, 2/3, 1, 0
  assert.deepEqual(Array.from(image.samples), [0, 5 / 15, 1, 10 / 15, 1, 0].map(Math.fround));
});

test("P5: 8-bit samples after exactly one whitespace byte, and 16-bit big-endian samples", () => {
  // The first sample is 10, a newline byte: it must be read as a pixel, not as whitespace.
  const eight = decodeNetpbm(bytes("P5\n3 1\n255\n", 10, 128, 255), "eight.pgm");
  assert.deepEqual(Array.from(eight.samples), [10 / 255, 128 / 255, 1].map(Math.fround));
  // maxval 1000 → two bytes per sample: 0x03E8 = 1000, 0x01F4 = 500.
  const sixteen = decodeNetpbm(bytes("P5 2 1 1000\n", 0x03, 0xe8, 0x01, 0xf4), "sixteen.pgm");
  assert.deepEqual(Array.from(sixteen.samples), [1, 0.5]);
});

test("P3 and P6 colour files decode to RGB", () => {
  const plain = decodeNetpbm(text("P3\n2 1\n255\n255 0 0  0 0 255\n"), "plain.ppm");
  assert.equal(plain.format, "ppm");
  assert.equal(plain.channels, 3);
  assert.deepEqual(Array.from(plain.samples), [1, 0, 0, 0, 0, 1]);
  const binary = decodeNetpbm(bytes("P6\n1 1\n255\n", 0, 255, 0), "binary.ppm");
  assert.deepEqual(Array.from(binary.samples), [0, 1, 0]);
});

test("encodePgm binary round trip", () => {
  const gray = Uint8Array.from({ length: 12 * 5 }, (_, i) => (i * 41) % 256);
  const pgm = encodePgm(gray, 12, 5);
  assert.ok(isNetpbm(pgm));
  assert.equal(new TextDecoder().decode(pgm.subarray(0, 3)), "P5\n");
  const image = decodeNetpbm(pgm, "round.pgm");
  assert.deepEqual(
    Array.from(image.samples, (v) => Math.round(v * 255)),
    Array.from(gray),
  );
  const plain = decodeNetpbm(encodePgm(gray, 12, 5, { plain: true }), "round-plain.pgm");
  assert.deepEqual(plain.samples, image.samples);
});

test("damaged files fail with an ImageFileError naming the file and the fault", () => {
  const fails = (data: Uint8Array, fault: string, message: RegExp) =>
    assert.throws(
      () => decodeNetpbm(data, "digit.pgm"),
      (error: unknown) =>
        error instanceof ImageFileError &&
        error.fault === fault &&
        error.file === "digit.pgm" &&
        message.test(error.message),
    );
  fails(bytes("P5\n4 4\n255\n", 1, 2, 3), "truncated", /needs 16 bytes, only 3 remain/);
  fails(text("P2\n2 2\n255\n1 2 3\n"), "truncated", /before its sample 3/);
  fails(text("P2\n2 1\n100\n50 101\n"), "bad-data", /sample 1 is 101, above maxval 100/);
  fails(text("P2\nfour 4\n255\n"), "bad-header", /width.*"four 4/);
  fails(text("P2\n2 1\n70000\n0 0\n"), "bad-header", /maxval 70000/);
  fails(text("P2\n0 1\n255\n"), "bad-header", /size 0×1/);
  fails(text("P7\n"), "not-an-image", /P2, P3, P5 or P6/);
});

test("encodePgm checks its input", () => {
  assert.throws(() => encodePgm(new Uint8Array(3), 2, 2), /needs 4 bytes/);
  assert.throws(() => encodePgm(new Uint8Array(0), 0, 0), /bad size/);
});
