#!/usr/bin/env node
// Copies what the interactive LeNet-5 page (/playground) fetches into website/static/generated/
// (gitignored), so the built site serves everything from its own host:
//   generated/weights/<model>/   the shipped checkpoints (manifest.json + the weights file it names)
//   generated/tfjs-wasm/         tfjs's wasm binaries (plain and SIMD; the threaded one is unused
//                                without cross-origin isolation but costs nothing to ship)
//   generated/architecture.svg   the architecture figure (after the paper's Fig. 2), drawn by the
//                                built library's architectureFigure(), for the home page
// Run by `npm run site:prepare` (after `npm run build`: the figure comes from dist/). Fails loudly
// when a checkpoint, a binary or the built library is missing.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const out = join(root, "website", "static", "generated");
const require = createRequire(import.meta.url);

/** The models the page offers: the paper's net and the modern twin. */
const MODELS = ["historical", "modern"];

function fail(message) {
  console.error(`site-assets: ${message}`);
  process.exit(1);
}

for (const model of MODELS) {
  const from = join(root, "weights", model);
  const to = join(out, "weights", model);
  const manifestPath = join(from, "manifest.json");
  if (!existsSync(manifestPath))
    fail(`${manifestPath} is missing (node scripts/train-shipped.mjs ${model})`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const file = manifest.weights?.file;
  if (typeof file !== "string" || !existsSync(join(from, file))) {
    fail(`${manifestPath} names weights file ${JSON.stringify(file)}, which is missing`);
  }
  rmSync(to, { recursive: true, force: true }); // no stale weights file beside the new one
  mkdirSync(to, { recursive: true });
  for (const name of ["manifest.json", file]) copyFileSync(join(from, name), join(to, name));
  console.log(`site-assets: weights/${model} → website/static/generated/weights/${model}`);
}

const wasmDir = dirname(
  require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"),
);
const wasmOut = join(out, "tfjs-wasm");
mkdirSync(wasmOut, { recursive: true });
for (const name of [
  "tfjs-backend-wasm.wasm",
  "tfjs-backend-wasm-simd.wasm",
  "tfjs-backend-wasm-threaded-simd.wasm",
]) {
  if (!existsSync(join(wasmDir, name))) fail(`${join(wasmDir, name)} is missing`);
  copyFileSync(join(wasmDir, name), join(wasmOut, name));
}
console.log("site-assets: tfjs wasm binaries → website/static/generated/tfjs-wasm");

const built = join(root, "dist", "index.js");
if (!existsSync(built)) fail(`${built} is missing (npm run build)`);
const { architectureFigure, renderSvg } = require(built);
writeFileSync(join(out, "architecture.svg"), renderSvg(architectureFigure({ theme: "light" })));
console.log("site-assets: architectureFigure() → website/static/generated/architecture.svg");
