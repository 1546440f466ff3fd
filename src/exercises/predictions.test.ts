import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CHANCE_LOSS_FRACTION,
  checkChancePrediction,
  checkKnockoutPrediction,
  checkShiftPrediction,
} from "./predictions";

/** 100 batch losses whose tenths have the given means. */
const run = (tenths: number[]): number[] =>
  tenths.flatMap((v) => Array.from({ length: 10 }, () => v));
// Measured shapes (chapter 9, Adam at 0.03 on 2,000 digits): without and with batch norm.
const stuck = run([4.42, 2.39, 2.32, 2.31, 2.31, 2.3, 2.3, 2.32, 2.3, 2.3]);
const learning = run([40.7, 14.6, 2.64, 2.24, 2.1, 1.85, 1.57, 1.51, 1.19, 1.03]);

test("checkKnockoutPrediction: under 2 points lost holds, 2 or more falls", () => {
  assert.equal(checkKnockoutPrediction("holds", 0.989, 0.988).ok, true);
  assert.equal(checkKnockoutPrediction("falls", 0.989, 0.899).ok, true);
  assert.equal(checkKnockoutPrediction("falls", 0.989, 0.97).ok, false); // −1.9 points: holds
  assert.equal(checkKnockoutPrediction("falls", 0.989, 0.969).ok, true); // −2.0 points: falls
  const wrong = checkKnockoutPrediction("falls", 0.989, 0.991, "42 units silenced");
  assert.equal(wrong.ok, false);
  assert.match(wrong.message, /you predicted it falls, but 42 units silenced: the accuracy holds/);
  assert.match(wrong.message, /98\.9% → 99\.1%, \+0\.2 points/);
});

test("checkKnockoutPrediction never throws on bad input", () => {
  assert.equal(checkKnockoutPrediction("maybe", 0.9, 0.9).ok, false);
  assert.equal(checkKnockoutPrediction("holds", 98.9, 98.8).ok, false); // percent, not fractions
  assert.equal(checkKnockoutPrediction("holds", 0.9, NaN).ok, false);
});

test("checkChancePrediction: a run at ln 10 is stuck, one well below learns", () => {
  assert.equal(checkChancePrediction("stuck", stuck).ok, true);
  assert.equal(checkChancePrediction("learns", learning).ok, true);
  const wrong = checkChancePrediction("learns", stuck, "no batch norm");
  assert.equal(wrong.ok, false);
  assert.match(wrong.message, /you predicted it learns, but no batch norm: it stays at chance/);
  // The boundary: CHANCE_LOSS_FRACTION · ln 10 in the last tenth.
  const edge = CHANCE_LOSS_FRACTION * Math.log(10);
  assert.equal(
    checkChancePrediction("stuck", run([3, 3, 3, 3, 3, 3, 3, 3, 3, edge + 0.01])).ok,
    true,
  );
  assert.equal(
    checkChancePrediction("learns", run([3, 3, 3, 3, 3, 3, 3, 3, 3, edge - 0.01])).ok,
    true,
  );
});

test("checkChancePrediction never throws on bad input", () => {
  assert.equal(checkChancePrediction("plateau", stuck).ok, false);
  assert.equal(checkChancePrediction("stuck", [2.3, 2.3]).ok, false);
  assert.equal(checkChancePrediction("stuck", run([1, 2, 3, 4, 5, 6, 7, 8, 9, NaN])).ok, false);
});

test("checkShiftPrediction: the larger growth factor wins, not the larger error", () => {
  const knn = { before: 0.072, after: 0.382 }; // measured on 500 digits: 5.3×
  const lenet = { before: 0.01, after: 0.028 }; // 2.8×
  assert.equal(checkShiftPrediction("k-NN", knn, lenet).ok, true);
  assert.equal(checkShiftPrediction("LeNet-5", knn, lenet).ok, false);
  // k-NN's error is larger after, but LeNet-5's grew by more: the factor decides.
  const result = checkShiftPrediction(
    "LeNet-5",
    { before: 0.1, after: 0.2 },
    { before: 0.01, after: 0.05 },
  );
  assert.equal(result.ok, true);
  assert.match(result.message, /k-NN's error grows 2\.0× \(10\.0% → 20\.0%\), LeNet-5's 5\.0×/);
});

test("checkShiftPrediction never throws on bad input", () => {
  const ok = { before: 0.1, after: 0.2 };
  assert.equal(checkShiftPrediction("linear", ok, ok).ok, false);
  assert.equal(checkShiftPrediction("k-NN", { before: 0, after: 0.2 }, ok).ok, false);
  assert.equal(checkShiftPrediction("k-NN", ok, { before: 0.1, after: 7 }).ok, false);
});
