// Regression tests of issue 16 for the data module: bad input is bounded. Decompression bombs
// (D1 IDX, D2 PNG) stop at the size their header allows, fast and in little memory; special
// files (D3), folders (D4), symlink loops and unreadable files (D5) are typed errors naming the
// path; verify and load give one verdict (D6); and the small ones (D12). Anything that could
// hang runs in a child process with a timeout; permission tests run as `nobody` under root.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { gzipBomb, pngChunk, pngWithData, zlibBomb } from "../test-support/bombs";
import {
  UNPRIVILEGED_SKIP,
  runIsolated,
  sourcePath,
  unprivilegedRunnable,
} from "../test-support/isolated";
import { mirrorBase } from "./download";
import {
  IdxError,
  type IdxFault,
  encodeIdxImages,
  encodeIdxLabels,
  parseIdx,
  readIdxFile,
} from "./idx";
import { ImageFileError, decodeImage, digitWarning, readImageFile } from "./image-file";
import { MNIST_FILE_NAMES, type MnistFileName, loadMnist, verifyMnist } from "./mnist";
import { encodePngSamples } from "./png";

const GIB = 2 ** 30;

/** A fresh temporary folder anyone may enter (a child may run as `nobody`), removed afterwards. */
function tempFolder(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), "lenet5-bounded-"));
  chmodSync(dir, 0o755);
  t.after(() => {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Runs `fn`; returns how long it took and how much the process's peak memory grew (MB). */
function measured(fn: () => void): { seconds: number; peakGrowthMb: number } {
  const before = process.resourceUsage().maxRSS;
  const start = performance.now();
  fn();
  return {
    seconds: (performance.now() - start) / 1000,
    peakGrowthMb: (process.resourceUsage().maxRSS - before) / 1024,
  };
}

/** Asserts `fn` throws an IdxError with this fault naming `file`; returns its message. */
function idxFault(fn: () => unknown, fault: IdxFault, file: string): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof IdxError, `expected IdxError, got ${String(error)}`);
    assert.equal(error.fault, fault, error.message);
    assert.equal(error.file, file);
    assert.ok(error.message.startsWith(`${file}: `), error.message);
    return error.message;
  }
  assert.fail(`expected IdxError "${fault}"`);
}

/** A tiny valid MNIST-format set: 3 images of 28×28 per split. */
function tinySet(): Record<MnistFileName, Uint8Array> {
  const images = encodeIdxImages({ count: 3, rows: 28, cols: 28, pixels: new Uint8Array(3 * 784) });
  const labels = encodeIdxLabels(Uint8Array.of(1, 2, 3));
  return {
    "train-images-idx3-ubyte": images,
    "train-labels-idx1-ubyte": labels,
    "t10k-images-idx3-ubyte": images,
    "t10k-labels-idx1-ubyte": labels,
  };
}

function writeSet(dir: string, set: Record<MnistFileName, Uint8Array>): void {
  for (const name of MNIST_FILE_NAMES) writeFileSync(join(dir, name), set[name]);
}

test("D1: a gzip bomb of zeros stops at its header's first 16 bytes: 'bad-magic', fast, small", (t) => {
  const dir = tempFolder(t);
  const path = join(dir, "train-images-idx3-ubyte.gz");
  writeFileSync(path, gzipBomb(GIB)); // ~1 MB that would inflate to 1 GiB
  let message = "";
  const cost = measured(() => {
    message = idxFault(() => readIdxFile(path), "bad-magic", path);
  });
  assert.match(message, /magic number is 0/);
  assert.ok(cost.seconds < 2, `${cost.seconds} s`);
  assert.ok(cost.peakGrowthMb < 100, `peak memory grew ${cost.peakGrowthMb} MB`);
});

test("D1: a bomb behind a valid header inflates no further than the header says", (t) => {
  const dir = tempFolder(t);
  const header = encodeIdxImages({ count: 10, rows: 28, cols: 28, pixels: new Uint8Array(7840) });
  const path = join(dir, "train-images-idx3-ubyte.gz");
  writeFileSync(path, gzipBomb(GIB, header));
  let message = "";
  const cost = measured(() => {
    message = idxFault(() => readIdxFile(path), "trailing-bytes", path);
  });
  assert.match(
    message,
    /header says 10 images of 28×28: 7856 bytes, but the file inflates to more/,
  );
  assert.ok(cost.seconds < 2 && cost.peakGrowthMb < 100, JSON.stringify(cost));
  // The same through the loader evaluate and train use, and through verify.
  writeSet(dir, tinySet());
  rmSync(join(dir, "train-images-idx3-ubyte")); // the raw name would be read first
  idxFault(() => loadMnist({ split: "train", dir }), "trailing-bytes", path);
  assert.deepEqual(
    verifyMnist({ dir }).errors.map((e) => [e.file, e.fault]),
    [[path, "trailing-bytes"]],
  );
});

test("D1: a header claiming more than 1 GiB is 'too-large' before anything is inflated", () => {
  const header = encodeIdxImages({ count: 1, rows: 28, cols: 28, pixels: new Uint8Array(784) });
  new DataView(header.buffer).setUint32(4, 2 ** 31); // 2^31 images
  const message = idxFault(() => parseIdx(gzipSync(header), "huge.gz"), "too-large", "huge.gz");
  assert.match(message, /more than the 1,073,741,824 \(1 GiB\) lenet5 reads/);
});

test("D2: a 1×1 PNG whose data inflate to 1 GiB is refused at the 2 bytes it needs", () => {
  const png = pngWithData(1, 1, zlibBomb(GIB));
  assert.ok(png.length < 1.2e6);
  let caught: unknown;
  const cost = measured(() => {
    try {
      decodeImage(png, "bomb.png");
    } catch (error) {
      caught = error;
    }
  });
  assert.ok(caught instanceof ImageFileError, String(caught));
  assert.equal(caught.fault, "bad-data");
  assert.match(caught.message, /^bomb\.png: PNG image data inflate to more than the 2 bytes/);
  assert.ok(cost.seconds < 2 && cost.peakGrowthMb < 100, JSON.stringify(cost));
});

test("D2: pictures above 8.4 megapixels are refused from their header, before decoding", () => {
  // An 8192×8192 16-bit RGBA header with data for one pixel: refused before the data are read.
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(8192, 0);
  ihdr.writeUInt32BE(8192, 4);
  ihdr[8] = 16;
  ihdr[9] = 6;
  const signature = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
  const png = Buffer.concat([
    signature,
    pngChunk("IHDR", ihdr),
    pngChunk("IEND", new Uint8Array(0)),
  ]);
  const start = performance.now();
  assert.throws(() => decodeImage(png, "huge.png"), {
    name: "ImageFileError",
    fault: "too-large",
    message: /^huge\.png: PNG is 8192×8192 = 67,108,864 pixels, more than the 8,388,608/,
  });
  const pgm = new TextEncoder().encode("P5\n5000 5000\n255\n\0");
  assert.throws(() => decodeImage(pgm, "huge.pgm"), { fault: "too-large" });
  // Within the limit but with no raster: "truncated", before 4 million samples are allocated.
  const empty = new TextEncoder().encode("P2\n2000 2000\n255\n1 2 3\n");
  assert.throws(() => decodeImage(empty, "short.pgm"), { fault: "truncated" });
  assert.ok(performance.now() - start < 500);
});

test("D3: /dev/zero behind a symlink and a FIFO, as IDX file and as picture: typed errors, no hang", (t) => {
  const dir = tempFolder(t);
  const zero = join(dir, "zero");
  symlinkSync("/dev/zero", zero);
  const fifo = join(dir, "fifo");
  execFileSync("mkfifo", [fifo]);
  const idx = JSON.stringify(sourcePath("data", "idx.ts"));
  const image = JSON.stringify(sourcePath("data", "image-file.ts"));
  const results = runIsolated<{ file: string; fault: string; message: string }[]>(`
    const { readIdxFile } = require(${idx});
    const { readImageFile } = require(${image});
    const out = [];
    for (const read of [readIdxFile, readImageFile]) {
      for (const path of ${JSON.stringify([zero, fifo])}) {
        try { read(path); out.push({ file: path, fault: "none", message: "" }); }
        catch (e) { out.push({ file: e.file, fault: e.fault, message: e.message }); }
      }
    }
    console.log(JSON.stringify(out));
  `);
  assert.equal(results.length, 4);
  for (const r of results) {
    assert.equal(r.fault, "not-a-file", r.message);
    assert.ok(r.message.startsWith(`${r.file}: is a `), r.message);
  }
  assert.match(results[0].message, /character device \(a symlink to \/dev\/zero\)/);
  assert.match(results[1].message, /FIFO/);
});

test("D4: a folder where a data file should be is named; verify still reports the other files", (t) => {
  const dir = tempFolder(t);
  writeSet(dir, tinySet());
  const labels = join(dir, "t10k-labels-idx1-ubyte");
  rmSync(labels);
  mkdirSync(labels);
  const report = verifyMnist({ dir });
  assert.equal(report.ok, false);
  assert.equal(report.files.length, 3);
  assert.deepEqual(
    report.errors.map((e) => [e.file, e.fault, e.message]),
    [[labels, "not-a-file", `${labels}: is a directory, not a regular file`]],
  );
  idxFault(() => loadMnist({ split: "test", dir }), "not-a-file", labels);
});

test("D5: a symlink loop is 'symlink-loop', not 'file not found'", (t) => {
  const dir = tempFolder(t);
  writeSet(dir, tinySet());
  const images = join(dir, "train-images-idx3-ubyte");
  rmSync(images);
  symlinkSync(images, images); // points at itself
  const message = idxFault(() => loadMnist({ split: "train", dir }), "symlink-loop", images);
  assert.match(message, /symlink loop/);
  const report = verifyMnist({ dir });
  assert.deepEqual(
    report.errors.map((e) => e.fault),
    ["symlink-loop"],
  );
  const loop = join(dir, "loop");
  symlinkSync(loop, loop);
  idxFault(
    () =>
      verifyMnist({ dir: loop }).errors.forEach((e) => {
        throw e;
      }),
    "symlink-loop",
    loop,
  );
});

test("D5: an unreadable folder and an unreadable file are 'permission-denied', naming them", (t) => {
  if (!unprivilegedRunnable()) return t.skip(UNPRIVILEGED_SKIP);
  const dir = tempFolder(t);
  const closed = join(dir, "closed");
  mkdirSync(closed);
  writeSet(closed, tinySet());
  chmodSync(closed, 0o000);
  const open = join(dir, "open");
  mkdirSync(open, { mode: 0o755 });
  writeSet(open, tinySet());
  const secret = join(open, "train-labels-idx1-ubyte");
  chmodSync(secret, 0o000);
  for (const name of MNIST_FILE_NAMES)
    if (name !== "train-labels-idx1-ubyte") chmodSync(join(open, name), 0o644);
  const mnist = JSON.stringify(sourcePath("data", "mnist.ts"));
  const out = runIsolated<{ closed: string[][]; open: string[][]; files: number }>(
    `
    const { verifyMnist } = require(${mnist});
    const summary = (r) => r.errors.map((e) => [e.file, e.fault, e.message]);
    const open = verifyMnist({ dir: ${JSON.stringify(open)} });
    console.log(JSON.stringify({
      closed: summary(verifyMnist({ dir: ${JSON.stringify(closed)} })),
      open: summary(open),
      files: open.files.length,
    }));
  `,
    { unprivileged: true },
  );
  assert.deepEqual(out.closed, [
    [closed, "permission-denied", `${closed}: folder cannot be read: permission denied`],
  ]);
  assert.deepEqual(out.open, [
    [secret, "permission-denied", `${secret}: cannot be read: permission denied`],
  ]);
  assert.equal(out.files, 3, "the other three files are still reported");
});

test("D6: what verify accepts, load accepts: empty sets and non-28×28 images fail both, named", (t) => {
  const cases: [string, Partial<Record<MnistFileName, Uint8Array>>, IdxFault, MnistFileName][] = [
    [
      "no images",
      {
        "train-images-idx3-ubyte": encodeIdxImages({
          count: 0,
          rows: 28,
          cols: 28,
          pixels: new Uint8Array(0),
        }),
        "train-labels-idx1-ubyte": encodeIdxLabels(new Uint8Array(0)),
      },
      "empty",
      "train-images-idx3-ubyte",
    ],
    [
      "32×32 images",
      {
        "t10k-images-idx3-ubyte": encodeIdxImages({
          count: 3,
          rows: 32,
          cols: 32,
          pixels: new Uint8Array(3 * 1024),
        }),
      },
      "bad-dimensions",
      "t10k-images-idx3-ubyte",
    ],
  ];
  for (const [what, replaced, fault, name] of cases) {
    const dir = tempFolder(t);
    writeSet(dir, { ...tinySet(), ...replaced });
    const path = join(dir, name);
    const report = verifyMnist({ dir });
    assert.equal(report.ok, false, what);
    assert.deepEqual([report.errors[0].file, report.errors[0].fault], [path, fault], what);
    const split = name.startsWith("train") ? "train" : "test";
    const message = idxFault(() => loadMnist({ split, dir }), fault, path);
    assert.equal(message, report.errors[0].message, `${what}: one verdict, one message`);
  }
});

test("D12: gzip with trailing garbage is 'trailing-bytes', not 'incorrect header check'", () => {
  const gz = gzipSync(encodeIdxLabels(Uint8Array.of(1, 2)));
  const message = idxFault(
    () => parseIdx(Buffer.concat([gz, Buffer.from("garbage!")]), "labels.gz"),
    "trailing-bytes",
    "labels.gz",
  );
  assert.match(message, /8 bytes of other data follow/);
  // Zero padding after the stream is accepted, as gzip(1) and zlib accept it.
  assert.equal(parseIdx(Buffer.concat([gz, Buffer.alloc(16)]), "padded.gz").count, 2);
});

test("D12: a PNG with two IHDR chunks is refused, not decoded by the second", () => {
  const png = encodePngSamples({ width: 2, height: 1, samples: [0, 255] });
  const ihdr = png.subarray(8, 8 + 25); // signature, then IHDR's 12 + 13 bytes
  const twice = Buffer.concat([png.subarray(0, 33), ihdr, png.subarray(33)]);
  assert.throws(() => decodeImage(twice, "two.png"), {
    fault: "bad-header",
    message: /^two\.png: PNG has a second IHDR chunk at byte 33/,
  });
});

test("D12: a mirror that is not an http(s) URL is 'bad-mirror' naming it", () => {
  for (const [mirror, says] of [
    ["not a url", /is not a URL/],
    ["file:///tmp/mnist", /file: URL.*--data DIR/],
    ["ftp://example.org/", /ftp: URL/],
  ] as const) {
    idxFault(() => mirrorBase(mirror), "bad-mirror", mirror);
    assert.throws(() => mirrorBase(mirror), says);
  }
  assert.equal(mirrorBase("https://example.org/mnist"), "https://example.org/mnist/");
});

test("D12: blank white, black, flat gray and tiny pictures carry a warning, a digit none", (t) => {
  const white = new Float32Array(28 * 28).fill(1);
  assert.equal(digitWarning(white, 28, 28)?.kind, "uniform");
  assert.equal(digitWarning(new Float32Array(28 * 28), 28, 28)?.kind, "uniform");
  assert.equal(digitWarning(new Float32Array(40 * 40).fill(0.5), 40, 40)?.kind, "uniform");
  assert.equal(digitWarning(Float32Array.of(0), 1, 1)?.kind, "too-small");
  const one = new Float32Array(40 * 60).fill(1);
  for (let y = 10; y < 50; y++) for (let x = 18; x < 22; x++) one[y * 40 + x] = 0;
  assert.equal(digitWarning(one, 40, 60), null);
  // And through a file, as predict reads it.
  const dir = tempFolder(t);
  const path = join(dir, "blank.png");
  writeFileSync(
    path,
    encodePngSamples({ width: 28, height: 28, samples: new Array(784).fill(255) }),
  );
  const picture = readImageFile(path);
  assert.match(digitWarning(picture.gray, picture.width, picture.height)?.message ?? "", /uniform/);
});
