import { before, test } from "node:test";
import assert from "node:assert/strict";
import type * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend";
import { createModel } from "../models/registry";
import { Rng } from "../rng";
import {
  type InitDivisor,
  ablationParameterCounts,
  checkAblationParameters,
  checkWeightedSumSpread,
} from "./experiments";

const spread = (k: number, f: number, d: InitDivisor, rms: number): number =>
  (k / (d === "fanIn" ? f : Math.sqrt(f)) / Math.sqrt(3)) * Math.sqrt(f) * rms;

test("doc example: checkWeightedSumSpread accepts (K/D)/√3 · √F · rms", () => {
  const result = checkWeightedSumSpread(spread);
  assert.equal(result.ok, true);
  // C5, rms 1: 2.4/400/√3·20 = 0.069; ±2.4/√F: 2.4/√3 = 1.39, 20 times larger.
  assert.match(result.message, /^✓ .*\(C5, rms 1: 0\.069\).*\(1\.39\), 20 times larger/);
});

test("checkWeightedSumSpread matches a Monte Carlo estimate of the weighted sum's std", () => {
  // The formula the check holds the learner to, against sampling: 4,000 sums of 400 terms.
  const rng = new Rng(12345);
  for (const divisor of ["fanIn", "sqrtFanIn"] as const) {
    const [k, f, rms] = [2.4, 400, 0.5];
    const range = k / (divisor === "fanIn" ? f : Math.sqrt(f));
    const sums = Array.from({ length: 4000 }, () => {
      let a = 0;
      for (let i = 0; i < f; i++) a += rng.uniform(-range, range) * (rng.next() < 0.5 ? -rms : rms);
      return a;
    });
    const std = Math.sqrt(sums.reduce((s, a) => s + a * a, 0) / sums.length);
    assert.ok(Math.abs(std / spread(k, f, divisor, rms) - 1) < 0.05, `${divisor}: ${std}`);
  }
});

test("checkWeightedSumSpread names the usual slips", () => {
  const cases: [(k: number, f: number, d: InitDivisor, rms: number) => number, RegExp][] = [
    [() => 0, /starter/],
    [(k, f, d, rms) => spread(k, f, d, rms) * Math.sqrt(3), /std r\/√3, not r/],
    [(k, f, d, rms) => spread(k, f, d, rms) * Math.sqrt(f), /add variances/],
    [(k, f, d, rms) => spread(k, f, d, rms) / Math.sqrt(f), /that is one term/],
    [(k, f, d, rms) => spread(k, f, d, rms) / rms, /× rms\(x\)/],
    [(k, f, d, rms) => spread(k, f, d === "fanIn" ? "sqrtFanIn" : "fanIn", rms), /swapped/],
    [() => 1, /expected .* = \(K\/D\)\/√3/],
    [() => Number.NaN, /not a number/],
    [
      () => {
        throw new Error("TODO");
      },
      /weightedSumSpread threw: TODO/,
    ],
  ];
  for (const [wrong, message] of cases) {
    const result = checkWeightedSumSpread(wrong);
    assert.equal(result.ok, false, String(wrong));
    assert.match(result.message, message);
  }
});

/** Trainable parameters of a model (the RBF prototypes are not trainable). */
const trainable = (model: tf.LayersModel) =>
  model.trainableWeights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);

before(() => initBackend("cpu"));

test("ablationParameterCounts agrees with the models the library builds", () => {
  const counts = ablationParameterCounts();
  const built = {
    paper: createModel("historical"),
    fullC3: createModel("historical", { c3: "full" }),
    averagePooling: createModel("historical", { subsampling: "average" }),
    maxPooling: createModel("historical", { subsampling: "max" }),
  };
  for (const [key, model] of Object.entries(built)) {
    assert.equal(trainable(model), counts[key as keyof typeof counts], key);
    model.dispose();
  }
  assert.deepEqual(counts, {
    paper: 60_000,
    fullC3: 60_900,
    averagePooling: 59_956,
    maxPooling: 59_956,
  });
});

test("checkAblationParameters accepts the counts and names the usual slips", () => {
  const right = { paper: 60_000, fullC3: 60_900, averagePooling: 59_956, maxPooling: 59_956 };
  const ok = checkAblationParameters(right);
  assert.equal(ok.ok, true);
  assert.match(ok.message, /^✓ paper 60,000, full C3 \+900, either pooling −44/);
  const cases: [Partial<typeof right>, RegExp][] = [
    [{ fullC3: 60_000 }, /fullC3: 60,000; expected 60,900 — full C3 adds the 36/],
    [{ fullC3: 60_884 }, /still has its bias/],
    [{ fullC3: 60_916 }, /the biases are there already/],
    [{ averagePooling: 60_000 }, /no coefficient and no bias/],
    [{ averagePooling: 59_988 }, /S4 loses its 32/],
    [{ maxPooling: 59_116 }, /prototypes are fixed/],
    [{ paper: 60_840 }, /paper: 60,840; expected 60,000$/],
    [{ maxPooling: Number.NaN }, /maxPooling is NaN, not a number/],
  ];
  for (const [change, message] of cases) {
    const result = checkAblationParameters({ ...right, ...change });
    assert.equal(result.ok, false, JSON.stringify(change));
    assert.match(result.message, message);
  }
});
