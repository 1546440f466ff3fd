// Tests for the paper's initialisation (uniform ±2.4/F_i) as a tfjs Initializer.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { INIT_RANGE_NUMERATOR } from "../paper";
import { Rng } from "../rng";
import {
  PaperUniform,
  kernelFanIn,
  layerInitializers,
  paperInitRange,
  sparseConvFanIns,
  weightSeeds,
} from "./paper-uniform";
import { saveAndLoad } from "../test-support/parity";
import { initBackend } from "../backend";

before(async () => {
  await initBackend(); // wasm here; the initializer itself is backend-independent
});

test("paperInitRange is 2.4/F_i: C1 (F = 25) 0.096, C5 (F = 400) 0.006", () => {
  assert.equal(paperInitRange(25), 0.096); // C1: 5·5·1 inputs → 0.096
  assert.equal(paperInitRange(400), INIT_RANGE_NUMERATOR / 400);
  assert.throws(() => paperInitRange(0), /fan-in must be positive/);
});

test("kernelFanIn reads conv [K, K, Cin, Cout] and dense [In, Out] shapes", () => {
  assert.equal(kernelFanIn([5, 5, 16, 120]), 400); // C5
  assert.equal(kernelFanIn([120, 84]), 120); // F6
  assert.throws(() => kernelFanIn([16]), /cannot tell the fan-in/);
});

test("sparseConvFanIns: C3 maps have 75, 100 or 150 inputs (Table I)", () => {
  const { perOutputMap, perConnection } = sparseConvFanIns(5); // Table I
  assert.deepEqual(perOutputMap.slice(0, 7), [75, 75, 75, 75, 75, 75, 100]);
  assert.deepEqual(perOutputMap, [...new Array(6).fill(75), ...new Array(9).fill(100), 150]);
  assert.equal(perConnection.length, 60);
  assert.deepEqual(perConnection.slice(0, 4), [75, 75, 75, 75]); // map 0's 3 links, then map 1's
  assert.equal(perConnection[59], 150);
});

test("weightSeeds: deterministic, distinct per weight", () => {
  const [kernelSeed, biasSeed] = weightSeeds(7, 2);
  assert.deepEqual(weightSeeds(7, 2), [kernelSeed, biasSeed]);
  assert.notEqual(kernelSeed, biasSeed);
  assert.notDeepEqual(weightSeeds(8, 2), [kernelSeed, biasSeed]);
});

test("PaperUniform draws from Rng(seed), uniform in ±2.4/F_i", () => {
  const init = new PaperUniform({ seed: 1, fanIn: 25 });
  const w = init.apply([5, 5, 1, 6]); // every value in [−0.096, 0.096)
  const values = w.dataSync();
  // Exactly the Rng's numbers, in row-major order.
  const rng = new Rng(1);
  const expected = Float32Array.from({ length: 150 }, () => rng.uniform(-0.096, 0.096));
  assert.deepEqual(Array.from(values), Array.from(expected));
  w.dispose();
  // Uniform on ±0.024 with F = 100: the extremes approach the bound, half the mass is below 0.
  const many = new PaperUniform({ seed: 2, fanIn: 100 }).apply([100, 100]);
  const v = Array.from(many.dataSync());
  many.dispose();
  assert.ok(Math.max(...v.map(Math.abs)) <= 0.024);
  assert.ok(Math.max(...v) > 0.0239 && Math.min(...v) < -0.0239);
  const below = v.filter((x) => x < 0).length / v.length; // binomial sd 0.005
  assert.ok(Math.abs(below - 0.5) < 0.02, `fraction below 0: ${below}`);
});

test("PaperUniform: fan-in from the kernel shape, or one per last-axis index", () => {
  const fromShape = new PaperUniform({ seed: 3 }).apply([5, 5, 16, 120]); // F = 400
  assert.ok(Math.max(...Array.from(fromShape.dataSync()).map(Math.abs)) <= 0.006);
  fromShape.dispose();
  // Last axis 2: column 0 has F = 1 (±2.4), column 1 has F = 240 (±0.01).
  const mixed = new PaperUniform({ seed: 4, fanIn: [1, 240] }).apply([500, 2]).dataSync();
  const column = (c: number) =>
    Array.from(mixed)
      .filter((_, i) => i % 2 === c)
      .map(Math.abs);
  assert.ok(Math.max(...column(0)) > 2.3 && Math.max(...column(0)) <= 2.4);
  assert.ok(Math.max(...column(1)) <= 0.01);
  assert.throws(
    () => new PaperUniform({ fanIn: [1, 2, 3] }).apply([4, 2]),
    /3 fan-ins for a last axis of 2/,
  );
  assert.throws(() => new PaperUniform().apply([16]), /cannot tell the fan-in/);
});

test("PaperUniform is a tfjs Initializer: dense layers take it, models save and reload it", async () => {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        units: 3,
        inputShape: [4],
        kernelInitializer: new PaperUniform({ seed: 5 }),
        biasInitializer: new PaperUniform({ seed: 6, fanIn: 4 }),
      }),
    ],
  });
  const [kernel, bias] = model.getWeights().map((w) => Array.from(w.dataSync()));
  assert.ok([...kernel, ...bias].every((x) => Math.abs(x) <= 0.6)); // 2.4/4
  const config = model.layers[0].getConfig() as { kernelInitializer: unknown };
  assert.deepEqual(config.kernelInitializer, { className: "PaperUniform", config: { seed: 5 } });
  const loaded = await saveAndLoad(model);
  const reloaded = loaded.getWeights().map((w) => Array.from(w.dataSync()));
  assert.deepEqual(reloaded, [kernel, bias]);
  model.dispose();
  loaded.dispose();
});

test("layerInitializers: paper needs the fan-in; modern inits use zero biases", () => {
  assert.throws(
    () => layerInitializers("paper", 0, undefined, "x"),
    /needs the layer's input size/,
  );
  const paper = layerInitializers("paper", 0, 25, "x");
  assert.equal(paper.kernelInitializer.getClassName(), "PaperUniform");
  const modern = layerInitializers("heNormal", 0, undefined, "x");
  assert.equal(modern.biasInitializer.getClassName(), "Zeros");
});
