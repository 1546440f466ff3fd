import { test } from "node:test";
import assert from "node:assert/strict";
import { timeForward } from "./time-forward";

test("doc example: timeForward times each run after an untimed warm-up", () => {
  let clock = 0;
  let runs = 0;
  const times = timeForward(() => (runs += 1), {
    repeats: 3,
    warmup: 2,
    now: () => (clock += 0.5), // each now() advances 0.5 ms: every run reads 0.5 ms
  });
  assert.deepEqual(times, [0.5, 0.5, 0.5]);
  assert.equal(runs, 5);
});
