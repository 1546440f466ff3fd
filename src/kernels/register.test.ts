// The one registration file: it names every file of src/kernels/, it is the only place that
// registers a kernel, and after initBackend("wasm") every kernel is in place — whether tfjs had
// started wasm before or not (each order in a fresh process: registration is process-wide).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { ADDED_KERNELS, REPLACED_WASM_KERNELS, registerLenet5Kernels } from "./register";

const root = join(__dirname, "..", "..");
const read = (file: string) => readFileSync(join(__dirname, file), "utf8");
/** The relative modules a file imports ("./tanh", "../paper", …). */
const importsOf = (file: string) =>
  [...read(file).matchAll(/^(?:import|export)[^"]*"(\.[^"]+)";/gm)].map((m) => m[1]);

/** Files of this room that register.ts cannot import, and who reads each instead. */
const NOT_IMPORTED: Readonly<Record<string, string>> = {
  // AssemblyScript, compiled by scripts/build-simd.mjs into simd-kernels-wasm.ts.
  "simd-kernels.as.ts": "scripts/build-simd.mjs",
  // AssemblyScript inlined into both WebAssembly modules (simd-kernels.as.ts, src/engine/ops.as.ts).
  "tanh4.as.ts": "simd-kernels.as.ts",
  // The compiled module's bytes, which only the loader instantiates.
  "simd-kernels-wasm.ts": "simd-kernels.ts",
};

test("register.ts names every file of src/kernels/", () => {
  const imported = new Set(importsOf("register.ts"));
  const files = readdirSync(__dirname).filter(
    (file) => file.endsWith(".ts") && !file.endsWith(".test.ts") && file !== "register.ts",
  );
  for (const file of files) {
    if (file in NOT_IMPORTED) continue;
    assert.ok(imported.has(`./${file.slice(0, -3)}`), `register.ts does not import ./${file}`);
  }
  assert.ok(importsOf("simd-kernels.ts").includes("./simd-kernels-wasm"), "the loader's bytes");
  assert.match(
    readFileSync(join(root, NOT_IMPORTED["simd-kernels.as.ts"]), "utf8"),
    /simd-kernels\.as\.ts/,
  );
});

test("no other file of the library registers or unregisters a kernel", () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "test-support" ? [] : sources(path);
      return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
    });
  const registering = sources(join(root, "src"))
    .filter((path) =>
      /\b(?:tf\.registerKernel|tf\.unregisterKernel|registerMissingKernels|replaceWasmKernel)\(/.test(
        readFileSync(path, "utf8"),
      ),
    )
    .map((path) => relative(root, path))
    .sort();
  // wasm-kernel.ts defines the two registering functions; register.ts is the one caller.
  assert.deepEqual(registering, ["src/kernels/register.ts", "src/kernels/wasm-kernel.ts"]);
});

test("registerLenet5Kernels registers every listed kernel once, then nothing", () => {
  const first = registerLenet5Kernels();
  assert.deepEqual(
    first.added,
    ADDED_KERNELS.map((k) => `${k.backendName}/${k.kernelName}`),
  );
  assert.deepEqual(
    first.replaced,
    REPLACED_WASM_KERNELS.map((k) => `wasm/${k.kernelName}`),
  );
  for (const k of ADDED_KERNELS) {
    assert.equal(tf.getKernel(k.kernelName, k.backendName)?.kernelFunc, k.kernelFunc);
  }
  assert.deepEqual(registerLenet5Kernels(), { added: [], replaced: [] });
  // The TSDoc example's first names.
  assert.deepEqual(first.replaced.slice(0, 2), ["wasm/MaxPoolGrad", "wasm/Conv2DBackpropInput"]);
});

for (const order of ["wasm not started yet", "wasm started first"]) {
  test(`after initBackend("wasm") every kernel is in place and the fallbacks work: ${order}`, () => {
    const args = ["--import", "tsx", "src/test-support/registration-check.ts"];
    if (order === "wasm started first") args.push("--wasm-first");
    const child = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
    assert.equal(child.status, 0, child.stderr);
    assert.match(child.stdout, /registration-check: ok/);
  });
}
