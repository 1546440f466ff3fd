/**
 * IDX files: the plain binary format MNIST ships in (paper Section III-A describes the database;
 * the format itself is documented on the MNIST page, not in the paper).
 *
 * Layout, every integer a big-endian uint32:
 *   images: magic 2051 (0x00000803), count, rows, cols, then count·rows·cols pixel bytes
 *   labels: magic 2049 (0x00000801), count, then count label bytes (digits 0–9)
 * Pixels are row-major; 0 is background (white paper), 255 full ink.
 *
 * Input shape: raw file bytes, optionally gzipped (detected by the 1f 8b magic, not by name).
 * Output shape: images → pixels [count, rows, cols] as one Uint8Array; labels → [count].
 *
 * Memory is bounded by what the header claims, never by what a file could inflate to: the
 * header is read first (from disk, or by inflating only the start of a gzip stream), checked,
 * and the rest is read or inflated only up to the size it gives ({@link IDX_MAX_BYTES} at most).
 * Only regular files are read (./regular-file.ts): a FIFO, a device or a folder is refused.
 *
 * Every failure is an {@link IdxError} whose message starts with the file and says what is wrong.
 */
import { GzipError, gunzipHead, gunzipWithin } from "./gzip";
import {
  closeOpenedFile,
  type FileAccessFault,
  openRegularFile,
  readFileRange,
  readRegularFile,
  tooLargeProblem,
} from "./regular-file";

/** Magic number of an IDX file of unsigned-byte images: type 0x08, three dimensions. */
export const IDX_IMAGES_MAGIC = 2051;
/** Magic number of an IDX file of unsigned-byte labels: type 0x08, one dimension. */
export const IDX_LABELS_MAGIC = 2049;
/** Bytes before the first pixel of an images file: magic, count, rows, cols. */
export const IDX_IMAGES_HEADER_BYTES = 16;
/** Bytes before the first label of a labels file: magic, count. */
export const IDX_LABELS_HEADER_BYTES = 8;
/**
 * Largest image side lenet5 accepts. Not part of the format: a guard so a garbage header is
 * reported as bad dimensions rather than as a file "missing" terabytes.
 */
export const IDX_MAX_SIDE = 4096;
/** Largest label value: MNIST-format sets have ten classes, 0–9. */
export const IDX_MAX_LABEL = 9;
/**
 * Largest IDX file lenet5 reads, header included, after gunzip: 1 GiB. Not part of the format: a
 * bound on memory. MNIST's training images are 47 MB, EMNIST's largest set 550 MB.
 */
export const IDX_MAX_BYTES = 2 ** 30;

/** Machine-friendly code for what went wrong with a data file. */
export type IdxFault =
  | "bad-magic"
  | "truncated"
  | "trailing-bytes"
  | "bad-dimensions"
  | "label-out-of-range"
  | "bad-gzip"
  | "count-mismatch"
  | "checksum-mismatch"
  | "size-mismatch"
  | "empty"
  | "download-failed"
  | "bad-mirror"
  | FileAccessFault;

/**
 * The one error type of the data module: which file, what kind of fault, and a plain-words
 * message that starts with the file path.
 * @example
 * ```ts
 * try {
 *   parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7]), "labels.idx");
 * } catch (error) {
 *   if (error instanceof IdxError) console.log(error.fault); // "truncated"
 * }
 * ```
 */
export class IdxError extends Error {
  /** Path (or URL) of the offending file. */
  readonly file: string;
  /** Short code for the kind of fault, for programs; the message is for people. */
  readonly fault: IdxFault;

  /**
   * An error whose message is "`file`: `problem`".
   * @param file - path or URL of the file; the message starts with it.
   * @param fault - short code for the kind of fault.
   * @param problem - what is wrong, in plain words.
   */
  constructor(file: string, fault: IdxFault, problem: string) {
    super(`${file}: ${problem}`);
    this.name = "IdxError";
    this.file = file;
    this.fault = fault;
  }
}

/** A parsed IDX images file. */
export interface IdxImages {
  /** Tells images from labels in an {@link IdxData}. */
  readonly kind: "images";
  /** Number of images (60,000 or 10,000 for MNIST). */
  readonly count: number;
  /** Rows of each image (28 for MNIST). */
  readonly rows: number;
  /** Columns of each image (28 for MNIST). */
  readonly cols: number;
  /** Row-major pixels, [count, rows, cols], 0 = background, 255 = ink. */
  readonly pixels: Uint8Array;
}

/** A parsed IDX labels file. */
export interface IdxLabels {
  /** Tells labels from images in an {@link IdxData}. */
  readonly kind: "labels";
  /** Number of labels. */
  readonly count: number;
  /** One class per image, 0–9. */
  readonly labels: Uint8Array;
}

/** What {@link parseIdx} returns: images or labels, told apart by `kind`. */
export type IdxData = IdxImages | IdxLabels;

/** True when `bytes` start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The IDX header fields that fix a file's length. */
interface IdxHeader {
  readonly kind: "images" | "labels";
  readonly count: number;
  /** 1 for labels. */
  readonly rows: number;
  /** 1 for labels. */
  readonly cols: number;
  /** Bytes before the data. */
  readonly headerBytes: number;
  /** Exact length of the file the header describes (header + data). */
  readonly expectedBytes: number;
  /** What the header says, in words, for messages ("2 images of 28×28"). */
  readonly what: string;
}

/**
 * Reads and checks the header at the start of `head`: magic, dimensions, and a total size within
 * {@link IDX_MAX_BYTES}. `total` is the file's whole length when known (Infinity when only the
 * start of a gzip stream was inflated); `after` is " (after gunzip)" for gzipped files.
 */
function readHeader(head: Uint8Array, total: number, file: string, after: string): IdxHeader {
  const length = Math.min(total, head.length);
  if (length < 4) {
    throw new IdxError(
      file,
      "truncated",
      `has ${length} bytes${after}, too short for an IDX magic number (4 bytes)`,
    );
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magic = view.getUint32(0); // DataView reads big-endian by default, as IDX is
  const header =
    magic === IDX_IMAGES_MAGIC
      ? imagesHeader(view, length, file, after)
      : magic === IDX_LABELS_MAGIC
        ? labelsHeader(view, length, file, after)
        : badMagic(magic, file);
  if (header.expectedBytes > IDX_MAX_BYTES) {
    throw new IdxError(
      file,
      "too-large",
      `header says ${header.what}: ${header.expectedBytes.toLocaleString("en-US")} bytes, more ` +
        `than the ${IDX_MAX_BYTES.toLocaleString("en-US")} (1 GiB) lenet5 reads`,
    );
  }
  return header;
}

function badMagic(magic: number, file: string): never {
  throw new IdxError(
    file,
    "bad-magic",
    `magic number is ${magic} (0x${magic.toString(16).padStart(8, "0")}); expected ` +
      `${IDX_IMAGES_MAGIC} (IDX unsigned-byte images) or ${IDX_LABELS_MAGIC} (IDX unsigned-byte labels)`,
  );
}

function imagesHeader(view: DataView, length: number, file: string, after: string): IdxHeader {
  if (length < IDX_IMAGES_HEADER_BYTES) {
    throw new IdxError(
      file,
      "truncated",
      `has ${length} bytes${after}, shorter than the ${IDX_IMAGES_HEADER_BYTES}-byte header ` +
        `of an images file`,
    );
  }
  const count = view.getUint32(4);
  const rows = view.getUint32(8);
  const cols = view.getUint32(12);
  for (const [name, side] of [
    ["rows", rows],
    ["cols", cols],
  ] as const) {
    if (side === 0 || side > IDX_MAX_SIDE) {
      throw new IdxError(
        file,
        "bad-dimensions",
        `header says images are ${rows}×${cols}; ${name} must be between 1 and ${IDX_MAX_SIDE}`,
      );
    }
  }
  return {
    kind: "images",
    count,
    rows,
    cols,
    headerBytes: IDX_IMAGES_HEADER_BYTES,
    expectedBytes: IDX_IMAGES_HEADER_BYTES + count * rows * cols,
    what: `${count} images of ${rows}×${cols}`,
  };
}

function labelsHeader(view: DataView, length: number, file: string, after: string): IdxHeader {
  if (length < IDX_LABELS_HEADER_BYTES) {
    throw new IdxError(
      file,
      "truncated",
      `has ${length} bytes${after}, shorter than the ${IDX_LABELS_HEADER_BYTES}-byte header ` +
        `of a labels file`,
    );
  }
  const count = view.getUint32(4);
  return {
    kind: "labels",
    count,
    rows: 1,
    cols: 1,
    headerBytes: IDX_LABELS_HEADER_BYTES,
    expectedBytes: IDX_LABELS_HEADER_BYTES + count,
    what: `${count} labels`,
  };
}

/** A gzip problem as an IdxError naming `file`. */
function gzipFault(error: unknown, file: string, header?: IdxHeader): IdxError {
  if (!(error instanceof GzipError)) throw error;
  if (error.problem === "too-large" && header) {
    return new IdxError(
      file,
      "trailing-bytes",
      `trailing bytes: header says ${header.what}: ${header.expectedBytes} bytes, but the file ` +
        `inflates to more (stopped there, after gunzip)`,
    );
  }
  if (error.problem === "trailing-garbage") {
    return new IdxError(
      file,
      "trailing-bytes",
      `trailing bytes after the gzip data: ${error.message}`,
    );
  }
  return new IdxError(
    file,
    "bad-gzip",
    `starts like a gzip file (1f 8b) but does not inflate: ${error.message}`,
  );
}

/**
 * IDX bytes from a gzip stream, inflated no further than its header allows: first the header
 * (inflating only the stream's start), checked, then the whole, stopping at the header's length.
 * A file of gzipped zeros is thus refused after a few kilobytes ("magic number is 0").
 */
function gunzipIdx(bytes: Uint8Array, file: string): Uint8Array {
  let head: Uint8Array;
  try {
    head = gunzipHead(bytes, IDX_IMAGES_HEADER_BYTES);
  } catch (error) {
    throw gzipFault(error, file);
  }
  const total = head.length < IDX_IMAGES_HEADER_BYTES ? head.length : Infinity;
  const header = readHeader(head, total, file, " (after gunzip)");
  try {
    return gunzipWithin(bytes, header.expectedBytes);
  } catch (error) {
    throw gzipFault(error, file, header);
  }
}

/**
 * The raw bytes of a possibly gzipped IDX file: inflated if they start with the gzip magic (no
 * further than the IDX header allows), returned as they are otherwise. A corrupt gzip stream
 * throws an {@link IdxError} "bad-gzip"; one that inflates past its header's length
 * "trailing-bytes"; a header that makes no sense its own fault ("bad-magic", …).
 * @example
 * ```ts
 * inflateIfGzip(gzipSync(encodeIdxLabels(Uint8Array.of(3))), "labels.gz"); // the 9 raw bytes
 * ```
 */
export function inflateIfGzip(bytes: Uint8Array, file: string): Uint8Array {
  return isGzip(bytes) ? gunzipIdx(bytes, file) : bytes;
}

/**
 * Parses IDX bytes (raw or gzipped) and checks them: magic, dimensions, exact length, label
 * values. `file` only names the source in error messages.
 * @example
 * ```ts
 * const bytes = encodeIdxLabels(new Uint8Array([3, 1, 4]));
 * const parsed = parseIdx(bytes, "my-labels");
 * if (parsed.kind === "labels") console.log(parsed.count, parsed.labels); // 3, [3, 1, 4]
 * ```
 */
export function parseIdx(bytes: Uint8Array, file: string): IdxData {
  const gzipped = isGzip(bytes);
  return parseRawIdx(inflateIfGzip(bytes, file), file, gzipped ? " (after gunzip)" : "");
}

/** Parses raw (inflated) IDX bytes; `after` marks lengths of gzipped files in messages. */
function parseRawIdx(raw: Uint8Array, file: string, after: string): IdxData {
  const header = readHeader(raw, raw.length, file, after);
  checkLength(raw.length, header.expectedBytes, file, after, header.what, header.headerBytes);
  return header.kind === "images" ? imagesOf(raw, header) : labelsOf(raw, header, file);
}

function imagesOf(raw: Uint8Array, header: IdxHeader): IdxImages {
  const { count, rows, cols } = header;
  return {
    kind: "images",
    count,
    rows,
    cols,
    pixels: raw.subarray(IDX_IMAGES_HEADER_BYTES), // [count, rows, cols]
  };
}

function labelsOf(raw: Uint8Array, header: IdxHeader, file: string): IdxLabels {
  const labels = raw.subarray(IDX_LABELS_HEADER_BYTES); // [count]
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] > IDX_MAX_LABEL) {
      throw new IdxError(
        file,
        "label-out-of-range",
        `label ${i} is ${labels[i]}; labels must be digits 0–${IDX_MAX_LABEL}`,
      );
    }
  }
  return { kind: "labels", count: header.count, labels };
}

function checkLength(
  actual: number,
  expected: number,
  file: string,
  after: string,
  what: string,
  headerBytes: number,
): void {
  if (actual === expected) return;
  const claim = `header says ${what}: ${headerBytes} header bytes + ${expected - headerBytes} data bytes = ${expected} bytes`;
  if (actual < expected) {
    throw new IdxError(
      file,
      "truncated",
      `truncated: ${claim}, but the file has ${actual}${after} (${expected - actual} missing)`,
    );
  }
  throw new IdxError(
    file,
    "trailing-bytes",
    `trailing bytes: ${claim}, but the file has ${actual}${after} (${actual - expected} extra)`,
  );
}

/** What {@link readIdxBytes} read. */
export interface IdxFileBytes {
  /** The raw IDX bytes (inflated when the file is gzipped). */
  readonly raw: Uint8Array;
  /** True when the file on disk is gzipped. */
  readonly gzipped: boolean;
}

/** The error-maker the file readers use: an IdxError naming `path`. */
function idxFailure(path: string) {
  return (fault: FileAccessFault, problem: string) => new IdxError(path, fault, problem);
}

/**
 * Reads one IDX file, raw or gzipped, within the bounds its header sets: the header first, then
 * (raw) the rest only when the file's size is exactly what the header says, or (gzip) the
 * stream inflated no further than that. Only regular files are read. Every failure is an
 * {@link IdxError} naming `path` ("missing-file", "not-a-file", "symlink-loop",
 * "permission-denied", "truncated", "bad-gzip", …).
 * @example
 * ```ts
 * const { raw, gzipped } = readIdxBytes("/data/t10k-labels-idx1-ubyte.gz");
 * raw.length; // 10008
 * ```
 */
export function readIdxBytes(path: string): IdxFileBytes {
  const fail = idxFailure(path);
  const file = openRegularFile(path, fail);
  try {
    const head = readFileRange(file, 0, Math.min(file.size, IDX_IMAGES_HEADER_BYTES), fail);
    if (isGzip(head)) {
      if (file.size > IDX_MAX_BYTES) {
        throw fail("too-large", tooLargeProblem(file.size, IDX_MAX_BYTES, "an IDX file"));
      }
      return { raw: gunzipIdx(readFileRange(file, 0, file.size, fail), path), gzipped: true };
    }
    const header = readHeader(head, file.size, path, "");
    checkLength(file.size, header.expectedBytes, path, "", header.what, header.headerBytes);
    return { raw: readFileRange(file, 0, file.size, fail), gzipped: false };
  } finally {
    closeOpenedFile(file);
  }
}

/**
 * Reads and parses one IDX file, raw or gzipped (synchronous, like the rest of the loader),
 * within the bounds of {@link readIdxBytes}.
 * @example
 * ```ts
 * const parsed = readIdxFile("/data/t10k-labels-idx1-ubyte.gz");
 * console.log(parsed.kind, parsed.count); // "labels" 10000
 * ```
 */
export function readIdxFile(path: string): IdxData {
  const { raw, gzipped } = readIdxBytes(path);
  return parseRawIdx(raw, path, gzipped ? " (after gunzip)" : "");
}

/**
 * The bytes of a regular file of at most {@link IDX_MAX_BYTES}; every failure (missing, a
 * folder, a FIFO, a device, a symlink loop, no permission, too large) is an {@link IdxError}
 * naming `path`.
 * @example
 * ```ts
 * readFileBytes("/data/t10k-labels-idx1-ubyte").length; // 10008
 * ```
 */
export function readFileBytes(path: string): Uint8Array {
  return readRegularFile(path, IDX_MAX_BYTES, "a data file", idxFailure(path));
}

/**
 * IDX bytes of an images file (raw, not gzipped). Checks only that the pixel count matches
 * count·rows·cols, so tests can write deliberately broken files (zero sides and so on).
 * @example
 * ```ts
 * // two 2×3 images
 * const bytes = encodeIdxImages({ count: 2, rows: 2, cols: 3, pixels: new Uint8Array(12) });
 * bytes.length; // 16 header + 12 pixels = 28
 * ```
 */
export function encodeIdxImages(images: {
  count: number;
  rows: number;
  cols: number;
  pixels: Uint8Array;
}): Uint8Array {
  const { count, rows, cols, pixels } = images;
  if (pixels.length !== count * rows * cols) {
    throw new RangeError(
      `encodeIdxImages: ${count} images of ${rows}×${cols} need ${count * rows * cols} pixels, got ${pixels.length}`,
    );
  }
  const out = new Uint8Array(IDX_IMAGES_HEADER_BYTES + pixels.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, IDX_IMAGES_MAGIC);
  view.setUint32(4, count);
  view.setUint32(8, rows);
  view.setUint32(12, cols);
  out.set(pixels, IDX_IMAGES_HEADER_BYTES);
  return out;
}

/**
 * IDX bytes of a labels file (raw, not gzipped). Any byte value is written, even one above 9,
 * so tests can build out-of-range files; {@link parseIdx} is where labels are checked.
 * @example
 * ```ts
 * const bytes = encodeIdxLabels(new Uint8Array([7, 2, 1]));
 * bytes.length; // 8 header + 3 labels = 11
 * ```
 */
export function encodeIdxLabels(labels: Uint8Array): Uint8Array {
  const out = new Uint8Array(IDX_LABELS_HEADER_BYTES + labels.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, IDX_LABELS_MAGIC);
  view.setUint32(4, labels.length);
  out.set(labels, IDX_LABELS_HEADER_BYTES);
  return out;
}
