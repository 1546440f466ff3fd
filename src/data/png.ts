/**
 * PNG, read and written with node:zlib only (no image library): the decoder for `predict` and
 * the encoder the tests, CLI and notebooks draw pictures with, side by side. No paper reference:
 * the paper's digits came as scanned bitmaps; PNG is today's way to hand a digit to the model.
 *
 * Format (PNG specification, W3C 2003): the 8-byte signature, then chunks
 *   length (u32 BE) · type (4 ASCII) · data · CRC-32 of type+data (u32 BE)
 * IHDR (width, height, bit depth, colour type, 0, 0, interlace) first, PLTE for palettes, tRNS
 * for simple transparency, IDAT (zlib stream of filtered scanlines), IEND last. Each scanline
 * starts with a filter byte; with a = left, b = up, c = up-left byte (0 off the image):
 *   0 None: x   1 Sub: x + a   2 Up: x + b   3 Average: x + ⌊(a + b)/2⌋   4 Paeth: x + P(a, b, c)
 * all mod 256, where P picks whichever of a, b, c is closest to a + b − c (ties a, then b).
 *
 * Supported: colour types 0 (gray; 1, 2, 4, 8, 16 bit), 2 (RGB; 8, 16), 3 (palette; 1, 2, 4, 8),
 * 4 (gray+alpha; 8, 16), 6 (RGBA; 8, 16); Adam7 interlacing; tRNS. Every chunk's CRC is checked.
 * Bounded: the IHDR's size is checked against MAX_IMAGE_PIXELS before anything is decoded, and
 * the image data are inflated no further than the exact byte count that size needs, so a small
 * file cannot inflate to gigabytes. A second IHDR is refused, not silently preferred.
 * Ignored: gamma, colour profiles and text chunks (a digit needs none).
 * Input shape: PNG bytes.  Output shape: samples [height, width, channels] in 0…1 (palette images
 * become RGB, or RGBA with tRNS; gray/RGB with a tRNS colour gain an alpha channel).
 */
import { crc32, deflateSync, inflateSync } from "node:zlib";
import {
  ImageFileError,
  MAX_IMAGE_PIXELS,
  tooManyPixels,
  type ChannelCount,
  type DecodedImage,
} from "./image-codec";

/** The eight bytes every PNG file starts with. */
export const PNG_SIGNATURE: readonly number[] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** PNG colour types: 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA. */
export type PngColourType = 0 | 2 | 3 | 4 | 6;

/** Bit depths each colour type allows (PNG specification, Table 11.1). */
const ALLOWED_BIT_DEPTHS: Readonly<Record<PngColourType, readonly number[]>> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

/** Samples per pixel in the file (a palette index is one sample). */
const FILE_CHANNELS: Readonly<Record<PngColourType, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** The seven Adam7 passes: first column, first row, column step, row step. */
const ADAM7: readonly (readonly [number, number, number, number])[] = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

/** True when `bytes` begins with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** The PNG header (IHDR) fields lenet5 uses. */
interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colourType: PngColourType;
  interlaced: boolean;
}

/** Paeth predictor: whichever of a (left), b (up), c (up-left) is closest to a + b − c. */
function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

/**
 * Undoes the filters of `rows` scanlines of `stride` bytes each (filter byte first) starting at
 * `offset` of `data`, in place: each line's bytes become the unfiltered row (the predictors read
 * only bytes already unfiltered, left and above), so no second copy of the image is needed.
 * Returns where row y starts: `offset + y·(stride + 1) + 1`. `bpp` is the byte distance to the
 * "left" neighbour (at least 1).
 */
function unfilterInPlace(
  data: Uint8Array,
  offset: number,
  rows: number,
  stride: number,
  bpp: number,
  file: string,
): void {
  for (let y = 0; y < rows; y++) {
    const filter = data[offset + y * (stride + 1)];
    const row = offset + y * (stride + 1) + 1;
    const up = row - (stride + 1); // the previous row, already unfiltered; y = 0 reads 0
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? data[row + i - bpp] : 0;
      const b = y > 0 ? data[up + i] : 0;
      const c = y > 0 && i >= bpp ? data[up + i - bpp] : 0;
      let predictor: number;
      switch (filter) {
        case 0:
          predictor = 0;
          break;
        case 1:
          predictor = a;
          break;
        case 2:
          predictor = b;
          break;
        case 3:
          predictor = (a + b) >> 1;
          break;
        case 4:
          predictor = paeth(a, b, c);
          break;
        default:
          throw new ImageFileError(
            file,
            "bad-data",
            `PNG scanline ${y} has unknown filter type ${filter}`,
          );
      }
      data[row + i] = (data[row + i] + predictor) & 0xff;
    }
  }
}

/** The forward filter of one scanline: `line` minus its predictor (filter type `filter`). */
function filterLine(
  current: Uint8Array,
  previous: Uint8Array | undefined,
  bpp: number,
  filter: number,
  out: Uint8Array,
): void {
  for (let i = 0; i < current.length; i++) {
    const a = i >= bpp ? current[i - bpp] : 0;
    const b = previous ? previous[i] : 0;
    const c = previous && i >= bpp ? previous[i - bpp] : 0;
    const predictor =
      filter === 0
        ? 0
        : filter === 1
          ? a
          : filter === 2
            ? b
            : filter === 3
              ? (a + b) >> 1
              : paeth(a, b, c);
    out[i] = (current[i] - predictor) & 0xff;
  }
}

/** Sample `index` of a row of packed `bitDepth`-bit samples (MSB first; 16-bit big-endian). */
function readSample(row: Uint8Array, index: number, bitDepth: number): number {
  if (bitDepth === 8) return row[index];
  if (bitDepth === 16) return (row[2 * index] << 8) | row[2 * index + 1];
  const perByte = 8 / bitDepth;
  const byte = row[Math.floor(index / perByte)];
  const shift = 8 - bitDepth * ((index % perByte) + 1);
  return (byte >> shift) & ((1 << bitDepth) - 1);
}

/** Writes sample `index` into a row of packed `bitDepth`-bit samples (the inverse of readSample). */
function writeSample(row: Uint8Array, index: number, bitDepth: number, value: number): void {
  if (bitDepth === 8) {
    row[index] = value;
  } else if (bitDepth === 16) {
    row[2 * index] = value >> 8;
    row[2 * index + 1] = value & 0xff;
  } else {
    const perByte = 8 / bitDepth;
    const shift = 8 - bitDepth * ((index % perByte) + 1);
    row[Math.floor(index / perByte)] |= (value & ((1 << bitDepth) - 1)) << shift;
  }
}

/** Bytes of one scanline of `width` pixels (without the filter byte). */
function strideOf(width: number, colourType: PngColourType, bitDepth: number): number {
  return Math.ceil((width * FILE_CHANNELS[colourType] * bitDepth) / 8);
}

/** The sub-images an image is stored as: one for a plain PNG, up to seven for Adam7. */
function passesOf(
  header: Pick<PngHeader, "width" | "height" | "interlaced">,
): { x0: number; y0: number; dx: number; dy: number; width: number; height: number }[] {
  const passes = header.interlaced ? ADAM7 : [[0, 0, 1, 1] as const];
  return passes
    .map(([x0, y0, dx, dy]) => ({
      x0,
      y0,
      dx,
      dy,
      width: Math.ceil((header.width - x0) / dx),
      height: Math.ceil((header.height - y0) / dy),
    }))
    .filter((pass) => pass.width > 0 && pass.height > 0); // empty passes store nothing
}

/** Reads a big-endian uint32. */
function u32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

/** Parses and checks the IHDR chunk. */
function parseHeader(data: Uint8Array, file: string): PngHeader {
  if (data.length !== 13) {
    throw new ImageFileError(file, "bad-header", `PNG IHDR is ${data.length} bytes, expected 13`);
  }
  const width = u32(data, 0);
  const height = u32(data, 4);
  const [bitDepth, colourType, compression, filterMethod, interlace] = data.subarray(8, 13);
  if (width === 0 || height === 0) {
    throw new ImageFileError(file, "bad-header", `PNG size ${width}×${height} is not usable`);
  }
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new ImageFileError(file, "too-large", tooManyPixels("PNG", width, height));
  }
  if (!(colourType in ALLOWED_BIT_DEPTHS)) {
    throw new ImageFileError(file, "bad-header", `PNG colour type ${colourType} does not exist`);
  }
  const type = colourType as PngColourType;
  if (!ALLOWED_BIT_DEPTHS[type].includes(bitDepth)) {
    throw new ImageFileError(
      file,
      "bad-header",
      `PNG colour type ${type} cannot have bit depth ${bitDepth} (allowed: ${ALLOWED_BIT_DEPTHS[type].join(", ")})`,
    );
  }
  if (compression !== 0 || filterMethod !== 0 || interlace > 1) {
    throw new ImageFileError(
      file,
      "unsupported",
      `PNG uses compression ${compression}, filter method ${filterMethod}, interlace ${interlace}; only 0, 0, 0/1 exist`,
    );
  }
  return { width, height, bitDepth, colourType: type, interlaced: interlace === 1 };
}

/**
 * Decodes a PNG file's bytes. `file` names it in errors ({@link ImageFileError}: truncated
 * chunks, bad CRCs, bad headers, corrupt image data, unknown critical chunks).
 * @example
 * ```ts
 * const png = encodePng(new Uint8Array([0, 255]), 2, 1);
 * decodePng(png, "two.png").samples; // Float32Array [0, 1]
 * ```
 */
export function decodePng(bytes: Uint8Array, file: string): DecodedImage {
  if (!isPng(bytes)) {
    throw new ImageFileError(
      file,
      "not-an-image",
      "not a PNG file (the 8-byte PNG signature is missing)",
    );
  }
  let header: PngHeader | undefined;
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let offset = 8;
  let ended = false;
  while (!ended) {
    if (offset + 8 > bytes.length) {
      throw new ImageFileError(
        file,
        "truncated",
        `PNG ends after ${bytes.length} bytes, before its IEND chunk`,
      );
    }
    const length = u32(bytes, offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const end = offset + 12 + length;
    if (end > bytes.length) {
      throw new ImageFileError(
        file,
        "truncated",
        `PNG chunk ${JSON.stringify(type)} at byte ${offset} needs ${length + 12} bytes, only ${bytes.length - offset} remain (truncated file)`,
      );
    }
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    const stored = u32(bytes, offset + 8 + length);
    const computed = crc32(bytes.subarray(offset + 4, offset + 8 + length)) >>> 0;
    if (stored !== computed) {
      throw new ImageFileError(
        file,
        "bad-crc",
        `PNG chunk ${JSON.stringify(type)} at byte ${offset} has CRC ${hex(stored)}, its bytes give ${hex(computed)} (corrupt file)`,
      );
    }
    if (header === undefined && type !== "IHDR") {
      throw new ImageFileError(
        file,
        "bad-header",
        `PNG's first chunk is ${JSON.stringify(type)}, not IHDR`,
      );
    }
    switch (type) {
      case "IHDR":
        if (header !== undefined) {
          throw new ImageFileError(
            file,
            "bad-header",
            `PNG has a second IHDR chunk at byte ${offset}; a PNG has exactly one`,
          );
        }
        header = parseHeader(data, file);
        break;
      case "PLTE":
        if (length % 3 !== 0 || length === 0 || length > 768) {
          throw new ImageFileError(
            file,
            "bad-data",
            `PNG palette of ${length} bytes is not 1–256 RGB entries`,
          );
        }
        palette = data;
        break;
      case "tRNS":
        transparency = data;
        break;
      case "IDAT":
        idat.push(data);
        break;
      case "IEND":
        ended = true;
        break;
      default:
        // Bit 5 of the first letter clear (upper case) marks a chunk a decoder must understand.
        if ((type.charCodeAt(0) & 0x20) === 0) {
          throw new ImageFileError(
            file,
            "unsupported",
            `PNG has critical chunk ${JSON.stringify(type)}, unknown to lenet5`,
          );
        }
    }
    offset = end;
  }
  if (header === undefined) throw new ImageFileError(file, "bad-header", "PNG has no IHDR chunk");
  if (idat.length === 0) throw new ImageFileError(file, "bad-data", "PNG has no image data (IDAT)");
  if (header.colourType === 3 && palette === undefined) {
    throw new ImageFileError(file, "bad-data", "palette PNG without a PLTE chunk");
  }

  const raw = inflateImageData(idat, header, file);
  return expandSamples(header, unfilterAll(raw, header, file), palette, transparency, file);
}

/** Bytes the image data of `header`'s image inflate to: every pass's scanlines, filter bytes included. */
function imageDataBytes(header: PngHeader): number {
  return passesOf(header).reduce(
    (sum, pass) =>
      sum + pass.height * (strideOf(pass.width, header.colourType, header.bitDepth) + 1),
    0,
  );
}

/**
 * The IDAT chunks inflated, stopping at the bytes the header's image needs (node:zlib's
 * maxOutputLength): a 1×1 picture whose data would inflate to a gigabyte is refused at once.
 */
function inflateImageData(
  idat: readonly Uint8Array[],
  header: PngHeader,
  file: string,
): Uint8Array {
  const needed = imageDataBytes(header);
  try {
    return inflateSync(Buffer.concat(idat), { maxOutputLength: needed });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      throw new ImageFileError(
        file,
        "bad-data",
        `PNG image data inflate to more than the ${needed.toLocaleString("en-US")} bytes a ` +
          `${header.width}×${header.height} image needs (stopped there)`,
      );
    }
    throw new ImageFileError(
      file,
      "bad-data",
      `PNG image data does not inflate: ${(error as Error).message}`,
    );
  }
}

/** Unfilters every pass and puts each pixel's raw samples at its place: Uint16 [h, w, fileChannels]. */
function unfilterAll(raw: Uint8Array, header: PngHeader, file: string): Uint16Array {
  const { width, height, bitDepth, colourType } = header;
  const channels = FILE_CHANNELS[colourType];
  const bpp = Math.max(1, (channels * bitDepth) / 8);
  const values = new Uint16Array(width * height * channels); // [h, w, channels]; samples ≤ 16 bit
  let offset = 0;
  for (const pass of passesOf(header)) {
    const stride = strideOf(pass.width, colourType, bitDepth);
    const needed = pass.height * (stride + 1);
    if (offset + needed > raw.length) {
      throw new ImageFileError(
        file,
        "truncated",
        `PNG image data inflates to ${raw.length} bytes, fewer than the ${width}×${height} image needs (truncated)`,
      );
    }
    unfilterInPlace(raw, offset, pass.height, stride, bpp, file);
    for (let y = 0; y < pass.height; y++) {
      const start = offset + y * (stride + 1) + 1;
      const row = raw.subarray(start, start + stride);
      for (let x = 0; x < pass.width; x++) {
        const pixel = ((pass.y0 + y * pass.dy) * width + pass.x0 + x * pass.dx) * channels;
        for (let k = 0; k < channels; k++)
          values[pixel + k] = readSample(row, x * channels + k, bitDepth);
      }
    }
    offset += needed;
  }
  if (offset !== raw.length) {
    throw new ImageFileError(
      file,
      "bad-data",
      `PNG image data has ${raw.length - offset} bytes too many`,
    );
  }
  return values;
}

/** Raw samples → 0…1 samples, expanding palettes and tRNS colour keys into colour and alpha. */
function expandSamples(
  header: PngHeader,
  values: Uint16Array,
  palette: Uint8Array | undefined,
  transparency: Uint8Array | undefined,
  file: string,
): DecodedImage {
  const { width, height, bitDepth, colourType } = header;
  const pixels = width * height;
  const maxValue = 2 ** bitDepth - 1;
  if (colourType === 3) {
    const entries = palette!.length / 3;
    const channels: ChannelCount = transparency ? 4 : 3;
    const samples = new Float32Array(pixels * channels); // [h, w, 3 or 4]
    for (let i = 0; i < pixels; i++) {
      const index = values[i];
      if (index >= entries) {
        throw new ImageFileError(
          file,
          "bad-data",
          `PNG pixel ${i} uses palette entry ${index} of ${entries}`,
        );
      }
      for (let k = 0; k < 3; k++) samples[i * channels + k] = palette![index * 3 + k] / 255;
      if (transparency)
        samples[i * channels + 3] = (index < transparency.length ? transparency[index] : 255) / 255;
    }
    return { format: "png", width, height, channels, samples };
  }
  const fileChannels = FILE_CHANNELS[colourType];
  // A tRNS colour key (gray: one u16, RGB: three) makes that exact colour fully transparent.
  const key =
    transparency && (colourType === 0 || colourType === 2)
      ? Array.from(
          { length: fileChannels },
          (_, k) => (transparency[2 * k] << 8) | transparency[2 * k + 1],
        )
      : undefined;
  const channels = (fileChannels + (key ? 1 : 0)) as ChannelCount;
  const samples = new Float32Array(pixels * channels); // [h, w, channels]
  for (let i = 0; i < pixels; i++) {
    let keyed = key !== undefined;
    for (let k = 0; k < fileChannels; k++) {
      const value = values[i * fileChannels + k];
      samples[i * channels + k] = value / maxValue;
      if (key && value !== key[k]) keyed = false;
    }
    if (key) samples[i * channels + fileChannels] = keyed ? 0 : 1;
  }
  return { format: "png", width, height, channels, samples };
}

/** Options of {@link encodePngSamples}. */
export interface PngEncodeOptions {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA (default 0). */
  readonly colourType?: PngColourType;
  /** Bits per sample, as the colour type allows (default 8). */
  readonly bitDepth?: number;
  /** Integer samples [height, width, channels] (palette: indices), each below 2^bitDepth. */
  readonly samples: ArrayLike<number>;
  /** Palette entries as [r, g, b] bytes (colour type 3). */
  readonly palette?: readonly (readonly [number, number, number])[];
  /** tRNS chunk: palette alphas (type 3) or the transparent gray / [r, g, b] (types 0 / 2). */
  readonly transparency?: readonly number[];
  /** Adam7 interlacing (default false). */
  readonly interlaced?: boolean;
  /** Filter for every scanline, or "adaptive" (default: per line, the one with the least Σ|byte|). */
  readonly filter?: 0 | 1 | 2 | 3 | 4 | "adaptive";
}

/**
 * Encodes integer samples as a PNG of any colour type and bit depth (the inverse of
 * {@link decodePng}); tests use it to build every kind of PNG lenet5 reads.
 * @example
 * ```ts
 * // A 2×1 RGB image: one red pixel, one blue one.
 * const png = encodePngSamples({ width: 2, height: 1, colourType: 2, samples: [255, 0, 0, 0, 0, 255] });
 * ```
 */
export function encodePngSamples(options: PngEncodeOptions): Uint8Array {
  const { width, height, samples, palette, transparency } = options;
  const colourType = options.colourType ?? 0;
  const bitDepth = options.bitDepth ?? 8;
  const interlaced = options.interlaced ?? false;
  const filter = options.filter ?? "adaptive";
  const channels = FILE_CHANNELS[colourType];
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`encodePngSamples: bad size ${width}×${height}`);
  }
  if (!ALLOWED_BIT_DEPTHS[colourType]?.includes(bitDepth)) {
    throw new RangeError(
      `encodePngSamples: colour type ${colourType} cannot have bit depth ${bitDepth}`,
    );
  }
  if (samples.length !== width * height * channels) {
    throw new RangeError(
      `encodePngSamples: ${width}×${height}×${channels} samples expected, got ${samples.length}`,
    );
  }
  if (colourType === 3 && (palette === undefined || palette.length === 0)) {
    throw new RangeError("encodePngSamples: colour type 3 needs a palette");
  }
  const maxValue = 2 ** bitDepth - 1;
  const bpp = Math.max(1, (channels * bitDepth) / 8);
  const parts: Uint8Array[] = [];
  for (const pass of passesOf({ width, height, interlaced })) {
    const stride = strideOf(pass.width, colourType, bitDepth);
    let previous: Uint8Array | undefined;
    for (let y = 0; y < pass.height; y++) {
      const row = new Uint8Array(stride);
      for (let x = 0; x < pass.width; x++) {
        const pixel = ((pass.y0 + y * pass.dy) * width + pass.x0 + x * pass.dx) * channels;
        for (let k = 0; k < channels; k++) {
          const value = samples[pixel + k];
          if (!Number.isInteger(value) || value < 0 || value > maxValue) {
            throw new RangeError(
              `encodePngSamples: sample ${pixel + k} = ${value} is not in 0…${maxValue}`,
            );
          }
          writeSample(row, x * channels + k, bitDepth, value);
        }
      }
      parts.push(chooseFilter(row, previous, bpp, filter));
      previous = row;
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([bitDepth, colourType, 0, 0, interlaced ? 1 : 0], 8);
  const chunks = [chunk("IHDR", header)];
  if (palette) chunks.push(chunk("PLTE", Uint8Array.from(palette.flat())));
  if (transparency) {
    const trns =
      colourType === 3
        ? Uint8Array.from(transparency)
        : Uint8Array.from(transparency.flatMap((v) => [v >> 8, v & 0xff]));
    chunks.push(chunk("tRNS", trns));
  }
  chunks.push(chunk("IDAT", deflateSync(Buffer.concat(parts))));
  chunks.push(chunk("IEND", new Uint8Array(0)));
  return Uint8Array.from(Buffer.concat([Uint8Array.from(PNG_SIGNATURE), ...chunks]));
}

/** A filtered scanline with its filter byte: the requested filter, or the adaptive pick. */
function chooseFilter(
  row: Uint8Array,
  previous: Uint8Array | undefined,
  bpp: number,
  filter: PngEncodeOptions["filter"],
): Uint8Array {
  const candidates = filter === "adaptive" || filter === undefined ? [0, 1, 2, 3, 4] : [filter];
  let best: Uint8Array | undefined;
  let bestCost = Infinity;
  for (const type of candidates) {
    const line = new Uint8Array(row.length + 1);
    line[0] = type;
    filterLine(row, previous, bpp, type, line.subarray(1));
    // The usual heuristic: bytes read as signed, the smallest Σ|byte| compresses best.
    let cost = 0;
    for (let i = 1; i < line.length; i++) cost += line[i] < 128 ? line[i] : 256 - line[i];
    if (cost < bestCost) {
      bestCost = cost;
      best = line;
    }
  }
  return best!;
}

/** One PNG chunk: length, type, data, CRC-32 of type + data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)) >>> 0);
  return out;
}

/**
 * Encodes an 8-bit grayscale image (0 black … 255 white, row-major) as a PNG.
 * @example
 * ```ts
 * const png = encodePng(new Uint8Array(28 * 28).fill(255), 28, 28); // a white 28×28 PNG
 * writeFileSync("white.png", png);
 * ```
 */
export function encodePng(gray: Uint8Array, width: number, height: number): Uint8Array {
  return encodePngSamples({ width, height, colourType: 0, bitDepth: 8, samples: gray });
}

/** A CRC as 0x-prefixed hex, for messages. */
function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, "0")}`;
}
