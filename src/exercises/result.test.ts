import { test } from "node:test";
import assert from "node:assert/strict";
import { exerciseResult, tryLearnerCode } from "./result";

test("doc example: exerciseResult marks success and failure", () => {
  const result = exerciseResult(
    false,
    "outputSize(32, 5, 0) returned 27; expected 28 (32 − 5 + 1)",
  );
  assert.equal(result.message, "✗ outputSize(32, 5, 0) returned 27; expected 28 (32 − 5 + 1)");
  assert.equal(exerciseResult(true, "all cases pass").message, "✓ all cases pass");
});

test("doc example: tryLearnerCode catches a throw", () => {
  const r = tryLearnerCode("outputSize", () => {
    throw new Error("TODO");
  });
  assert.equal(r.ok, false);
  assert.deepEqual(r, { ok: false, error: "outputSize threw: TODO" });
  assert.deepEqual(
    tryLearnerCode("f", () => 3),
    { ok: true, value: 3 },
  );
});
