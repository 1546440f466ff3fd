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
 * Every failure is an {@link IdxError} whose message starts with the file and says what is wrong.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

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

/** Machine-friendly code for what went wrong with a data file. */
export type IdxFault =
  | "bad-magic"
  | "truncated"
  | "trailing-bytes"
  | "bad-dimensions"
  | "label-out-of-range"
  | "bad-gzip"
  | "count-mismatch"
  | "missing-file"
  | "checksum-mismatch"
  | "size-mismatch"
  | "download-failed";

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

/**
 * The raw bytes of a possibly gzipped file: inflated if they start with the gzip magic, returned
 * as they are otherwise. A corrupt gzip stream throws an {@link IdxError} "bad-gzip".
 */
export function inflateIfGzip(bytes: Uint8Array, file: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    const inflated = gunzipSync(bytes);
    return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new IdxError(
      file,
      "bad-gzip",
      `starts like a gzip file (1f 8b) but does not inflate: ${reason}`,
    );
  }
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
  const raw = inflateIfGzip(bytes, file);
  const after = gzipped ? " (after gunzip)" : "";
  if (raw.length < 4) {
    throw new IdxError(
      file,
      "truncated",
      `has ${raw.length} bytes${after}, too short for an IDX magic number (4 bytes)`,
    );
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const magic = view.getUint32(0); // DataView reads big-endian by default, as IDX is
  if (magic === IDX_IMAGES_MAGIC) return parseImages(raw, view, file, after);
  if (magic === IDX_LABELS_MAGIC) return parseLabels(raw, view, file, after);
  throw new IdxError(
    file,
    "bad-magic",
    `magic number is ${magic} (0x${magic.toString(16).padStart(8, "0")}); expected ` +
      `${IDX_IMAGES_MAGIC} (IDX unsigned-byte images) or ${IDX_LABELS_MAGIC} (IDX unsigned-byte labels)`,
  );
}

function parseImages(raw: Uint8Array, view: DataView, file: string, after: string): IdxImages {
  if (raw.length < IDX_IMAGES_HEADER_BYTES) {
    throw new IdxError(
      file,
      "truncated",
      `has ${raw.length} bytes${after}, shorter than the ${IDX_IMAGES_HEADER_BYTES}-byte header ` +
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
  const expected = IDX_IMAGES_HEADER_BYTES + count * rows * cols;
  checkLength(
    raw.length,
    expected,
    file,
    after,
    `${count} images of ${rows}×${cols}`,
    IDX_IMAGES_HEADER_BYTES,
  );
  return {
    kind: "images",
    count,
    rows,
    cols,
    pixels: raw.subarray(IDX_IMAGES_HEADER_BYTES), // [count, rows, cols]
  };
}

function parseLabels(raw: Uint8Array, view: DataView, file: string, after: string): IdxLabels {
  if (raw.length < IDX_LABELS_HEADER_BYTES) {
    throw new IdxError(
      file,
      "truncated",
      `has ${raw.length} bytes${after}, shorter than the ${IDX_LABELS_HEADER_BYTES}-byte header ` +
        `of a labels file`,
    );
  }
  const count = view.getUint32(4);
  const expected = IDX_LABELS_HEADER_BYTES + count;
  checkLength(raw.length, expected, file, after, `${count} labels`, IDX_LABELS_HEADER_BYTES);
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
  return { kind: "labels", count, labels };
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

/**
 * Reads and parses one IDX file, raw or gzipped (synchronous, like the rest of the loader).
 * A missing file throws an {@link IdxError} "missing-file".
 * @example
 * ```ts
 * const parsed = readIdxFile("/data/t10k-labels-idx1-ubyte.gz");
 * console.log(parsed.kind, parsed.count); // "labels" 10000
 * ```
 */
export function readIdxFile(path: string): IdxData {
  return parseIdx(readFileBytes(path), path);
}

/** The bytes of a file; a missing file becomes an {@link IdxError} "missing-file". */
export function readFileBytes(path: string): Uint8Array {
  try {
    const buffer = readFileSync(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new IdxError(path, "missing-file", "file not found");
    }
    throw error;
  }
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
