// Tests of the shared statistics (stats.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { median } from "./stats";

test("doc example: median is the middle value, or the mean of the middle two", () => {
  assert.equal(median([3, 1, 2, 10]), 2.5);
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([7]), 7);
  assert.throws(() => median([]), /no values/);
});

test("median leaves its argument as it was", () => {
  const values = [3, 1, 2];
  median(values);
  assert.deepEqual(values, [3, 1, 2]);
});
