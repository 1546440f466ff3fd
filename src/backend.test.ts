// Tests for src/backend.ts. Choices that depend on LENET5_BACKEND run in child processes (tfjs's
// active backend is process-wide); the pure candidate logic runs here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import {
  activeBackend,
  availableBackends,
  backendCandidates,
  backendInfo,
  initBackend,
  parseBackendName,
  requestedBackend,
  tfjsNodeResolvable,
} from "./backend";

const backendModule = join(__dirname, "backend");

/**
 * Whether @tensorflow/tfjs-node actually loads here, checked in a child process. It may be absent
 * (its install script downloads libtensorflow, which fails offline) or present without its native
 * addon (resolvable, but require() throws): both must leave wasm as the default.
 */
function tfjsNodeLoads(): boolean {
  if (!tfjsNodeResolvable()) return false;
  const child = spawnSync(process.execPath, ["-e", 'require("@tensorflow/tfjs-node")'], {
    encoding: "utf8",
  });
  return child.status === 0;
}
const nodeLoads = tfjsNodeLoads();
const defaultBackend = nodeLoads ? "node" : "wasm";

/** Runs initBackend() in a fresh Node process with LENET5_BACKEND set (or unset). */
function initInChild(envValue: string | undefined): { ok: boolean; out: string; err: string } {
  const env = { ...process.env };
  delete env.LENET5_BACKEND;
  if (envValue !== undefined) env.LENET5_BACKEND = envValue;
  const script =
    `const b = require(${JSON.stringify(backendModule)});` +
    "b.initBackend().then(" +
    "(name) => console.log(JSON.stringify({ name, active: b.activeBackend(), info: b.backendInfo() }))," +
    "(error) => { console.log(error.message); process.exit(3); });";
  const child = spawnSync(process.execPath, ["--import", "tsx", "-e", script], {
    env,
    encoding: "utf8",
  });
  return { ok: child.status === 0, out: child.stdout.trim(), err: child.stderr.trim() };
}

test("parseBackendName accepts the three names and rejects others, naming the source", () => {
  assert.equal(parseBackendName("wasm", "LENET5_BACKEND"), "wasm");
  assert.equal(parseBackendName(" CPU ", "LENET5_BACKEND"), "cpu");
  assert.throws(
    () => parseBackendName("gpu", "LENET5_BACKEND"),
    /LENET5_BACKEND="gpu".*node, wasm, cpu/,
  );
});

test("requestedBackend: argument beats LENET5_BACKEND; empty means automatic", () => {
  assert.deepEqual(requestedBackend(undefined, "cpu"), {
    name: "cpu",
    source: 'LENET5_BACKEND="cpu"',
  });
  assert.equal(requestedBackend(undefined, ""), undefined);
  assert.equal(requestedBackend("wasm", "cpu")?.name, "wasm");
});

test("backendCandidates: automatic order node → wasm → cpu, over what is available", () => {
  assert.deepEqual(backendCandidates({ available: ["wasm", "cpu"] }), ["wasm", "cpu"]);
  assert.deepEqual(backendCandidates({ available: ["cpu", "wasm", "node"] }), [
    "node",
    "wasm",
    "cpu",
  ]);
  assert.deepEqual(backendCandidates({ envValue: "cpu", available: ["wasm", "cpu"] }), ["cpu"]);
  assert.deepEqual(
    backendCandidates({ preferred: "wasm", envValue: "cpu", available: ["wasm", "cpu"] }),
    ["wasm"],
  );
});

test("backendCandidates: an unavailable requested backend throws naming the request and what is available", () => {
  assert.throws(
    () => backendCandidates({ envValue: "node", available: ["wasm", "cpu"] }),
    /LENET5_BACKEND="node".*"node" backend.*@tensorflow\/tfjs-node.*available: wasm, cpu/,
  );
  assert.throws(
    () => backendCandidates({ envValue: "tpu", available: ["wasm", "cpu"] }),
    /LENET5_BACKEND="tpu"/,
  );
});

test("availableBackends: node only where tfjs-node resolves; wasm and cpu always", () => {
  const expected = tfjsNodeResolvable() ? ["node", "wasm", "cpu"] : ["wasm", "cpu"];
  assert.deepEqual(availableBackends(), expected);
});

test("initBackend in this process: wasm by default (no working tfjs-node), idempotent, switchable", async () => {
  const saved = process.env.LENET5_BACKEND;
  delete process.env.LENET5_BACKEND;
  try {
    const expected = defaultBackend;
    assert.equal(await initBackend(), expected); // a broken tfjs-node falls back to wasm
    assert.equal(await initBackend(), expected); // idempotent
    assert.equal(activeBackend(), expected);
    const info = backendInfo();
    assert.equal(info.name, expected);
    assert.equal(info.tfjsVersion, tf.version_core);
    if (expected === "wasm") assert.equal(typeof info.simd, "boolean");

    assert.equal(await initBackend("cpu"), "cpu");
    assert.equal(tf.getBackend(), "cpu");
    assert.equal(activeBackend(), "cpu");
    assert.equal(await initBackend(), "cpu"); // no request: the active lenet5 backend is kept
    assert.deepEqual(backendInfo(), { name: "cpu", tfjsVersion: tf.version_core });
    assert.equal(await initBackend("wasm"), "wasm");
  } finally {
    if (saved !== undefined) process.env.LENET5_BACKEND = saved;
  }
});

test("importing the backend module registers the wasm Conv2DBackpropFilter kernel", () => {
  assert.notEqual(tf.getKernel("Conv2DBackpropFilter", "wasm"), undefined);
});

test("child process: default (LENET5_BACKEND unset) is wasm where tfjs-node does not load", () => {
  const { ok, out, err } = initInChild(undefined);
  assert.ok(ok, `${out}\n${err}`);
  const result = JSON.parse(out);
  const expected = defaultBackend;
  assert.equal(result.name, expected);
  assert.equal(result.active, expected);
  if (expected === "wasm")
    assert.equal(result.info.simd, true, "wasm should run with SIMD in Node 20");
});

test("child process: LENET5_BACKEND=cpu picks cpu", () => {
  const { ok, out, err } = initInChild("cpu");
  assert.ok(ok, `${out}\n${err}`);
  const result = JSON.parse(out);
  assert.equal(result.name, "cpu");
  assert.equal(result.active, "cpu");
});

test("child process: an invalid LENET5_BACKEND throws naming the variable and the value", () => {
  const { ok, out, err } = initInChild("quantum");
  assert.equal(ok, false, `${out}\n${err}`);
  assert.match(
    out,
    /LENET5_BACKEND="quantum" is not a backend lenet5 knows; use one of node, wasm, cpu/,
  );
});

test("child process: LENET5_BACKEND=node without a working tfjs-node throws a clear error", () => {
  const { ok, out, err } = initInChild("node");
  if (nodeLoads) {
    assert.ok(ok, `${out}\n${err}`);
    assert.equal(JSON.parse(out).name, "node");
  } else if (tfjsNodeResolvable()) {
    // Installed without its native addon: the request names itself and the load error.
    assert.equal(ok, false, `${out}\n${err}`);
    assert.match(out, /could not start LENET5_BACKEND="node": node: /);
  } else {
    assert.equal(ok, false, `${out}\n${err}`);
    assert.match(out, /LENET5_BACKEND="node".*not available.*available: wasm, cpu/);
  }
});
