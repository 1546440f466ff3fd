#!/usr/bin/env node
// Time for a LeNet-5 to reach a test accuracy from scratch, with lenet5's own `trainModel` (its
// defaults unless told otherwise: for `modern`, Adam 1e-3, batch 64, two threads where it pays).
// The clock starts before trainModel is called (so it includes loading and converting MNIST and
// starting the worker thread) and stops at the end of the first epoch whose test accuracy (all
// 10,000 test images, evaluated after every epoch, its time included) reaches the target.
// --lr-decay f multiplies the learning rate by f after every epoch (lenet5's stepDecaySchedule).
//
//   npm run build && node scripts/time-to-accuracy.mjs [--model modern] [--target 0.99]
//       [--max-epochs 10] [--batch 64] [--lr 0.001] [--lr-decay 1] [--threads auto|1|2] [--seed 0]
//       [--out docs/time-to-99.json]
//
// Prints one line per epoch on stderr and the result as JSON on stdout (and into --out).
import { writeFileSync } from "node:fs";
import { getPriority, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { initBackend, backendInfo } = require("../dist/backend.js");
const { trainModel } = require("../dist/train/train.js");
const { stepDecaySchedule } = require("../dist/train/schedules.js");

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "modern" },
    target: { type: "string", default: "0.99" },
    "max-epochs": { type: "string", default: "10" },
    batch: { type: "string" },
    lr: { type: "string" },
    "lr-decay": { type: "string", default: "1" },
    threads: { type: "string", default: "auto" },
    seed: { type: "string", default: "0" },
    out: { type: "string" },
  },
});
const target = Number(values.target);
const threads = values.threads === "auto" ? "auto" : Number(values.threads);

const backend = await initBackend();
const loadBefore = loadavg()[0];
const controller = new AbortController();
let reachedAt = null;
const epochs = [];
const started = performance.now();
const result = await trainModel({
  model: values.model,
  epochs: Number(values["max-epochs"]),
  seed: Number(values.seed),
  threads,
  ...(values.batch !== undefined && { batchSize: Number(values.batch) }),
  ...(values.lr !== undefined && {
    learningRate: stepDecaySchedule(Number(values.lr), Number(values["lr-decay"]), 1),
  }),
  signal: controller.signal,
  onEpoch: (e) => {
    const elapsed = (performance.now() - started) / 1000;
    epochs.push({
      epoch: e.epoch,
      testAccuracy: e.testAccuracy,
      trainImagesPerSec: Math.round(e.imagesPerSec),
      epochSeconds: Math.round(e.seconds * 10) / 10,
      elapsedSeconds: Math.round(elapsed * 10) / 10,
    });
    process.stderr.write(
      `epoch ${e.epoch}: test ${(100 * e.testAccuracy).toFixed(2)}%, ${Math.round(e.imagesPerSec)} img/s, ${elapsed.toFixed(1)} s so far\n`,
    );
    if (reachedAt === null && e.testAccuracy >= target) {
      reachedAt = elapsed;
      controller.abort(); // stop before the next epoch
    }
  },
});
result.model.dispose();

const report = {
  model: values.model,
  target,
  reached: reachedAt !== null,
  seconds: reachedAt === null ? null : Math.round(reachedAt * 10) / 10,
  epochs,
  recipe: result.recipe,
  backend: backendInfo(),
  date: new Date().toISOString(),
  loadBefore: Math.round(loadBefore * 100) / 100,
  /** Scheduling priority (nice value) of this process: below 0 when run with `nice -n -N`. */
  nice: getPriority(),
  loadAfter: Math.round(loadavg()[0] * 100) / 100,
  node: process.version,
};
const json = `${JSON.stringify(report, null, 2)}\n`;
process.stdout.write(json);
if (values.out) writeFileSync(values.out, json);
process.exit(backend ? 0 : 1);
