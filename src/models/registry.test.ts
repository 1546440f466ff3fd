import { before, test } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "../backend";
import { MODEL_NAMES, MODEL_SPECS, createModel, isModelName } from "./registry";

before(() => initBackend());

test("doc examples: isModelName and createModel", () => {
  assert.equal(isModelName("modern"), true);
  assert.equal(isModelName("lenet-1"), false);
  const model = createModel("historical", { seed: 1 });
  assert.equal(model.name, "historical");
});

test("each model's input matches its spec", () => {
  for (const name of MODEL_NAMES) {
    const model = createModel(name);
    const spec = MODEL_SPECS[name];
    assert.deepEqual(model.inputs[0].shape, [null, spec.inputSize, spec.inputSize, 1], name);
    assert.deepEqual(model.outputShape, [null, 10], name);
    model.dispose();
  }
});

test("two models built in one process do not clash", () => {
  const a = createModel("historical", { seed: 1 });
  const b = createModel("historical", { seed: 1 });
  assert.deepEqual(
    a.getWeights().map((w) => Array.from(w.dataSync())),
    b.getWeights().map((w) => Array.from(w.dataSync())),
  );
});
