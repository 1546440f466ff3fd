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
  assert.match(shippedWeightsDir("historical-distorted"), /weights[/\\]historical-distorted$/);
  const { model, checkpoint } = loadPretrained("historical");
  assert.equal(checkpoint.epoch, 20); // the paper's 20 passes
  assert.equal(checkpoint.recipe?.distort, false);
  model.dispose();
  const distorted = loadPretrained("historical-distorted"); // the same net, on distorted digits
  assert.equal(distorted.checkpoint.manifest.modelName, "historical");
  assert.equal(distorted.checkpoint.recipe?.distort, true);
  distorted.model.dispose();
});

test("historical and historical-distorted are trained the paper's way: online SDLM, μ = 0.02", () => {
  for (const name of ["historical", "historical-distorted"] as const) {
    const { model, checkpoint } = loadPretrained(name);
    assert.equal(checkpoint.epoch, 20);
    assert.equal(checkpoint.recipe?.optimizer, "sdlm");
    assert.equal(checkpoint.recipe?.batchSize, 1);
    assert.equal(checkpoint.recipe?.mu, 0.02);
    assert.equal(checkpoint.recipe?.distort, name.endsWith("distorted"));
    assert.equal(typeof checkpoint.recipe?.reading, "string"); // the study reading it was trained with
    model.dispose();
  }
});

test("the batch-16 runs are kept beside them with their recipe: batches of 16, μ = 1.6", () => {
  for (const name of ["historical-batch16", "historical-batch16-distorted"] as const) {
    const { model, checkpoint } = loadPretrained(name);
    assert.equal(checkpoint.recipe?.batchSize, 16);
    assert.equal(checkpoint.recipe?.mu, 1.6);
    assert.equal(checkpoint.recipe?.distort, name.endsWith("distorted"));
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
