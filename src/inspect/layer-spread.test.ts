import { test } from "node:test";
import assert from "node:assert/strict";
import { historicalParams } from "../models/historical";
import { createModel } from "../models/registry";
import { INPUT_BACKGROUND, INPUT_FOREGROUND } from "../paper";
import { Rng } from "../rng";
import { historicalBackward, historicalForward } from "../scratch/historical";
import { tensor } from "../scratch/tensor";
import { historicalLayerSpread, SPREAD_LAYERS } from "./layer-spread";

/** N inputs in the paper's range: background −0.1 with a random blob of ink. */
function inkInputs(n: number, seed: number) {
  const rng = new Rng(seed);
  const data = new Float32Array(n * 32 * 32).fill(INPUT_BACKGROUND);
  for (let e = 0; e < n; e++)
    for (let k = 0; k < 150; k++) {
      const row = 6 + rng.int(20);
      const col = 6 + rng.int(20);
      data[e * 1024 + row * 32 + col] = INPUT_FOREGROUND;
    }
  return tensor([n, 32, 32, 1], data);
}

const stdOf = (values: ArrayLike<number>): number => {
  const mean = Array.from(values).reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(Array.from(values).reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
};

test("historicalLayerSpread: one row per layer, each std as computed directly", () => {
  const params = historicalParams(createModel("historical", { seed: 2 }));
  const x = inkInputs(4, 5);
  const labels = [0, 3, 7, 9];
  const rows = historicalLayerSpread(params, x, labels);
  assert.deepEqual(
    rows.map((r) => r.layer),
    [...SPREAD_LAYERS],
  );
  const acts = historicalForward(params, x);
  const grads = historicalBackward(params, acts, labels);
  const c3 = rows[2];
  assert.ok(Math.abs(c3.sumStd - stdOf(acts.C3Sum.data)) < 1e-6);
  assert.ok(Math.abs(c3.activationStd - stdOf(acts.C3.data)) < 1e-6);
  const f6 = rows[5];
  const f6Grads = [...grads.f6.weight.data, ...grads.f6.bias.data];
  assert.ok(Math.abs(f6.gradientStd - stdOf(f6Grads)) < 1e-9);
  assert.equal(f6.sumLargest, Math.max(...Array.from(acts.F6Sum.data, Math.abs)));
});

test("at the paper's initialisation the signal shrinks from C1 to F6, as 1/√F_i", () => {
  const params = historicalParams(createModel("historical", { seed: 1 }));
  const rows = historicalLayerSpread(params, inkInputs(8, 9), [0, 1, 2, 3, 4, 5, 6, 7]);
  const byLayer = new Map(rows.map((r) => [r.layer, r]));
  const c1 = byLayer.get("C1")!.activationStd;
  const c3 = byLayer.get("C3")!.activationStd;
  const c5 = byLayer.get("C5")!.activationStd;
  const f6 = byLayer.get("F6")!;
  assert.ok(c1 > c3 && c3 > c5 && c5 > f6.activationStd, `${c1} ${c3} ${c5} ${f6.activationStd}`);
  assert.ok(f6.sumLargest < 0.2, `F6's sums stay small: largest |a| ${f6.sumLargest}`);
  for (const r of rows) assert.ok(r.gradientStd > 0 && Number.isFinite(r.gradientStd));
});
