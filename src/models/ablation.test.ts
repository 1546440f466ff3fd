// The ablation options of `historical`: each changes what it should and nothing else —
// parameter counts and C3's reads for full C3, the initial range for initScale, the S2/S4
// outputs on a hand-checkable case for pooling — and each in use is a departure in the ledger.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend";
import { TABLE_I } from "../paper";
import { ablationOfRecipe, ablationRows } from "./ablation";
import { fidelityLedger, measureC3Connections, type ShippedRun } from "./fidelity";
import { createHistorical, historicalDepartures } from "./historical";
import { createModel } from "./registry";
import { summarizeModel } from "./summary";

before(() => initBackend());

const run: ShippedRun = {
  name: "a run",
  distort: false,
  optimizer: "sdlm",
  batchSize: 1,
  mu: 0.02,
  hessianSamples: 500,
  learningRates: [5e-4],
  epochs: 1,
  testAccuracy: 0.99,
};

const params = (model: tf.LayersModel) =>
  Object.fromEntries(
    summarizeModel("historical", model, "test").layers.map((l) => [l.name, l.params]),
  );

/** Trainable parameters (countParams also counts the 840 fixed RBF prototype values). */
const trainable = (model: tf.LayersModel) =>
  model.trainableWeights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);

test("full C3: 96 kernels, 2,416 C3 parameters, every C3 map reads all six S2 maps", () => {
  const paper = createHistorical({ seed: 1 });
  const full = createHistorical({ seed: 1, c3: "full" });
  assert.equal(params(paper).C3, 1_516);
  assert.equal(params(full).C3, 96 * 25 + 16);
  assert.equal(trainable(full), 60_000 - 1_516 + 2_416);
  assert.deepEqual(measureC3Connections(paper), TABLE_I);
  assert.deepEqual(
    measureC3Connections(full),
    Array.from({ length: 16 }, () => [0, 1, 2, 3, 4, 5]),
  );
  // The other layers start from the same draws: C1's kernel is the same.
  assert.deepEqual(
    Array.from(full.getLayer("C1").getWeights()[0].dataSync()),
    Array.from(paper.getLayer("C1").getWeights()[0].dataSync()),
  );
  [paper, full].forEach((m) => m.dispose());
});

test("initScale: the largest |w| of each layer sits just under K/F_i or K/√F_i", () => {
  const cases = [
    [{}, (f: number) => 2.4 / f],
    [{ initScale: { divisor: "sqrtFanIn" } }, (f: number) => 2.4 / Math.sqrt(f)],
    [{ initScale: { numerator: 1 } }, (f: number) => 1 / f],
  ] as const;
  for (const [options, bound] of cases) {
    const model = createHistorical({ seed: 2, ...options });
    for (const [name, fanIn] of [
      ["C1", 25],
      ["C5", 400],
      ["F6", 120],
    ] as const) {
      const values = model.getLayer(name).getWeights()[0].dataSync();
      let largest = 0;
      for (const v of values) largest = Math.max(largest, Math.abs(v));
      const label = `${JSON.stringify(options)} ${name}`;
      assert.ok(largest <= bound(fanIn) * (1 + 1e-6), `${label}: ${largest} above the bound`);
      assert.ok(
        largest >= 0.95 * bound(fanIn),
        `${label}: ${largest} fills too little of the range`,
      );
    }
    model.dispose();
  }
  assert.throws(() => createHistorical({ initScale: { numerator: -1 } }), /numerator/);
  assert.throws(
    () => createHistorical({ initScale: { divisor: "cube" as "fanIn" } }),
    /divisor must be/,
  );
});

test("pooling S2/S4 on a hand-checkable case: average and max of each 2×2 block, no parameters", () => {
  // C1's tanh outputs are fed straight to S2: build a one-layer probe on S2 of each variant.
  const block = [0.5, -1, 1.5, 0.25]; // one 2×2 block of one map, top-left, top-right, …
  const x = tf.tensor4d(block, [1, 2, 2, 1]);
  const s2Of = (subsampling: "average" | "max") => {
    const model = createHistorical({ seed: 3, subsampling });
    const y = (model.getLayer("S2").apply(x) as tf.Tensor).dataSync()[0];
    const p = params(model);
    model.dispose();
    return { y, p };
  };
  const average = s2Of("average");
  const max = s2Of("max");
  assert.ok(Math.abs(average.y - (0.5 - 1 + 1.5 + 0.25) / 4) < 1e-7); // 0.3125
  assert.equal(max.y, 1.5);
  for (const { p } of [average, max]) {
    assert.equal(p.S2, 0);
    assert.equal(p.S4, 0);
  }
  const model = createHistorical({ subsampling: "max" });
  assert.equal(trainable(model), 60_000 - 12 - 32);
  // No squashing after the pooling: S2's output goes straight to C3.
  const names = model.layers.map((l) => l.name);
  assert.equal(names[names.indexOf("S2") + 1], "C3");
  model.dispose();
  x.dispose();
});

test("the options are checked, recorded without the paper's values, and historical's only", () => {
  assert.deepEqual(historicalDepartures({}), {});
  assert.deepEqual(
    historicalDepartures({
      c3: "table-i",
      subsampling: "trainable",
      initScale: { numerator: 2.4 },
    }),
    {},
  );
  assert.deepEqual(
    historicalDepartures({ c3: "full", initScale: { numerator: 2.4, divisor: "sqrtFanIn" } }),
    { c3: "full", initScale: { divisor: "sqrtFanIn" } },
  );
  assert.throws(() => historicalDepartures({ c3: "half" as "full" }), /c3 must be one of/);
  assert.throws(
    () => createHistorical({ subsampling: "median" as "max" }),
    /subsampling must be one of/,
  );
  assert.throws(() => createModel("modern", { c3: "full" }), /c3 is an option of historical only/);
  assert.deepEqual(ablationOfRecipe({ modelOptions: { c3: "full" }, j: 0.5, outputCurvature: 2 }), {
    c3: "full",
    j: 0.5,
    outputCurvature: 2,
  });
});

test("the ledger lists each option in use as a departure, and the measured rows follow it", () => {
  assert.deepEqual(ablationRows({}), []);
  assert.deepEqual(ablationRows({ j: 0.1, outputCurvature: "eq9" }), []); // the defaults
  const all = ablationRows({
    c3: "full",
    subsampling: "max",
    initScale: { divisor: "sqrtFanIn" },
    j: 1,
    outputCurvature: 2,
  });
  assert.equal(all.length, 5);
  assert.ok(all.every((row) => row.status === "departure" && row.note));
  assert.match(all.find((r) => r.item.startsWith("SDLM"))!.lenet5, /eq\. 8/);
  const rows = fidelityLedger({ runs: [run], ablation: { c3: "full" } });
  const c3 = rows.find((r) => r.item === "C3 trainable parameters")!;
  assert.equal(c3.lenet5, "2,416");
  assert.equal(c3.status, "departure");
  assert.ok(rows.some((r) => r.item === "C3 connections (ablation option)"));
  const paper = fidelityLedger({ runs: [run] });
  assert.ok(!paper.some((r) => r.group === "Ablation options in use"));
  assert.equal(paper.find((r) => r.item === "C3 trainable parameters")!.status, "match");
  const sqrt = fidelityLedger({ runs: [run], ablation: { initScale: { divisor: "sqrtFanIn" } } });
  assert.ok(
    sqrt
      .filter((r) => r.group === "Initialisation" && r.item.includes("weights"))
      .every((r) => r.status === "departure"),
  );
});
