import { test } from "node:test";
import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { decodePng } from "../data/png";
import {
  adler32,
  base64,
  crc32,
  encodePalettePng,
  paletteImageDataUrl,
  zlibStored,
} from "./png-data-url";

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

test("crc32 of 'IEND' is the CRC every PNG ends with (AE 42 60 82)", () => {
  assert.equal(crc32(ascii("IEND")), 0xae426082);
});

test("adler32 of 'Wikipedia' is 0x11E60398 (the textbook example)", () => {
  // a = 1 + Σ bytes = 1 + 920 = 921 = 0x399; b = Σ of the running a's = 4582 = 0x11E6
  assert.equal(adler32(ascii("Wikipedia")), 0x11e60398);
});

test("base64 pads 1 and 2 trailing bytes (RFC 4648 'Man' examples)", () => {
  assert.equal(base64(ascii("Man")), "TWFu");
  assert.equal(base64(ascii("Ma")), "TWE=");
  assert.equal(base64(ascii("M")), "TQ==");
  assert.equal(base64(new Uint8Array(0)), "");
  assert.equal(base64(Uint8Array.from([0xfb, 0xff])), Buffer.from([0xfb, 0xff]).toString("base64"));
});

test("zlibStored streams inflate back with node:zlib, across several 65,535-byte blocks", () => {
  const raw = Uint8Array.from({ length: 150_000 }, (_, i) => (i * 7) % 251);
  const stream = zlibStored(raw);
  // 150,000 bytes = 65,535 + 65,535 + 18,930: three blocks of 5 header bytes each
  assert.equal(stream.length, 2 + 3 * 5 + raw.length + 4);
  assert.deepEqual(new Uint8Array(inflateSync(stream)), raw);
  assert.deepEqual(new Uint8Array(inflateSync(zlibStored(new Uint8Array(0)))), new Uint8Array(0));
});

/** A palette whose entry i is (i, 255 − i, 7). */
const palette = new Uint8Array(768);
for (let i = 0; i < 256; i++) palette.set([i, 255 - i, 7], 3 * i);

test("a large image is written as a palette PNG that the project's decoder reads back", () => {
  const [width, height] = [20, 20]; // 400 pixels: palette (400 + 768) beats RGB (1,200)
  const indices = Uint8Array.from({ length: width * height }, (_, i) => i % 256);
  const png = encodePalettePng(indices, width, height, palette);
  assert.equal(png[25], 3, "colour type 3 (palette) in IHDR");
  const image = decodePng(png, "palette.png");
  assert.equal(image.channels, 3);
  for (const i of [0, 1, 255, 399]) {
    const rgb = Array.from(image.samples.subarray(3 * i, 3 * i + 3), (s) => Math.round(s * 255));
    assert.deepEqual(rgb, [i % 256, 255 - (i % 256), 7], `pixel ${i}`);
  }
});

test("a small image (under 384 pixels) is written as RGB, same pixels", () => {
  const indices = Uint8Array.from([0, 128, 255, 64, 1, 2]); // 3×2
  const png = encodePalettePng(indices, 3, 2, palette);
  assert.equal(png[25], 2, "colour type 2 (RGB) in IHDR");
  const image = decodePng(png, "rgb.png");
  assert.deepEqual([image.width, image.height, image.channels], [3, 2, 3]);
  const rgb = Array.from(image.samples, (s) => Math.round(s * 255));
  assert.deepEqual(rgb.slice(3, 6), [128, 127, 7]); // pixel 1 = palette[128]
  assert.deepEqual(rgb.slice(9, 12), [64, 191, 7]); // pixel 3 (row 1, col 0) = palette[64]
});

test("paletteImageDataUrl: the TSDoc example, and bad sizes throw", () => {
  const white = new Uint8Array(768).fill(255); // every index white
  const url = paletteImageDataUrl(new Uint8Array(4), 2, 2, white);
  assert.ok(url.startsWith("data:image/png;base64,iVBORw0KGgo"));
  assert.throws(() => paletteImageDataUrl(new Uint8Array(3), 2, 2, white), /needs 4 indices/);
  assert.throws(() => paletteImageDataUrl(new Uint8Array(4), 2, 2, new Uint8Array(3)), /768/);
});
