/**
 * Gzip inflated within a budget, member by member (RFC 1952), so a 5 MB file of zeros cannot
 * become gigabytes in memory: the caller says how many bytes the content may have (an IDX file's
 * header says exactly how many it has), and inflation stops with a {@link GzipError} the moment
 * it would exceed that (node:zlib's `maxOutputLength`). No paper reference: MNIST is distributed
 * gzipped, that is all.
 *
 * Each member is: header (1f 8b, method 8, flags, optional extra/name/comment/CRC fields), a raw
 * deflate stream, then CRC-32 and size of its content (little-endian). Members may follow one
 * another (`cat a.gz b.gz`); zero bytes after the last are padding, anything else after it is
 * reported as trailing garbage rather than as zlib's puzzling "incorrect header check".
 *
 * Input: gzip bytes. Output: the inflated bytes (at most the budget).
 */
import { constants, crc32, inflateRawSync } from "node:zlib";

/** What is wrong with a gzip stream. */
export type GzipProblem = "corrupt" | "truncated" | "trailing-garbage" | "too-large";

/**
 * A gzip stream that cannot be inflated within its budget; callers turn it into their own error
 * naming the file.
 * @example
 * ```ts
 * try {
 *   gunzipWithin(gzipSync(new Uint8Array(100)), 10);
 * } catch (error) {
 *   if (error instanceof GzipError) console.log(error.problem); // "too-large"
 * }
 * ```
 */
export class GzipError extends Error {
  /** The kind of problem, for programs. */
  readonly problem: GzipProblem;

  /**
   * @param problem - the kind of problem.
   * @param message - what is wrong, in plain words (no file name: the caller adds it).
   */
  constructor(problem: GzipProblem, message: string) {
    super(message);
    this.name = "GzipError";
    this.problem = problem;
  }
}

/** Header flag bits (RFC 1952, section 2.3.1). */
const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const RESERVED_FLAGS = 0xe0;

/** Bytes of compressed data tried, in turn, to find the first bytes of the content. */
const HEAD_ATTEMPTS = [1024, 16384];

/** True when a gzip member starts at `at` (1f 8b). */
function startsMember(bytes: Uint8Array, at: number): boolean {
  return bytes[at] === 0x1f && bytes[at + 1] === 0x8b;
}

/** Where the deflate data of the member starting at `at` begins (its header parsed and checked). */
function memberBodyStart(bytes: Uint8Array, at: number): number {
  const truncated = () =>
    new GzipError("truncated", `the gzip stream ends inside a member header (byte ${at})`);
  if (bytes.length - at < 10) throw truncated();
  if (!startsMember(bytes, at)) {
    throw new GzipError("corrupt", `no gzip member starts at byte ${at} (expected 1f 8b)`);
  }
  if (bytes[at + 2] !== 8) {
    throw new GzipError("corrupt", `gzip compression method ${bytes[at + 2]} is not deflate (8)`);
  }
  const flags = bytes[at + 3];
  if (flags & RESERVED_FLAGS)
    throw new GzipError("corrupt", `gzip header flags ${flags} are invalid`);
  let p = at + 10;
  if (flags & FEXTRA) {
    if (p + 2 > bytes.length) throw truncated();
    p += 2 + (bytes[p] | (bytes[p + 1] << 8));
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    const zero = bytes.indexOf(0, p);
    if (zero < 0) throw truncated();
    p = zero + 1;
  }
  if (flags & FHCRC) p += 2;
  if (p > bytes.length) throw truncated();
  return p;
}

/** zlib's error as a GzipError: over budget, cut short, or corrupt. */
function inflateFailure(error: unknown, budget: number): GzipError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ERR_BUFFER_TOO_LARGE") {
    return new GzipError("too-large", `inflates to more than ${budget} bytes`);
  }
  if (code === "Z_BUF_ERROR") {
    return new GzipError(
      "truncated",
      "the gzip stream ends before its compressed data do (truncated)",
    );
  }
  return new GzipError("corrupt", `does not inflate: ${(error as Error).message}`);
}

/** The raw inflate of node:zlib with `info`, which also reports the input bytes it consumed. */
type InflateRawWithInfo = (
  input: Uint8Array,
  options: { info: true; maxOutputLength: number },
) => { buffer: Buffer; engine: { bytesWritten: number } };

/** Inflates the member whose deflate data start at `body`; returns its content and its end. */
function inflateMember(
  bytes: Uint8Array,
  body: number,
  budget: number,
): { content: Uint8Array; end: number } {
  let result: ReturnType<InflateRawWithInfo>;
  try {
    // maxOutputLength must be ≥ 1; a budget of 0 is checked on the result below.
    result = (inflateRawSync as unknown as InflateRawWithInfo)(bytes.subarray(body), {
      info: true,
      maxOutputLength: Math.max(1, budget),
    });
  } catch (error) {
    throw inflateFailure(error, budget);
  }
  const content = plain(result.buffer);
  if (content.length > budget)
    throw new GzipError("too-large", `inflates to more than ${budget} bytes`);
  const trailer = body + result.engine.bytesWritten; // raw inflate stops at the deflate end
  if (trailer + 8 > bytes.length) {
    throw new GzipError("truncated", "the gzip stream ends before its CRC-32 and size (truncated)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + trailer, 8);
  if (view.getUint32(0, true) !== crc32(content) >>> 0) {
    throw new GzipError("corrupt", "gzip CRC-32 does not match the inflated data (corrupt file)");
  }
  if (view.getUint32(4, true) !== content.length % 2 ** 32) {
    throw new GzipError(
      "corrupt",
      "gzip size field does not match the inflated data (corrupt file)",
    );
  }
  return { content, end: trailer + 8 };
}

/** True when every byte from `at` on is zero (padding some tools leave after gzip data). */
function zeroFrom(bytes: Uint8Array, at: number): boolean {
  for (let i = at; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * The whole content of a gzip stream, refusing to inflate more than `maxBytes`: a
 * {@link GzipError} "too-large" the moment it would ("corrupt", "truncated" or
 * "trailing-garbage" for damaged streams).
 * @example
 * ```ts
 * gunzipWithin(gzipSync(Uint8Array.of(1, 2, 3)), 3); // Uint8Array [1, 2, 3]
 * ```
 */
export function gunzipWithin(bytes: Uint8Array, maxBytes: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  let at = 0;
  do {
    const { content, end } = inflateMember(bytes, memberBodyStart(bytes, at), maxBytes - total);
    parts.push(content);
    total += content.length;
    at = end;
  } while (at < bytes.length && startsMember(bytes, at));
  if (at < bytes.length && !zeroFrom(bytes, at)) {
    throw new GzipError(
      "trailing-garbage",
      `the gzip stream ends at byte ${at}, but ${bytes.length - at} bytes of other data follow`,
    );
  }
  return parts.length === 1 ? parts[0] : concat(parts, total);
}

/**
 * The first `wanted` bytes of a gzip stream's content (fewer only when the content is shorter),
 * inflating only a little of it: enough to read a header that says how long the rest is. Short
 * members are inflated whole (within what is still wanted); of the member that holds more, only
 * the start: at most 16 KiB of compressed data, and deflate expands at most ~1032×, so at most
 * ~17 MB come out whatever the stream.
 * @example
 * ```ts
 * gunzipHead(gzipSync(new Uint8Array(1 << 20)), 16).length; // 16
 * ```
 */
export function gunzipHead(bytes: Uint8Array, wanted: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  let at = 0;
  while (total < wanted && at < bytes.length && (at === 0 || startsMember(bytes, at))) {
    const body = memberBodyStart(bytes, at);
    try {
      const { content, end } = inflateMember(bytes, body, wanted - total);
      parts.push(content);
      total += content.length;
      at = end;
    } catch (error) {
      if (!(error instanceof GzipError && error.problem === "too-large")) throw error;
      const start = memberStart(bytes, body, wanted - total); // this member holds the rest
      parts.push(start);
      total += start.length;
    }
  }
  return concat(parts, total).subarray(0, wanted);
}

/**
 * At least `needed` bytes from the start of a member known to hold more, inflating a prefix of
 * its compressed data only.
 */
function memberStart(bytes: Uint8Array, body: number, needed: number): Uint8Array {
  for (const size of HEAD_ATTEMPTS) {
    const end = Math.min(bytes.length, body + size);
    let content: Uint8Array;
    try {
      // Z_SYNC_FLUSH: give what the prefix holds instead of failing on the cut.
      content = plain(
        inflateRawSync(bytes.subarray(body, end), { finishFlush: constants.Z_SYNC_FLUSH }),
      );
    } catch (error) {
      throw inflateFailure(error, needed);
    }
    if (content.length >= needed) return content;
  }
  throw new GzipError(
    "corrupt",
    `the first ${HEAD_ATTEMPTS[HEAD_ATTEMPTS.length - 1]} compressed bytes of a gzip member ` +
      `inflate to fewer than ${needed} bytes`,
  );
}

/** A Buffer as a plain Uint8Array over the same memory (what the IDX parser hands on). */
function plain(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
