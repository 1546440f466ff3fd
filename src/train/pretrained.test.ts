import { before, test } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "../backend";
import { MODEL_NAMES } from "../models/registry";
import { loadModelData } from "./data";
import { evaluateModel } from "./evaluate";
import { loadModelFromCheckpoint, loadPretrained, shippedWeightsDir } from "./pretrained";

before(() => initBackend());

test("doc examples: shippedWeightsDir and loadPretrained", () => {
  assert.match(shippedWeightsDir("historical"), /weights[/\\]historical$/);
  const { model, checkpoint } = loadPretrained("historical");
  assert.equal(checkpoint.epoch, 20); // the paper's 20 passes
  model.dispose();
});

test("every shipped model classifies the first 500 test digits well", async () => {
  for (const name of MODEL_NAMES) {
    const { model } = loadPretrained(name);
    const result = await evaluateModel(model, name, loadModelData(name, "test", { limit: 500 }));
    // The full test set gives 98.8–99.4% (docs/training.md); 500 digits leave room for chance.
    assert.ok(result.accuracy >= 0.97, `${name}: ${result.accuracy}`);
    model.dispose();
  }
});

test("doc example: loadModelFromCheckpoint builds modern with the batch norm it was trained with", () => {
  const { model } = loadModelFromCheckpoint("modern", shippedWeightsDir("modern"));
  assert.ok(model.layers.some((layer) => layer.name === "C1_bn"));
  model.dispose();
});
