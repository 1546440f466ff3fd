// Regression tests of issue 16 from the command line, as a user meets them: each bad input ends
// fast with exit 1 and one line naming the file (or folder) at fault, and `--json` still prints
// its report (D1, D3, D4, D7, D10, D12); numeric options have a strict syntax and a range (D9).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../backend";
import { MANIFEST_FILE } from "../checkpoint";
import { MNIST_FILE_NAMES, defaultMnistDir } from "../data/mnist";
import { encodePng } from "../data/png";
import { Rng } from "../rng";
import { gzipBomb } from "../test-support/bombs";
import { trainModel } from "../train/train";
import { UsageError } from "./args";
import { parseBenchArgs } from "./bench";
import { parseTrainArgs } from "./train";

const root = mkdtempSync(join(tmpdir(), "lenet5-cli-bounded-"));
chmodSync(root, 0o755);
before(() => initBackend("wasm"));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshDir = () => {
  const dir = join(root, `d${counter++}`);
  mkdirSync(dir);
  return dir;
};

const main = join(__dirname, "main.ts");
/** Runs the CLI as a user would; a hang fails the test instead of stalling it. */
function lenet5(...args: string[]) {
  const start = performance.now();
  const result = spawnSync(process.execPath, ["--import", "tsx", main, ...args], {
    encoding: "utf8",
    env: { ...process.env, LENET5_BACKEND: "wasm" },
    timeout: 60_000,
  });
  assert.equal(result.signal, null, `lenet5 ${args.join(" ")} hung`);
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    seconds: (performance.now() - start) / 1000,
  };
}

/** Asserts a failed run's stderr is one line naming `file`, matching `says`. */
function oneLineNaming(stderr: string, file: string, says: RegExp): void {
  const lines = stderr.trim().split("\n");
  assert.equal(lines.length, 1, stderr);
  assert.ok(lines[0].startsWith(`lenet5: ${file}: `), lines[0]);
  assert.match(lines[0], says);
}

/** A one-epoch modern checkpoint trained in-process on random images (no MNIST needed). */
async function checkpointDir(): Promise<string> {
  const dir = join(freshDir(), "run");
  const rng = new Rng(4);
  const count = 32;
  const images = Float32Array.from({ length: count * 784 }, () => rng.next());
  const labels = Array.from({ length: count }, (_, i) => i % 10);
  const { model } = await trainModel({
    model: "modern",
    epochs: 1,
    batchSize: 32,
    data: { train: { images, labels, count } },
    evaluate: false,
    outDir: dir,
  });
  model.dispose();
  return dir;
}

const snapshot = (dir: string) =>
  readdirSync(dir)
    .sort()
    .map((f) => [f, readFileSync(join(dir, f)).toString("hex")]);

test("D9: numbers have a strict syntax and a stated range", () => {
  const usage = (args: string[], says: RegExp) =>
    assert.throws(
      () => parseTrainArgs(["--model", "modern", ...args]),
      (e: unknown) => {
        assert.ok(e instanceof UsageError, String(e));
        assert.match(e.message, says);
        return true;
      },
    );
  for (const epochs of ["1e9", "10001", "0x2", " 1", "1.5", "0", "01", ""]) {
    usage(["--epochs", epochs], /--epochs must be a whole number from 1 to 10,000/);
  }
  usage(["--batch", "5000"], /--batch must be a whole number from 1 to 4,096/);
  usage(["--lr", "0"], /--lr must be a number above 0 and at most 10/);
  usage(["--lr", "0x1"], /--lr/);
  usage(["--seed", "-1"], /--seed|argument/);
  usage(["--limit", "1e3"], /--limit/);
  usage(["--resume"], /--resume needs --out DIR/);
  usage(["--out", "x", "--resume", "--overwrite"], /exclude each other/);
  const parsed = parseTrainArgs([
    "--model",
    "modern",
    "--epochs",
    "20",
    "--lr",
    "1e-3",
    "--seed",
    "0",
  ]);
  assert.deepEqual([parsed.epochs, parsed.learningRate, parsed.seed], [20, 0.001, 0]);
  assert.throws(
    () => parseBenchArgs(["--windows", "0x2"]),
    /--windows must be a whole number from 1 to 1,000/,
  );
  assert.throws(() => parseBenchArgs(["--warmup", " 1"]), /--warmup/);
});

test("D1: evaluate on a folder whose test images are a gzip bomb: exit 1, one line, seconds", () => {
  const dir = freshDir();
  for (const name of MNIST_FILE_NAMES) copyFileSync(join(defaultMnistDir(), name), join(dir, name));
  const images = join(dir, "t10k-images-idx3-ubyte");
  rmSync(images);
  writeFileSync(`${images}.gz`, gzipBomb(2 ** 30)); // 1 GiB of zeros in ~1 MB
  const run = lenet5("evaluate", "--model", "modern", "--data", dir);
  assert.equal(run.code, 1, run.stderr);
  oneLineNaming(run.stderr, `${images}.gz`, /magic number is 0/);
  assert.ok(run.seconds < 20, `${run.seconds} s`);
});

test("D3: predict on /dev/zero behind a symlink, and on a FIFO: exit 1, no hang", () => {
  const dir = freshDir();
  const zero = join(dir, "zero.png");
  symlinkSync("/dev/zero", zero);
  const fifo = join(dir, "pipe.png");
  execFileSync("mkfifo", [fifo]);
  for (const [file, says] of [
    [zero, /is a character device \(a symlink to \/dev\/zero\), not a regular file/],
    [fifo, /is a FIFO \(named pipe\), not a regular file/],
  ] as const) {
    const run = lenet5("predict", "--model", "modern", file);
    assert.equal(run.code, 1, run.stderr);
    oneLineNaming(run.stderr, file, says);
  }
});

test("D4: data verify --json with a folder for a file prints the report, names it, exits 1", () => {
  const dir = freshDir();
  for (const name of MNIST_FILE_NAMES) copyFileSync(join(defaultMnistDir(), name), join(dir, name));
  const labels = join(dir, "t10k-labels-idx1-ubyte");
  rmSync(labels);
  mkdirSync(labels);
  const run = lenet5("data", "verify", "--data", dir, "--json");
  assert.equal(run.code, 1);
  const report = JSON.parse(run.stdout);
  assert.equal(report.files.length, 3);
  assert.deepEqual(report.errors, [
    { file: labels, fault: "not-a-file", message: `${labels}: is a directory, not a regular file` },
  ]);
  oneLineNaming(run.stderr, labels, /is a directory/);
});

test("D7: train --resume from a manifest without optimizer.iterations: exit 1, named, weights kept", async () => {
  const dir = await checkpointDir();
  const manifestPath = join(dir, MANIFEST_FILE);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  delete manifest.optimizer.iterations;
  writeFileSync(manifestPath, JSON.stringify(manifest));
  const before = snapshot(dir);
  const run = lenet5(
    "train",
    "--model",
    "modern",
    "--epochs",
    "2",
    "--limit",
    "32",
    "--batch",
    "32",
    "--out",
    dir,
    "--resume",
  );
  assert.equal(run.code, 1, run.stderr);
  const lines = run.stderr.trim().split("\n");
  assert.equal(
    lines[lines.length - 1],
    `lenet5: ${manifestPath}: optimizer.iterations is missing; it must be a whole number ≥ 0`,
  );
  assert.deepEqual(snapshot(dir), before);
});

test("D10: train --out on a folder holding a checkpoint, and on a file: exit 1 at once, named", async () => {
  const dir = await checkpointDir();
  const before = snapshot(dir);
  const run = lenet5("train", "--model", "modern", "--epochs", "1", "--out", dir);
  assert.equal(run.code, 1, run.stderr);
  const last = run.stderr.trim().split("\n").pop() ?? "";
  assert.match(
    last,
    new RegExp(
      `^lenet5: ${dir}: already holds a checkpoint \\(modern, epoch 1\\); continue it with --resume`,
    ),
  );
  assert.deepEqual(snapshot(dir), before, "not replaced");
  const file = join(freshDir(), "taken");
  writeFileSync(file, "");
  const onFile = lenet5("train", "--model", "modern", "--epochs", "1", "--out", file);
  assert.equal(onFile.code, 1);
  assert.match(
    onFile.stderr,
    new RegExp(`lenet5: ${file}: is a file, not a folder for checkpoints`),
  );
});

test("D12: predict warns on a blank picture instead of answering; a bad mirror is a usage error", () => {
  const dir = freshDir();
  const blank = join(dir, "blank.png");
  writeFileSync(blank, encodePng(new Uint8Array(28 * 28).fill(255), 28, 28));
  const tiny = join(dir, "tiny.png");
  writeFileSync(tiny, encodePng(Uint8Array.of(0), 1, 1));
  const run = lenet5("predict", "--model", "modern", "--json", blank, tiny);
  assert.equal(run.code, 0, run.stderr);
  const [first, second] = JSON.parse(run.stdout).results;
  assert.equal(first.digit, null);
  assert.match(first.warning, /uniform/);
  assert.equal(second.digit, null);
  assert.match(second.warning, /only 1×1 pixels/);
  assert.match(run.stderr, new RegExp(`lenet5: warning: ${blank}: the picture is uniform`));
  const mirror = lenet5("data", "download", "--to", join(dir, "m"), "--mirror", "not a url");
  assert.equal(mirror.code, 2);
  assert.match(mirror.stderr, /^lenet5: --mirror not a url: is not a URL/);
});
