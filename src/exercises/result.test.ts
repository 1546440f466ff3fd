import { test } from "node:test";
import assert from "node:assert/strict";
import { exerciseResult, tryLearnerCode } from "./result";

test("doc example: exerciseResult marks success and failure", () => {
  const result = exerciseResult(
    false,
    "rbfDistance(x, x) returned 1; expected 0 (eq. 7, the squared distance)",
  );
  assert.equal(
    result.message,
    "✗ rbfDistance(x, x) returned 1; expected 0 (eq. 7, the squared distance)",
  );
  assert.equal(exerciseResult(true, "all cases pass").message, "✓ all cases pass");
});

test("doc example: tryLearnerCode catches a throw", () => {
  const r = tryLearnerCode("rbfDistance", () => {
    throw new Error("TODO");
  });
  assert.equal(r.ok, false);
  assert.deepEqual(r, { ok: false, error: "rbfDistance threw: TODO" });
  assert.deepEqual(
    tryLearnerCode("f", () => 3),
    { ok: true, value: 3 },
  );
});
