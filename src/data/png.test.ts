// Tests of the PNG codec: files written by another encoder (Pillow 9.4, embedded below) decode to
// the values Pillow reports; every colour type, bit depth, filter and Adam7 round-trips; a
// hand-filtered scanline checks Sub/Up/Average/Paeth; damaged files fail with clear errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { deflateSync } from "node:zlib";
import { ImageFileError } from "./image-codec";
import {
  PNG_SIGNATURE,
  decodePng,
  encodePng,
  encodePngSamples,
  isPng,
  type PngColourType,
} from "./png";

const fromBase64 = (text: string) => Uint8Array.from(Buffer.from(text, "base64"));

/** Decoded samples scaled back to integers 0…max. */
const integers = (samples: Float32Array, max: number) =>
  Array.from(samples, (v) => Math.round(v * max));

/** A PNG chunk built by hand (CRC from the encoder's own chunk writer is not trusted here). */
function rawPng(
  width: number,
  height: number,
  bitDepth: number,
  colourType: number,
  scanlines: number[],
) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = colourType;
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, "ascii");
    Buffer.from(data).copy(out, 8);
    out.writeUInt32BE(crc32Reference(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  return Uint8Array.from(
    Buffer.concat([
      Buffer.from(PNG_SIGNATURE),
      chunk("IHDR", ihdr),
      chunk("IDAT", deflateSync(Uint8Array.from(scanlines))),
      chunk("IEND", new Uint8Array(0)),
    ]),
  );
}

/** CRC-32 (polynomial 0xEDB88320) bit by bit, as the PNG specification's sample code computes it. */
function crc32Reference(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

test("doc examples: encodePng → decodePng; a red and a blue RGB pixel", () => {
  const png = encodePng(new Uint8Array([0, 255]), 2, 1);
  assert.ok(isPng(png));
  assert.deepEqual(Array.from(decodePng(png, "two.png").samples), [0, 1]);
  const white = decodePng(encodePng(new Uint8Array(28 * 28).fill(255), 28, 28), "white.png");
  assert.equal(white.width, 28);
  assert.ok(white.samples.every((v) => v === 1));
  const rgb = encodePngSamples({
    width: 2,
    height: 1,
    colourType: 2,
    samples: [255, 0, 0, 0, 0, 255],
  });
  const decoded = decodePng(rgb, "rgb.png");
  assert.equal(decoded.channels, 3);
  assert.deepEqual(Array.from(decoded.samples), [1, 0, 0, 0, 0, 1]);
});

test("Pillow's files decode to Pillow's values: 2-bit palette with tRNS, RGB, 16-bit gray", () => {
  // Pillow 9.4: P mode 4×3, palette white/black/red/blue, entry 0 transparent, saved with bits=2.
  const palette = decodePng(
    fromBase64(
      "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADAgMAAADJmkZVAAAADFBMVEX///8AAAD/AAAAAP8xSkYMAAAAAXRSTlMAQObYZgAAAA5JREFUeJxjkGZ4whAAAAOJAVAY7P0CAAAAAElFTkSuQmCC",
    ),
    "pillow-palette.png",
  );
  assert.equal(palette.channels, 4); // palette + tRNS → RGBA
  const W = [255, 255, 255, 0]; // entry 0: white, fully transparent
  const K = [0, 0, 0, 255];
  const R = [255, 0, 0, 255];
  const U = [0, 0, 255, 255];
  // indices 0 1 2 3 / 3 2 1 0 / 1 1 0 0
  assert.deepEqual(integers(palette.samples, 255), [W, K, R, U, U, R, K, W, K, K, W, W].flat());

  const rgb = decodePng(
    fromBase64(
      "iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAGElEQVR4nGP4z8DAAMH///9nYGBocFAAAEbvBtvvF3THAAAAAElFTkSuQmCC",
    ),
    "pillow-rgb.png",
  );
  assert.deepEqual(
    integers(rgb.samples, 255),
    [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 128, 64, 32],
  );

  const gray16 = decodePng(
    fromBase64(
      "iVBORw0KGgoAAAANSUhEUgAAAAMAAAACEAAAAADoj+WFAAAAFklEQVR4nGNgYGBgZGRg+P+/gUHIBAANbgLHYxAnSwAAAABJRU5ErkJggg==",
    ),
    "pillow-16bit.png",
  );
  assert.deepEqual(integers(gray16.samples, 65535), [0, 1, 256, 65535, 32768, 4660]);
});

test("a hand-filtered 3×2 gray image: Sub, Up, Average and Paeth undo to the same pixels", () => {
  // Pixels: row 0 = 10 20 30, row 1 = 40 50 60. Row 0 with Sub (1): 10, 20−10, 30−20 = 10 10 10.
  // Row 1 with Up (2): 40−10, 50−20, 60−30 = 30 30 30.
  const pixels = [10, 20, 30, 40, 50, 60];
  const subUp = rawPng(3, 2, 8, 0, [1, 10, 10, 10, 2, 30, 30, 30]);
  assert.deepEqual(integers(decodePng(subUp, "sub-up.png").samples, 255), pixels);
  // Row 1 with Average (3): 40 − ⌊(0+10)/2⌋ = 35, 50 − ⌊(40+20)/2⌋ = 20, 60 − ⌊(50+30)/2⌋ = 20.
  const average = rawPng(3, 2, 8, 0, [0, 10, 20, 30, 3, 35, 20, 20]);
  assert.deepEqual(integers(decodePng(average, "average.png").samples, 255), pixels);
  // Row 1 with Paeth (4): x=0: a=0, b=10, c=0 → p=10, nearest b=10 → 40−10 = 30;
  // x=1: a=40, b=20, c=10 → p=50, |p−a|=10, |p−b|=30, |p−c|=40 → a=40 → 50−40 = 10;
  // x=2: a=50, b=30, c=20 → p=60 → a=50 → 60−50 = 10.
  const paeth = rawPng(3, 2, 8, 0, [0, 10, 20, 30, 4, 30, 10, 10]);
  assert.deepEqual(integers(decodePng(paeth, "paeth.png").samples, 255), pixels);
  // Wrap-around mod 256: Sub of 250 then 5 → 250 + 5 = 255, 255 + 3 = 258 → 2.
  const wrap = rawPng(3, 1, 8, 0, [1, 250, 5, 3]);
  assert.deepEqual(integers(decodePng(wrap, "wrap.png").samples, 255), [250, 255, 2]);
});

test("every colour type and bit depth round-trips, plain and Adam7-interlaced", () => {
  const cases: { colourType: PngColourType; bitDepth: number; channels: number }[] = [
    { colourType: 0, bitDepth: 1, channels: 1 },
    { colourType: 0, bitDepth: 2, channels: 1 },
    { colourType: 0, bitDepth: 4, channels: 1 },
    { colourType: 0, bitDepth: 8, channels: 1 },
    { colourType: 0, bitDepth: 16, channels: 1 },
    { colourType: 2, bitDepth: 8, channels: 3 },
    { colourType: 2, bitDepth: 16, channels: 3 },
    { colourType: 4, bitDepth: 8, channels: 2 },
    { colourType: 4, bitDepth: 16, channels: 2 },
    { colourType: 6, bitDepth: 8, channels: 4 },
    { colourType: 6, bitDepth: 16, channels: 4 },
  ];
  // 11×9: not a multiple of 8, so every Adam7 pass has a ragged edge.
  const width = 11;
  const height = 9;
  for (const { colourType, bitDepth, channels } of cases) {
    const max = 2 ** bitDepth - 1;
    const samples = Array.from(
      { length: width * height * channels },
      (_, i) => (i * 7919) % (max + 1),
    );
    for (const interlaced of [false, true]) {
      const png = encodePngSamples({ width, height, colourType, bitDepth, samples, interlaced });
      const label = `type ${colourType}, ${bitDepth} bit, interlaced ${interlaced}`;
      const decoded = decodePng(png, label);
      assert.equal(decoded.channels, channels, label);
      assert.deepEqual(integers(decoded.samples, max), samples, label);
    }
  }
});

test("each forced filter type round-trips", () => {
  const width = 7;
  const height = 5;
  const samples = Array.from(
    { length: width * height * 3 },
    (_, i) => (i * 37 + (i >> 3) * 101) % 256,
  );
  for (const filter of [0, 1, 2, 3, 4] as const) {
    const png = encodePngSamples({ width, height, colourType: 2, samples, filter });
    assert.deepEqual(
      integers(decodePng(png, `filter ${filter}`).samples, 255),
      samples,
      `filter ${filter}`,
    );
  }
});

test("palette with tRNS, and gray/RGB colour keys, become alpha", () => {
  const palette = encodePngSamples({
    width: 3,
    height: 1,
    colourType: 3,
    bitDepth: 4,
    samples: [0, 1, 2],
    palette: [
      [0, 0, 0],
      [255, 255, 255],
      [0, 255, 0],
    ],
    transparency: [0, 128], // entry 2 has no alpha listed: opaque
  });
  const decoded = decodePng(palette, "palette.png");
  assert.deepEqual(
    integers(decoded.samples, 255),
    [0, 0, 0, 0, 255, 255, 255, 128, 0, 255, 0, 255],
  );

  const keyed = encodePngSamples({
    width: 2,
    height: 1,
    colourType: 0,
    samples: [7, 200],
    transparency: [7],
  });
  assert.deepEqual(integers(decodePng(keyed, "keyed.png").samples, 255), [7, 0, 200, 255]);
  const keyedRgb = encodePngSamples({
    width: 2,
    height: 1,
    colourType: 2,
    samples: [1, 2, 3, 1, 2, 4],
    transparency: [1, 2, 3],
  });
  assert.deepEqual(
    integers(decodePng(keyedRgb, "keyed-rgb.png").samples, 255),
    [1, 2, 3, 0, 1, 2, 4, 255],
  );
});

test("damaged files fail with an ImageFileError naming the file and the fault", () => {
  const good = encodePng(
    new Uint8Array(64).map((_, i) => i * 4),
    8,
    8,
  );
  const fails = (bytes: Uint8Array, fault: string, message: RegExp) =>
    assert.throws(
      () => decodePng(bytes, "digit.png"),
      (error: unknown) =>
        error instanceof ImageFileError &&
        error.file === "digit.png" &&
        error.fault === fault &&
        error.message.startsWith("digit.png: ") &&
        message.test(error.message),
    );
  fails(good.subarray(0, good.length - 20), "truncated", /truncated/);
  fails(good.subarray(0, 8), "truncated", /before its IEND/);
  const flipped = good.slice();
  flipped[33 + 8 + 2] ^= 0x01; // a bit inside the IDAT data (its chunk starts at byte 33)
  fails(flipped, "bad-crc", /"IDAT".*CRC/);
  fails(new TextEncoder().encode("just some text, no picture"), "not-an-image", /signature/);
  fails(rawPng(3, 1, 8, 0, [5, 1, 2, 3]), "bad-data", /filter type 5/);
  fails(rawPng(3, 1, 3, 0, [0, 1, 2, 3]), "bad-header", /bit depth 3/);
  fails(rawPng(3, 1, 8, 0, [0, 1, 2]), "truncated", /fewer than/);
  fails(rawPng(3, 1, 8, 3, [0, 1, 2, 3]), "bad-data", /PLTE/);
});

test("unknown ancillary chunks are skipped; unknown critical ones are refused", () => {
  const png = encodePng(new Uint8Array([1, 2, 3]), 3, 1);
  const withChunk = (type: string) => {
    const data = new TextEncoder().encode("lenet5");
    const chunk = Buffer.alloc(12 + data.length);
    chunk.writeUInt32BE(data.length, 0);
    chunk.write(type, 4, "ascii");
    Buffer.from(data).copy(chunk, 8);
    chunk.writeUInt32BE(crc32Reference(chunk.subarray(4, 8 + data.length)), 8 + data.length);
    const ihdrEnd = 8 + 25; // signature + IHDR chunk (12 + 13)
    return Uint8Array.from(Buffer.concat([png.subarray(0, ihdrEnd), chunk, png.subarray(ihdrEnd)]));
  };
  assert.deepEqual(integers(decodePng(withChunk("tEXt"), "text.png").samples, 255), [1, 2, 3]);
  assert.throws(() => decodePng(withChunk("ABCD"), "critical.png"), /critical chunk "ABCD"/);
});

test("encodePngSamples checks its input", () => {
  assert.throws(() => encodePngSamples({ width: 2, height: 1, samples: [1] }), /2×1×1 samples/);
  assert.throws(() => encodePngSamples({ width: 1, height: 1, samples: [256] }), /not in 0…255/);
  assert.throws(
    () => encodePngSamples({ width: 1, height: 1, colourType: 2, bitDepth: 4, samples: [1, 2, 3] }),
    /bit depth 4/,
  );
});
