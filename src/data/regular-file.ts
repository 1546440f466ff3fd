/**
 * Reading a file lenet5 was pointed at — an IDX file, a picture, a checkpoint's manifest or data
 * file — without hanging and without reading more than the caller allows. No paper reference:
 * this is I/O hygiene, not LeNet.
 *
 * Why not `readFileSync`: on a FIFO it blocks until a writer comes (forever, in practice); on
 * /dev/zero or /dev/urandom, or a symlink to them, it grows without bound; on a directory it
 * fails with a bare "EISDIR" that names no file. So a file is opened non-blocking (opening a
 * FIFO then returns at once), `fstat`ed, and read only when it is a regular file no larger than
 * the caller's limit. Each failure — missing, a symlink loop, no permission, not a regular file,
 * too large — becomes the caller's own typed error (IdxError, ImageFileError, CheckpointError)
 * through a `fail` callback, with a message that names the path.
 *
 * Input: a path and a byte limit. Output: the file's bytes.
 */
import {
  accessSync,
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync,
  type Stats,
} from "node:fs";

/** What can go wrong before a file's bytes are read (shared by every lenet5 error type). */
export type FileAccessFault =
  | "missing-file"
  | "not-a-file"
  | "not-a-folder"
  | "symlink-loop"
  | "permission-denied"
  | "too-large"
  | "unreadable";

/** Builds the caller's own error for a fault; the problem text does not repeat the path. */
export type FileAccessFailure = (fault: FileAccessFault, problem: string) => Error;

/** An open regular file: its descriptor and its size when opened. */
export interface OpenedFile {
  /** The path it was opened by (for messages). */
  readonly path: string;
  /** File descriptor; close it with {@link closeOpenedFile}. */
  readonly fd: number;
  /** Size in bytes from fstat. */
  readonly size: number;
}

/** A plain-words account of an errno from open/stat/read; `fault` says which kind. */
export function describeAccessError(error: unknown): {
  /** The kind of fault. */
  fault: FileAccessFault;
  /** What is wrong, without the path. */
  problem: string;
} {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return { fault: "missing-file", problem: "file not found" };
    case "ENOTDIR":
      return { fault: "missing-file", problem: "file not found (a part of its path is a file)" };
    case "ELOOP":
      return {
        fault: "symlink-loop",
        problem: "is a symlink loop (too many levels of symbolic links)",
      };
    case "EACCES":
    case "EPERM":
      return { fault: "permission-denied", problem: "cannot be read: permission denied" };
    case "EISDIR":
      return { fault: "not-a-file", problem: "is a directory, not a file" };
    default:
      return {
        fault: "unreadable",
        problem: `cannot be read (${(error as Error).message ?? String(error)})`,
      };
  }
}

/** "a directory", "a FIFO (named pipe)", …: what a non-regular file is, for messages. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "a special file";
}

/** " (a symlink to /dev/zero)" when `path` is a symlink, "" otherwise; never throws. */
function symlinkNote(path: string): string {
  try {
    return lstatSync(path).isSymbolicLink() ? ` (a symlink to ${realpathSync(path)})` : "";
  } catch {
    return "";
  }
}

/**
 * Opens `path` for reading if it is a regular file: non-blocking, so a FIFO cannot hang the
 * open; then fstat, so a directory, FIFO, device or socket is refused before any read. Anything
 * else wrong (missing, a symlink loop, no permission) goes through `fail`.
 * @example
 * ```ts
 * const file = openRegularFile("data/labels", (fault, problem) => new Error(`${fault}: ${problem}`));
 * try { console.log(file.size); } finally { closeOpenedFile(file); }
 * ```
 */
export function openRegularFile(path: string, fail: FileAccessFailure): OpenedFile {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const { fault, problem } = describeAccessError(error);
    throw fail(fault, problem);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      throw fail("not-a-file", `is ${kindOf(stats)}${symlinkNote(path)}, not a regular file`);
    }
    return { path, fd, size: stats.size };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Closes a file opened by {@link openRegularFile}. */
export function closeOpenedFile(file: OpenedFile): void {
  closeSync(file.fd);
}

/**
 * Exactly `length` bytes of `file` from byte `position`; a file that shrinks meanwhile, or a
 * read error, goes through `fail` ("unreadable").
 */
export function readFileRange(
  file: OpenedFile,
  position: number,
  length: number,
  fail: FileAccessFailure,
): Uint8Array {
  const bytes = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    let n: number;
    try {
      n = readSync(file.fd, bytes, done, length - done, position + done);
    } catch (error) {
      throw fail("unreadable", describeAccessError(error).problem);
    }
    if (n === 0) {
      throw fail("unreadable", `ended after ${position + done} bytes while being read`);
    }
    done += n;
  }
  return bytes;
}

/** The message of a file over its limit (shared so every reader says it the same way). */
export function tooLargeProblem(size: number, maxBytes: number, what: string): string {
  return (
    `is ${size.toLocaleString("en-US")} bytes, more than the ` +
    `${maxBytes.toLocaleString("en-US")} lenet5 reads for ${what}`
  );
}

/**
 * The whole of a regular file of at most `maxBytes` bytes (see the file header for what is
 * refused, and why); `what` names the kind of file in the too-large message.
 * @example
 * ```ts
 * const fail = (fault: FileAccessFault, problem: string) => new Error(`digit.png: ${problem}`);
 * const bytes = readRegularFile("digit.png", 1 << 20, "a picture", fail);
 * ```
 */
export function readRegularFile(
  path: string,
  maxBytes: number,
  what: string,
  fail: FileAccessFailure,
): Uint8Array {
  const file = openRegularFile(path, fail);
  try {
    if (file.size > maxBytes) throw fail("too-large", tooLargeProblem(file.size, maxBytes, what));
    return readFileRange(file, 0, file.size, fail);
  } finally {
    closeOpenedFile(file);
  }
}

/**
 * True when something exists under `path`, even a broken symlink, a loop or an entry lenet5 may
 * not read: a later read then reports what is wrong with it instead of "not found".
 * @example
 * ```ts
 * entryExists("runs/h1/manifest.json"); // false before the first checkpoint
 * ```
 */
export function entryExists(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return true; // e.g. EACCES on a parent folder: something may be there; reading will say
  }
}

/**
 * Checks that `dir` is a folder lenet5 can list and read files in; every other case goes
 * through `fail` (missing, a file, a loop, no permission).
 * @example
 * ```ts
 * checkReadableFolder("data/mnist", (fault, problem) => new Error(`data/mnist: ${problem}`));
 * ```
 */
export function checkReadableFolder(dir: string, fail: FileAccessFailure): void {
  let stats: Stats;
  try {
    stats = statSync(dir);
  } catch (error) {
    const { fault, problem } = describeAccessError(error);
    throw fail(fault, fault === "missing-file" ? "folder not found" : problem);
  }
  if (!stats.isDirectory()) throw fail("not-a-folder", `is ${kindOf(stats)}, not a folder`);
  try {
    accessSync(dir, constants.R_OK | constants.X_OK);
  } catch (error) {
    const { fault, problem } = describeAccessError(error);
    throw fail(
      fault,
      fault === "permission-denied" ? "folder cannot be read: permission denied" : problem,
    );
  }
}
