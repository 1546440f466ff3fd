#!/usr/bin/env node
// Where the engine's time goes (docs/speed.md): the share of each engine op in one thread's
// training step at batch 64 and in inference at batch 1000, for `historical` and `modern`.
// It compiles src/engine/engine.as.ts with asc's --debug (the same code plus a name section, so
// the V8 CPU profiler names each function), hands those bytes to the compiled library in
// place of the shipped ones, samples each workload for --seconds with node:inspector's
// profiler, and sums the self time of every engine function. Speed tooling: it changes nothing
// on disk. Shares, not rates, so it reads the same on a loaded machine.
//
//   npm run build && node scripts/profile-engine.mjs [--seconds 3] [--json]
import asc from "assemblyscript/asc";
import { createRequire } from "node:module";
import { Session } from "node:inspector/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import path from "node:path";
import { ASC_FLAGS } from "./lib/asc-flags.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const { values } = parseArgs({
  options: { seconds: { type: "string", default: "3" }, json: { type: "boolean", default: false } },
});
const seconds = Number(values.seconds);
if (!(seconds > 0 && seconds <= 600)) {
  console.error("profile-engine: --seconds must be a number in (0, 600]");
  process.exit(2);
}

/** The shipped engine's flags (ordinary memory), with --debug for the name section. */
const FLAGS = [...ASC_FLAGS, "--debug"];

async function namedEngineBytes() {
  let wasm;
  const { error } = await asc.main(["src/engine/engine.as.ts", "--outFile", "e.wasm", ...FLAGS], {
    baseDir: root,
    stdout: { write: () => true },
    stderr: { write: () => true },
    writeFile: (name, contents) => {
      if (name.endsWith(".wasm")) wasm = contents;
    },
  });
  if (error || wasm === undefined) throw new Error(`profile-engine: asc failed: ${error}`);
  return Buffer.from(wasm);
}

// The library reads the module from dist/engine/engine-wasm.js: put the named build there, in
// require's cache only, before anything loads it.
const wasmFile = require.resolve(path.join(root, "dist/engine/engine-wasm.js"));
require(wasmFile);
require.cache[wasmFile].exports = {
  ENGINE_WASM_BASE64: (await namedEngineBytes()).toString("base64"),
  ENGINE_SHARED_WASM_BASE64: "",
};
const { Engine } = require(path.join(root, "dist/engine/engine.js"));
const historical = require(path.join(root, "dist/models/historical.js"));
const modern = require(path.join(root, "dist/models/modern.js"));

/** A workload: one thread, deterministic synthetic digits, the default optimiser of each net. */
function workload(net, kind) {
  const engine = Engine.create(net, { maxBatch: 1000 });
  engine.setParams(
    net === "modern"
      ? modern.modernParams(modern.createModern({ seed: 1 }))
      : historical.historicalParams(historical.createHistorical({ seed: 1 })),
  );
  const side = net === "modern" ? 28 : 32;
  const batch = kind === "train" ? 64 : 1000;
  const inputs = new Float32Array(batch * side * side).map((_, i) => Math.sin(i) * 0.8);
  const labels = new Int32Array(batch).map((_, i) => i % 10);
  return kind === "train" ? () => engine.step(inputs, labels) : () => engine.predict(inputs);
}

const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 200 });
const results = [];
for (const net of ["historical", "modern"]) {
  for (const kind of ["train", "infer"]) {
    const run = workload(net, kind);
    for (let i = 0; i < 3; i++) run(); // compiled and warm before sampling
    await session.post("Profiler.start");
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) run();
    const { profile } = await session.post("Profiler.stop");
    results.push({ net, kind, shares: engineShares(profile) });
  }
}
session.disconnect();

/** Each engine function's share of the samples that fell in engine code, largest first. */
function engineShares(profile) {
  const ticks = new Map();
  profile.samples.forEach((id, i) =>
    ticks.set(id, (ticks.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
  );
  const byName = new Map();
  for (const node of profile.nodes) {
    const { functionName, url } = node.callFrame;
    if (!url.startsWith("wasm://")) continue;
    const name = functionName.replace(/^.*\//, "");
    byName.set(name, (byName.get(name) ?? 0) + (ticks.get(node.id) ?? 0));
  }
  const total = [...byName.values()].reduce((a, b) => a + b, 0);
  return [...byName]
    .map(([op, time]) => ({ op, share: time / total }))
    .filter((r) => r.share >= 0.005)
    .sort((a, b) => b.share - a.share);
}

if (values.json) {
  console.log(JSON.stringify({ date: new Date().toISOString(), seconds, results }, null, 2));
} else {
  for (const { net, kind, shares } of results) {
    const list = shares.map((r) => `${r.op} ${(100 * r.share).toFixed(0)}%`).join(", ");
    console.log(
      `${net} ${kind === "train" ? "training step, batch 64" : "inference, batch 1000"}: ${list}`,
    );
  }
}
