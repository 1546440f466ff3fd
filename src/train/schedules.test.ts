import { test } from "node:test";
import assert from "node:assert/strict";
import { constantSchedule, paperSdlmSchedule, stepDecaySchedule, toSchedule } from "./schedules";

test("doc examples: constant and step decay", () => {
  assert.equal(constantSchedule(0.01)(7), 0.01);
  const s = stepDecaySchedule(0.1, 0.5, 2);
  assert.deepEqual([1, 2, 3, 4, 5].map(s), [0.1, 0.1, 0.05, 0.05, 0.025]);
  assert.throws(() => stepDecaySchedule(0.1, 0.5, 0), /every must be a positive integer/);
});

test("the paper's SDLM schedule, pass by pass (Section III-B)", () => {
  assert.deepEqual(
    [1, 2, 3, 6, 9, 13, 20].map(paperSdlmSchedule),
    [0.0005, 0.0005, 0.0002, 0.0001, 0.00005, 0.00001, 0.00001],
  );
  // 2 passes at 5e-4, 3 at 2e-4, 3 at 1e-4, 4 at 5e-5, then 1e-5 up to pass 20.
  const all = Array.from({ length: 20 }, (_, i) => paperSdlmSchedule(i + 1));
  const count = (rate: number) => all.filter((r) => r === rate).length;
  assert.deepEqual([5e-4, 2e-4, 1e-4, 5e-5, 1e-5].map(count), [2, 3, 3, 4, 8]);
  assert.throws(() => paperSdlmSchedule(0), /epochs count from 1/);
});

test("doc example: toSchedule", () => {
  assert.equal(toSchedule(0.01)(3), 0.01);
  assert.equal(toSchedule(paperSdlmSchedule)(3), 0.0002);
});
