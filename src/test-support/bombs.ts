/**
 * Decompression bombs for tests, built without ever holding what they inflate to: a gzip file of
 * repeated members, each 1 MiB of zeros (`cat`-ed gzip files are one valid file), and a zlib
 * stream of repeated full-flush deflate segments (each starts afresh, so they can be repeated),
 * ended by an empty final block and the Adler-32 of all those zeros. A 1 GB bomb is ~1 MB.
 */
import { constants, deflateRawSync, gzipSync } from "node:zlib";
import { crc32 } from "node:zlib";

const MIB = 1 << 20;

/**
 * A gzip file whose content is `first` followed by zeros, `totalBytes` in all (rounded up to
 * whole MiB of zeros).
 * @example
 * ```ts
 * gzipBomb(1 << 30).length; // ≈ 1 MB that inflate to 1 GiB
 * ```
 */
export function gzipBomb(totalBytes: number, first: Uint8Array = new Uint8Array(0)): Uint8Array {
  const member = gzipSync(new Uint8Array(MIB), { level: 9 });
  const count = Math.ceil(Math.max(0, totalBytes - first.length) / MIB);
  const parts = [gzipSync(first), ...Array.from({ length: count }, () => member)];
  return Uint8Array.from(Buffer.concat(parts));
}

/**
 * A zlib stream (as in a PNG's IDAT) of `totalBytes` zeros, rounded up to whole MiB.
 * @example
 * ```ts
 * inflateSync(zlibBomb(4 << 20)).length; // 4 MiB
 * ```
 */
export function zlibBomb(totalBytes: number): Uint8Array {
  const count = Math.ceil(totalBytes / MIB);
  const segment = deflateRawSync(new Uint8Array(MIB), {
    level: 9,
    finishFlush: constants.Z_FULL_FLUSH,
  });
  const end = deflateRawSync(new Uint8Array(0)); // an empty final block
  const n = count * MIB;
  // Adler-32 of n zeros: A stays 1, B adds A once per byte.
  const adler = (((n % 65521) << 16) | 1) >>> 0;
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(adler);
  const parts = [
    Uint8Array.of(0x78, 0xda),
    ...Array.from({ length: count }, () => segment),
    end,
    trailer,
  ];
  return Uint8Array.from(Buffer.concat(parts));
}

/**
 * A PNG chunk (length, type, data, CRC) for hand-built files.
 * @example
 * ```ts
 * pngChunk("IEND", new Uint8Array(0)).length; // 12
 * ```
 */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
  return Uint8Array.from(out);
}

/**
 * A PNG of a `width`×`height` 8-bit gray image whose IDAT is `idat` as given (e.g. a bomb).
 * @example
 * ```ts
 * pngWithData(1, 1, zlibBomb(1 << 30)); // a 1×1 picture whose data inflate to 1 GiB
 * ```
 */
export function pngWithData(width: number, height: number, idat: Uint8Array): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // gray
  const signature = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
  return Uint8Array.from(
    Buffer.concat([
      signature,
      pngChunk("IHDR", ihdr),
      pngChunk("IDAT", idat),
      pngChunk("IEND", new Uint8Array(0)),
    ]),
  );
}
