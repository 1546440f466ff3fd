import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend";
import { createSeedHistorical } from "./seed-historical";
import { summarizeModel } from "./summary";

before(() => initBackend());

test("doc example and counts: full C3 costs 900 more parameters than Table I", () => {
  const model = createSeedHistorical({ seed: 1 });
  assert.equal(model.countParams(), 61_750);
  const rows = Object.fromEntries(
    summarizeModel("seed-historical", model, "test").layers.map((l) => [l.name, l]),
  );
  assert.equal(rows.C3.params, 5 * 5 * 6 * 16 + 16); // 2,416 against the paper's 1,516
  assert.equal(rows.OUTPUT.params, 84 * 10 + 10); // a linear layer instead of fixed RBF units
  assert.equal(rows.S2.params, 12);
});

test("subsampling starts as a plain 2×2 average: coefficient 1, bias 0", () => {
  const model = createSeedHistorical({ seed: 1 });
  const [coefficient, bias] = model.getLayer("S2").getWeights();
  assert.deepEqual(Array.from(coefficient.dataSync()), [1, 1, 1, 1, 1, 1]);
  assert.deepEqual(Array.from(bias.dataSync()), [0, 0, 0, 0, 0, 0]);
  // Average of the block [1, 2, 3, 4] is 2.5.
  const s2 = model.getLayer("S2");
  const x = tf.tile(tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]), [1, 1, 1, 6]);
  const y = s2.apply(x) as tf.Tensor;
  assert.deepEqual(Array.from(y.dataSync()), [2.5, 2.5, 2.5, 2.5, 2.5, 2.5]);
});

test("weights are normal with σ = 1/√fan_in (the seed page's rule)", () => {
  const kernel = createSeedHistorical({ seed: 5 })
    .getLayer("C5")
    .getWeights()[0]
    .dataSync() as Float32Array;
  const std = Math.sqrt(kernel.reduce((s, v) => s + v * v, 0) / kernel.length);
  assert.ok(Math.abs(std - 1 / Math.sqrt(400)) < 0.001, `std ${std}`);
});
