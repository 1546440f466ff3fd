/**
 * A tiny PNG writer for chart rasters that runs in browsers as well as Node: images given as
 * 8-bit palette indices, written as `data:image/png;base64,…` URLs. No paper reference: it is how a chart shows
 * an image — one `<image>` per digit or feature map keeps an SVG small where one `<rect>` per
 * pixel would weigh tens of kilobytes per map (Plot's own `raster` mark needs a canvas, which
 * jsdom lacks).
 *
 * Departure from src/data/png.ts (the project's full codec): no node:zlib here, so the zlib stream
 * holds *stored* (uncompressed) deflate blocks (RFC 1950/1951): header 0x78 0x01, blocks of
 * ≤ 65,535 bytes as [final bit · type 00][LEN u16 LE][~LEN u16 LE][bytes], then Adler-32 (BE).
 * Every scanline uses filter 0 (None). Chunks: IHDR, PLTE (256 RGB entries; palette images only),
 * IDAT, IEND, each followed by the CRC-32 of its type and data.
 * Input shape: palette indices [height, width] (row-major) and a palette [256, 3].
 * Output shape: a data URL string.
 */

/** The eight bytes every PNG starts with. */
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Largest stored deflate block. */
const MAX_STORED_BLOCK = 65_535;
const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** CRC-32 (polynomial 0xEDB88320) lookup table; constant. */
const CRC_TABLE: readonly number[] = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 of bytes, as PNG chunks use it. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Adler-32 of bytes, the zlib stream's checksum. */
export function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65_521;
    b = (b + a) % 65_521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Standard base64 (RFC 4648) of bytes, with padding. */
export function base64(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += BASE64[(n >> 18) & 63] + BASE64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? BASE64[(n >> 6) & 63] : "=";
    out += i + 2 < bytes.length ? BASE64[n & 63] : "=";
  }
  return out;
}

/** A zlib stream of stored (uncompressed) deflate blocks holding `raw`. */
export function zlibStored(raw: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(raw.length / MAX_STORED_BLOCK));
  const out = new Uint8Array(2 + blocks * 5 + raw.length + 4);
  out[0] = 0x78; // deflate, 32 KiB window
  out[1] = 0x01; // no preset dictionary; (0x78·256 + 0x01) % 31 = 0 as zlib requires
  let at = 2;
  for (let block = 0; block < blocks; block++) {
    const start = block * MAX_STORED_BLOCK;
    const length = Math.min(MAX_STORED_BLOCK, raw.length - start);
    out[at++] = block === blocks - 1 ? 1 : 0;
    out[at++] = length & 0xff;
    out[at++] = length >>> 8;
    out[at++] = ~length & 0xff;
    out[at++] = (~length >>> 8) & 0xff;
    out.set(raw.subarray(start, start + length), at);
    at += length;
  }
  const checksum = adler32(raw);
  out[at++] = checksum >>> 24;
  out[at++] = (checksum >>> 16) & 0xff;
  out[at++] = (checksum >>> 8) & 0xff;
  out[at++] = checksum & 0xff;
  return out;
}

/** One PNG chunk: length, type, data, CRC. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * PNG bytes of an image given as palette indices: stored with its palette (colour type 3, one
 * byte per pixel plus 768 for the palette) or, when that is smaller (under 384 pixels: a 5×5
 * kernel, a 7×12 bitmap), as plain RGB (colour type 2, three bytes per pixel). Same picture.
 * @param indices palette index per pixel, row-major, `width × height` of them
 * @param palette 256 RGB triples (768 bytes)
 */
export function encodePalettePng(
  indices: Uint8Array,
  width: number,
  height: number,
  palette: Uint8Array,
): Uint8Array {
  if (indices.length !== width * height)
    throw new RangeError(
      `encodePalettePng: ${width}×${height} needs ${width * height} indices, got ${indices.length}`,
    );
  if (palette.length !== 768)
    throw new RangeError(`encodePalettePng: palette needs 768 bytes, got ${palette.length}`);
  const rgb = 3 * width * height < 768 + width * height;
  const bytesPerPixel = rgb ? 3 : 1;
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, rgb ? 2 : 3, 0, 0, 0], 8); // 8-bit, RGB or palette, deflate, filter 0, no interlace
  const stride = width * bytesPerPixel + 1; // each scanline: filter byte 0, then the pixels
  const raw = new Uint8Array(height * stride);
  for (let row = 0; row < height; row++)
    for (let col = 0; col < width; col++) {
      const index = indices[row * width + col];
      const at = row * stride + 1 + col * bytesPerPixel;
      if (rgb) raw.set(palette.subarray(3 * index, 3 * index + 3), at);
      else raw[at] = index;
    }
  const parts = [
    Uint8Array.from(SIGNATURE),
    chunk("IHDR", header),
    ...(rgb ? [] : [chunk("PLTE", palette)]),
    chunk("IDAT", zlibStored(raw)),
    chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * A `data:image/png;base64,…` URL of an image given as palette indices.
 * @example
 * ```ts
 * const palette = new Uint8Array(768).fill(255); // every index white
 * const url = paletteImageDataUrl(new Uint8Array(4), 2, 2, palette);
 * url.startsWith("data:image/png;base64,iVBORw0KGgo"); // true
 * ```
 */
export function paletteImageDataUrl(
  indices: Uint8Array,
  width: number,
  height: number,
  palette: Uint8Array,
): string {
  return `data:image/png;base64,${base64(encodePalettePng(indices, width, height, palette))}`;
}
