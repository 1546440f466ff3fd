import { test } from "node:test";
import assert from "node:assert/strict";
import { checkPlateauPrediction, lossByTenth } from "./plateau";

/** 100 batch losses whose tenths have the given means. */
const run = (tenths: number[]): number[] =>
  tenths.flatMap((v) => Array.from({ length: 10 }, () => v));
const stalled = run([62.8, 57.5, 58.1, 57.7, 51.6, 42.3, 36.4, 34.9, 26.8, 26.9]); // chapter 8's shape
const falling = run([60.2, 43.2, 32.4, 30.3, 25.6, 24.1, 23.4, 26.5, 21.6, 20.7]);

test("lossByTenth: the mean of each tenth, nothing under ten updates", () => {
  assert.deepEqual(
    lossByTenth(run([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
  assert.deepEqual(lossByTenth([1, 2, 3]), []);
});

test("checkPlateauPrediction: right and wrong predictions on a stalled and a falling run", () => {
  assert.equal(checkPlateauPrediction("plateau", stalled).ok, true);
  assert.equal(checkPlateauPrediction("no plateau", falling).ok, true);
  const wrong = checkPlateauPrediction("no plateau", stalled, "Adam on the paper's net");
  assert.equal(wrong.ok, false);
  assert.match(wrong.message, /you predicted no plateau, but Adam on the paper's net: plateau/);
});

test("checkPlateauPrediction never throws on bad input", () => {
  assert.equal(checkPlateauPrediction("maybe", stalled).ok, false);
  assert.equal(checkPlateauPrediction("plateau", [1, 2]).ok, false);
  assert.equal(checkPlateauPrediction("plateau", run([1, 2, NaN, 4, 5, 6, 7, 8, 9, 10])).ok, false);
});
