// Importing lenet5 changes nothing global: in a fresh process, the kernels tfjs has registered
// (names and kernel functions, on wasm and cpu) are the same before and after `require("lenet5")`,
// and no backend has been started. initBackend() is where lenet5's kernels get registered
// (src/kernels/register.test.ts checks that side).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "..");

/** Runs `entry` (the library's root module) in a fresh process and reports what it changed. */
function importEffects(entry: string): {
  changed: string[];
  backends: string[];
  exports: number;
  sigintListeners: number;
} {
  const script = `
    const tf = require("@tensorflow/tfjs");
    require("@tensorflow/tfjs-backend-wasm"); // tfjs's own kernels, registered by tfjs itself
    const snapshot = () => new Map(
      ["wasm", "cpu"].flatMap((b) => tf.getKernelsForBackend(b).map((k) => [b + "/" + k.kernelName, k.kernelFunc])),
    );
    const before = snapshot();
    const sigint = process.listenerCount("SIGINT");
    const lenet5 = require(${JSON.stringify(entry)});
    const after = snapshot();
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
      (key) => before.get(key) !== after.get(key),
    );
    console.log(JSON.stringify({
      changed,
      backends: Object.keys(tf.engine().registry),
      exports: Object.keys(lenet5).length,
      sigintListeners: process.listenerCount("SIGINT") - sigint,
    }));
  `;
  const child = spawnSync(process.execPath, ["--import", "tsx", "-e", script], {
    cwd: root,
    encoding: "utf8",
  });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout.trim().split("\n").pop() ?? "{}");
}

test('require("lenet5") leaves tfjs\'s registered kernels unchanged and starts no backend', () => {
  const effects = importEffects("./src/index.ts");
  assert.ok(effects.exports > 100, "the library loaded");
  assert.deepEqual(effects.changed, []);
  assert.deepEqual(effects.backends, []);
  // Only a long call listens for SIGINT, while it runs (src/interrupt.ts).
  assert.equal(effects.sigintListeners, 0);
});

test("the browser entry, too, changes nothing until initBrowserBackend()", () => {
  const effects = importEffects("./src/browser.ts");
  assert.ok(effects.exports > 10, "the browser entry loaded");
  assert.deepEqual(effects.changed, []);
  assert.deepEqual(effects.backends, []);
});
