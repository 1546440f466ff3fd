import { test } from "node:test";
import assert from "node:assert/strict";
import { INPUT_BACKGROUND, INPUT_FOREGROUND } from "../paper";
import { Rng } from "../rng";
import { tensor } from "../scratch/tensor";
import { checkInitRange } from "./init";

/** Digit-like inputs in the paper's range: background −0.1, 150 random ink pixels each. */
function inkInputs(n: number) {
  const rng = new Rng(3);
  const data = new Float32Array(n * 1024).fill(INPUT_BACKGROUND);
  for (let e = 0; e < n; e++)
    for (let k = 0; k < 150; k++)
      data[e * 1024 + (6 + rng.int(20)) * 32 + 6 + rng.int(20)] = INPUT_FOREGROUND;
  return tensor([n, 32, 32, 1], data);
}
const x = inkInputs(8);
const labels = [0, 1, 2, 3, 4, 5, 6, 7];

test("checkInitRange: the paper's ±2.4/F_i fails, the signal vanishes", () => {
  const r = checkInitRange({ numerator: 2.4, divisor: "fanIn" }, x, labels);
  assert.equal(r.ok, false);
  assert.match(r.message, /vanished/);
});

test("checkInitRange: ±1.7/√F_i keeps every layer's sums in range; ±4/√F_i saturates", () => {
  assert.equal(checkInitRange({ numerator: 1.7, divisor: "sqrtFanIn" }, x, labels).ok, true);
  const high = checkInitRange({ numerator: 4, divisor: "sqrtFanIn" }, x, labels);
  assert.equal(high.ok, false);
  assert.match(high.message, /saturated/);
});

test("checkInitRange never throws on a bad range", () => {
  const r = checkInitRange({ numerator: -1, divisor: "fanIn" }, x, labels);
  assert.equal(r.ok, false);
});
