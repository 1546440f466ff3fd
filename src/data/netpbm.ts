/**
 * PGM and PPM (Netpbm) images, read and written: the simplest picture files there are, handy for
 * hand-made test digits. Decoder and encoder side by side. No paper reference (the format is
 * Netpbm's; lenet5 reads it for `predict`).
 *
 * Format: a magic number, then width, height and maxval as ASCII decimals separated by
 * whitespace, `#` comments running to the end of a line; then the raster, row-major:
 *   P2 gray, P3 RGB: ASCII decimals          P5 gray, P6 RGB: binary, after one whitespace byte,
 *                                             1 byte per sample (maxval < 256) or 2, big-endian
 * maxval is 1…65535; a sample v means v / maxval of full intensity (0 black).
 * Input shape: file bytes.  Output shape: samples [height, width, 1 or 3] in 0…1.
 * Only the first image of a multi-image file is read.
 */
import { ImageFileError, MAX_IMAGE_PIXELS, tooManyPixels, type DecodedImage } from "./image-codec";

/** True when `bytes` starts like a PGM or PPM file (P2, P3, P5 or P6 and a whitespace). */
export function isNetpbm(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 3 &&
    bytes[0] === 0x50 && // "P"
    [0x32, 0x33, 0x35, 0x36].includes(bytes[1]) && // 2, 3, 5, 6
    isWhitespace(bytes[2])
  );
}

/** Netpbm whitespace: space, tab, CR, LF, vertical tab, form feed. */
function isWhitespace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

/** A cursor over ASCII tokens (decimal numbers) that skips whitespace and comments. */
class TokenReader {
  /** Index of the next unread byte. */
  position: number;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly file: string,
    start: number,
  ) {
    this.position = start;
  }

  /** The next non-negative decimal integer; `what` names it in errors. */
  nextInteger(what: string): number {
    const bytes = this.bytes;
    for (;;) {
      while (this.position < bytes.length && isWhitespace(bytes[this.position])) this.position++;
      if (bytes[this.position] !== 0x23) break; // "#": a comment to the end of the line
      while (
        this.position < bytes.length &&
        bytes[this.position] !== 0x0a &&
        bytes[this.position] !== 0x0d
      ) {
        this.position++;
      }
    }
    if (this.position >= bytes.length) {
      throw new ImageFileError(
        this.file,
        "truncated",
        `the file ends before its ${what} (truncated)`,
      );
    }
    const start = this.position;
    let value = 0;
    while (
      this.position < bytes.length &&
      bytes[this.position] >= 0x30 &&
      bytes[this.position] <= 0x39
    ) {
      value = value * 10 + (bytes[this.position] - 0x30);
      this.position++;
    }
    const fault = what.startsWith("sample") ? "bad-data" : "bad-header";
    if (
      this.position === start ||
      (this.position < bytes.length &&
        !isWhitespace(bytes[this.position]) &&
        bytes[this.position] !== 0x23)
    ) {
      const found = String.fromCharCode(
        ...bytes.subarray(start, Math.min(start + 10, bytes.length)),
      );
      throw new ImageFileError(
        this.file,
        fault,
        `expected the ${what} as a decimal number, found ${JSON.stringify(found)}`,
      );
    }
    return value;
  }
}

/**
 * Decodes a PGM (P2, P5) or PPM (P3, P6) file's bytes; `file` names it in errors
 * ({@link ImageFileError}).
 * @example
 * ```ts
 * const pgm = new TextEncoder().encode("P2\n2 1\n255\n0 255\n");
 * decodeNetpbm(pgm, "two.pgm").samples; // Float32Array [0, 1]
 * ```
 */
export function decodeNetpbm(bytes: Uint8Array, file: string): DecodedImage {
  if (!isNetpbm(bytes)) {
    throw new ImageFileError(
      file,
      "not-an-image",
      "not a PGM/PPM file (no P2, P3, P5 or P6 magic number)",
    );
  }
  const kind = bytes[1] - 0x30; // 2, 3, 5 or 6
  const channels = kind === 3 || kind === 6 ? 3 : 1;
  const reader = new TokenReader(bytes, file, 2);
  const width = reader.nextInteger("width");
  const height = reader.nextInteger("height");
  const maxval = reader.nextInteger("maxval");
  if (width < 1 || height < 1) {
    throw new ImageFileError(file, "bad-header", `size ${width}×${height} is not usable`);
  }
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new ImageFileError(file, "too-large", tooManyPixels(`P${kind}`, width, height));
  }
  if (maxval < 1 || maxval > 65535) {
    throw new ImageFileError(file, "bad-header", `maxval ${maxval} is outside 1…65535`);
  }
  const count = width * height * channels;
  checkRasterFits(bytes, reader.position, kind, count, maxval, file);
  const samples = new Float32Array(count); // [h, w, channels]
  const check = (value: number, index: number) => {
    if (value > maxval) {
      throw new ImageFileError(
        file,
        "bad-data",
        `sample ${index} is ${value}, above maxval ${maxval}`,
      );
    }
    return value / maxval;
  };
  if (kind === 2 || kind === 3) {
    for (let i = 0; i < count; i++)
      samples[i] = check(reader.nextInteger(`sample ${i} of ${count}`), i);
  } else {
    const start = reader.position + 1; // exactly one whitespace byte ends the header
    const bytesPerSample = maxval < 256 ? 1 : 2;
    // checkRasterFits made sure the bytes are there.
    for (let i = 0; i < count; i++) {
      const at = start + i * bytesPerSample;
      const value = bytesPerSample === 1 ? bytes[at] : (bytes[at] << 8) | bytes[at + 1];
      samples[i] = check(value, i);
    }
  }
  return { format: channels === 1 ? "pgm" : "ppm", width, height, channels, samples };
}

/**
 * Refuses, before any allocation, a raster the remaining bytes cannot hold: binary samples take
 * 1 or 2 bytes each, ASCII ones at least 2 (a digit and a separator) but the last.
 */
function checkRasterFits(
  bytes: Uint8Array,
  position: number,
  kind: number,
  count: number,
  maxval: number,
  file: string,
): void {
  const binary = kind === 5 || kind === 6;
  const needed = binary ? count * (maxval < 256 ? 1 : 2) : 2 * count - 1;
  const remaining = Math.max(0, bytes.length - position - (binary ? 1 : 0));
  if (remaining < needed) {
    const what = binary ? `needs ${needed} bytes` : `needs at least ${needed} bytes`;
    throw new ImageFileError(
      file,
      "truncated",
      `a ${count}-sample P${kind} raster ${what}, only ${remaining} remain (truncated)`,
    );
  }
}

/** Options of {@link encodePgm}. */
export interface PgmEncodeOptions {
  /** Write "plain" ASCII P2 instead of binary P5 (default false). */
  readonly plain?: boolean;
}

/**
 * Encodes an 8-bit grayscale image (0 black … 255 white, row-major) as a PGM: binary P5 by
 * default, ASCII P2 with `{ plain: true }`; maxval 255.
 * @example
 * ```ts
 * const pgm = encodePgm(new Uint8Array([0, 255]), 2, 1, { plain: true });
 * new TextDecoder().decode(pgm); // "P2\n2 1\n255\n0 255\n"
 * ```
 */
export function encodePgm(
  gray: Uint8Array,
  width: number,
  height: number,
  options: PgmEncodeOptions = {},
): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`encodePgm: bad size ${width}×${height}`);
  }
  if (gray.length !== width * height) {
    throw new RangeError(
      `encodePgm: ${width}×${height} needs ${width * height} bytes, got ${gray.length}`,
    );
  }
  if (options.plain) {
    const rows: string[] = [];
    for (let y = 0; y < height; y++)
      rows.push(Array.from(gray.subarray(y * width, (y + 1) * width)).join(" "));
    return new TextEncoder().encode(`P2\n${width} ${height}\n255\n${rows.join("\n")}\n`);
  }
  const header = new TextEncoder().encode(`P5\n${width} ${height}\n255\n`);
  const out = new Uint8Array(header.length + gray.length);
  out.set(header);
  out.set(gray, header.length);
  return out;
}
