import { test } from "node:test";
import assert from "node:assert/strict";
import { OPTIMIZER_NAMES, isOptimizerName } from "./optimizer-base";

test("doc example: isOptimizerName knows exactly the four optimisers", () => {
  assert.equal(isOptimizerName("sdlm"), true);
  assert.equal(isOptimizerName("rmsprop"), false);
  assert.deepEqual(OPTIMIZER_NAMES.filter(isOptimizerName), ["sgd", "momentum", "adam", "sdlm"]);
});
