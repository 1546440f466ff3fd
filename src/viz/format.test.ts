import { test } from "node:test";
import assert from "node:assert/strict";
import { formatNumber, logFloor, logTicks, tickRotation } from "./format";

test("formatNumber: plain decimals and short exponents, never SI prefixes", () => {
  assert.deepEqual(
    [0.1, 0.01, 0.0005, 0.0002, 1e-4, 1e-5, 5e-5, 153, 0.95, 48120, 2e6, 0].map((v) =>
      formatNumber(v),
    ),
    [
      "0.1",
      "0.01",
      "0.0005",
      "0.0002",
      "1e-4",
      "1e-5",
      "5e-5",
      "153",
      "0.95",
      "48,120",
      "2e6",
      "0",
    ],
  );
});

test("logTicks and logFloor: the smallest value keeps a bar and a labelled floor", () => {
  assert.equal(logFloor(1e-5), 1e-6);
  assert.equal(logFloor(1.2e-5), 1e-5);
  assert.equal(logFloor(1), 0.1);
  assert.deepEqual(logTicks(1e-6, 1e-3), [1e-6, 1e-5, 1e-4, 1e-3]);
  assert.deepEqual(logTicks(0.01, 1), [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]);
});

test("tickRotation: flat when labels fit their step, slanted when they do not", () => {
  assert.equal(tickRotation(["C1", "S2"], 60, 10), 0);
  assert.ok(tickRotation(["S2 coefficient", "C1 bias"], 40, 10) > 0);
});
