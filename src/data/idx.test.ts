// Tests of the IDX reader/writer: hand-built headers, one test per corruption (each checks the
// error class, fault code and that the message starts with the file), gzip against raw.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import {
  IdxError,
  type IdxFault,
  encodeIdxImages,
  encodeIdxLabels,
  inflateIfGzip,
  isGzip,
  parseIdx,
  readIdxFile,
} from "./idx";

/** Asserts `fn` throws an IdxError with this fault whose message starts with `file`. */
function assertIdxError(fn: () => unknown, fault: IdxFault, file: string, ...says: RegExp[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof IdxError, `expected IdxError, got ${String(error)}`);
    assert.equal(error.fault, fault);
    assert.equal(error.file, file);
    assert.ok(
      error.message.startsWith(`${file}: `),
      `message should start with the file: ${error.message}`,
    );
    for (const pattern of says) assert.match(error.message, pattern);
    return true;
  });
}

// Two 2×3 images with pixels 0..11, the smallest interesting images file.
const twoImages = {
  count: 2,
  rows: 2,
  cols: 3,
  pixels: Uint8Array.from({ length: 12 }, (_, i) => i),
};

test("encodeIdxImages writes the big-endian header then the pixels", () => {
  const bytes = encodeIdxImages(twoImages);
  // magic 2051 = 0x00000803, count 2, rows 2, cols 3, each a big-endian uint32
  assert.deepEqual([...bytes.subarray(0, 16)], [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3]);
  assert.deepEqual([...bytes.subarray(16)], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
});

test("encodeIdxLabels writes magic 2049 and the count", () => {
  const bytes = encodeIdxLabels(new Uint8Array([7, 2, 1]));
  // 2049 = 0x00000801
  assert.deepEqual([...bytes], [0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]);
});

test("encodeIdxImages refuses a pixel count that does not match count·rows·cols", () => {
  assert.throws(
    () => encodeIdxImages({ count: 2, rows: 2, cols: 3, pixels: new Uint8Array(11) }),
    RangeError,
  );
});

test("doc examples: encodeIdxImages and encodeIdxLabels lengths", () => {
  const bytes = encodeIdxImages({ count: 2, rows: 2, cols: 3, pixels: new Uint8Array(12) });
  assert.equal(bytes.length, 28); // 16 header + 12 pixels
  assert.equal(encodeIdxLabels(new Uint8Array([7, 2, 1])).length, 11); // 8 header + 3 labels
});

test("doc example: parseIdx round-trips labels", () => {
  const bytes = encodeIdxLabels(new Uint8Array([3, 1, 4]));
  const parsed = parseIdx(bytes, "my-labels");
  assert.equal(parsed.kind, "labels");
  if (parsed.kind === "labels") {
    assert.equal(parsed.count, 3);
    assert.deepEqual([...parsed.labels], [3, 1, 4]);
  }
});

test("parseIdx round-trips images", () => {
  const parsed = parseIdx(encodeIdxImages(twoImages), "two.idx");
  assert.equal(parsed.kind, "images");
  if (parsed.kind !== "images") return;
  assert.deepEqual([parsed.count, parsed.rows, parsed.cols], [2, 2, 3]);
  assert.deepEqual([...parsed.pixels], [...twoImages.pixels]);
});

test("doc example: IdxError carries the fault", () => {
  let fault: string | undefined;
  try {
    parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7]), "labels.idx");
  } catch (error) {
    if (error instanceof IdxError) fault = error.fault;
  }
  assert.equal(fault, "truncated");
});

test("wrong magic is 'bad-magic' and the message shows the number found", () => {
  const bytes = encodeIdxImages(twoImages);
  bytes[3] = 4; // 0x00000804 = 2052, a 4-dimensional file
  assertIdxError(
    () => parseIdx(bytes, "wrong.idx"),
    "bad-magic",
    "wrong.idx",
    /2052/,
    /2051/,
    /2049/,
  );
});

test("truncated pixel data is 'truncated' with the expected and actual byte counts", () => {
  // 16 + 2·2·3 = 28 bytes expected; keep 25
  const bytes = encodeIdxImages(twoImages).subarray(0, 25);
  assertIdxError(
    () => parseIdx(bytes, "short.idx"),
    "truncated",
    "short.idx",
    /truncated/,
    /28 bytes/,
    /has 25/,
    /3 missing/,
  );
});

test("a header cut short is 'truncated'", () => {
  assertIdxError(() => parseIdx(new Uint8Array([0, 0, 8]), "tiny"), "truncated", "tiny", /3 bytes/);
  const header = encodeIdxImages(twoImages).subarray(0, 12);
  assertIdxError(() => parseIdx(header, "head"), "truncated", "head", /16-byte header/);
});

test("truncated labels are 'truncated'", () => {
  // 8 + 3 = 11 bytes expected; keep 10
  const bytes = encodeIdxLabels(new Uint8Array([7, 2, 1])).subarray(0, 10);
  assertIdxError(() => parseIdx(bytes, "labels"), "truncated", "labels", /11 bytes/, /1 missing/);
});

test("extra bytes after the data are 'trailing-bytes' with the numbers", () => {
  const good = encodeIdxLabels(new Uint8Array([7, 2, 1]));
  const long = new Uint8Array(good.length + 2);
  long.set(good);
  assertIdxError(
    () => parseIdx(long, "long.idx"),
    "trailing-bytes",
    "long.idx",
    /11 bytes/,
    /has 13/,
    /2 extra/,
  );
});

test("a label above 9 is 'label-out-of-range' naming the first bad index and value", () => {
  const bytes = encodeIdxLabels(new Uint8Array([7, 2, 10, 1, 200]));
  assertIdxError(
    () => parseIdx(bytes, "bad-labels"),
    "label-out-of-range",
    "bad-labels",
    /label 2 is 10/,
  );
});

test("zero rows or cols is 'bad-dimensions'", () => {
  const zeroRows = encodeIdxImages({ count: 1, rows: 0, cols: 28, pixels: new Uint8Array(0) });
  assertIdxError(() => parseIdx(zeroRows, "z1"), "bad-dimensions", "z1", /0×28/);
  const zeroCols = encodeIdxImages({ count: 1, rows: 28, cols: 0, pixels: new Uint8Array(0) });
  assertIdxError(() => parseIdx(zeroCols, "z2"), "bad-dimensions", "z2", /28×0/);
});

test("an absurd side from a garbage header is 'bad-dimensions', not a huge truncation", () => {
  const bytes = encodeIdxImages(twoImages);
  new DataView(bytes.buffer).setUint32(8, 0x7fffffff); // rows
  assertIdxError(() => parseIdx(bytes, "garbage"), "bad-dimensions", "garbage", /4096/);
});

test("gzip is detected by its 1f 8b magic and gives the same result as raw", () => {
  const raw = encodeIdxImages(twoImages);
  const gz = gzipSync(raw);
  assert.ok(isGzip(gz) && !isGzip(raw));
  assert.deepEqual(parseIdx(gz, "no-suffix-needed"), parseIdx(raw, "raw"));
  assert.deepEqual([...inflateIfGzip(gz, "x")], [...raw]);
});

test("corrupt gzip is 'bad-gzip' naming the file", () => {
  const garbage = new Uint8Array([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assertIdxError(() => parseIdx(garbage, "junk.gz"), "bad-gzip", "junk.gz", /gzip/);
  const cut = gzipSync(encodeIdxImages(twoImages)).subarray(0, 20);
  assertIdxError(() => parseIdx(cut, "cut.gz"), "bad-gzip", "cut.gz");
});

test("structural errors inside a gzip say the length is after gunzip", () => {
  const gz = gzipSync(encodeIdxImages(twoImages).subarray(0, 25));
  assertIdxError(() => parseIdx(gz, "short.gz"), "truncated", "short.gz", /after gunzip/);
});

test("readIdxFile reads raw and gzipped files alike; a missing file is 'missing-file'", () => {
  const dir = mkdtempSync(join(tmpdir(), "lenet5-idx-"));
  try {
    const raw = encodeIdxLabels(new Uint8Array([1, 2, 3]));
    writeFileSync(join(dir, "labels"), raw);
    writeFileSync(join(dir, "labels.gz"), gzipSync(raw));
    assert.deepEqual(readIdxFile(join(dir, "labels.gz")), readIdxFile(join(dir, "labels")));
    const missing = join(dir, "nope");
    assertIdxError(() => readIdxFile(missing), "missing-file", missing, /not found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("doc example: readIdxFile on a gzipped labels file", () => {
  const dir = mkdtempSync(join(tmpdir(), "lenet5-idx-"));
  try {
    const path = join(dir, "t10k-labels-idx1-ubyte.gz");
    writeFileSync(path, gzipSync(encodeIdxLabels(new Uint8Array(10000))));
    const parsed = readIdxFile(path);
    assert.equal(parsed.kind, "labels");
    assert.equal(parsed.count, 10000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
