import { before, test } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "../backend";
import { loadModelData } from "./data";
import { evaluateModel } from "./evaluate";
import { readdirSync } from "node:fs";
import {
  SHIPPED_WEIGHTS,
  SHIPPED_WEIGHTS_DIR,
  loadModelFromCheckpoint,
  loadPretrained,
  shippedWeightsDir,
} from "./pretrained";

before(() => initBackend());

test("doc examples: shippedWeightsDir and loadPretrained", () => {
  assert.match(shippedWeightsDir("historical"), /weights[/\\]historical$/);
  assert.match(shippedWeightsDir("historical-plain"), /weights[/\\]historical-plain$/);
  const { model, checkpoint } = loadPretrained("historical");
  assert.equal(checkpoint.epoch, 20); // the paper's 20 passes
  assert.equal(checkpoint.recipe?.distort, true);
  model.dispose();
  const plain = loadPretrained("historical-plain"); // the same net, trained on undistorted digits
  assert.equal(plain.checkpoint.manifest.modelName, "historical");
  assert.equal(plain.checkpoint.recipe?.distort, false);
  plain.model.dispose();
});

test("historical-online: the paper's own training (online SDLM, μ = 0.02) loads with its recipe", () => {
  for (const name of ["historical-online", "historical-online-distorted"] as const) {
    const { model, checkpoint } = loadPretrained(name);
    assert.equal(checkpoint.epoch, 20);
    assert.equal(checkpoint.recipe?.batchSize, 1);
    assert.equal(checkpoint.recipe?.mu, 0.02);
    assert.equal(checkpoint.recipe?.distort, name.endsWith("distorted"));
    assert.equal(typeof checkpoint.recipe?.reading, "string"); // the study reading it was trained with
    model.dispose();
  }
});

test("SHIPPED_WEIGHTS lists exactly the folders in weights/", () => {
  assert.deepEqual(Object.keys(SHIPPED_WEIGHTS).sort(), readdirSync(SHIPPED_WEIGHTS_DIR).sort());
});

test("every set of shipped weights classifies the first 500 test digits well", async () => {
  for (const [name, modelName] of Object.entries(SHIPPED_WEIGHTS)) {
    const { model } = loadPretrained(name as keyof typeof SHIPPED_WEIGHTS);
    const test500 = loadModelData(modelName, "test", { limit: 500 });
    const result = await evaluateModel(model, modelName, test500);
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
