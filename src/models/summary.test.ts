import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend";
import { createModel } from "./registry";
import { formatSummary, layerConnections, summarizeModel } from "./summary";

before(() => initBackend());

test("doc example: summarizeModel totals", () => {
  const model = createModel("historical", { seed: 1 });
  const s = summarizeModel("historical", model, "wasm");
  assert.equal(s.totalParams, 60000);
});

test("connections of a small conv, dense and pool, counted by hand", () => {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 3 }), // 4×4×3 units · (3·3·2 + 1)
      tf.layers.maxPooling2d({ poolSize: 2 }), // 2×2×3 units · 4 inputs
      tf.layers.flatten(),
      tf.layers.dense({ units: 5 }), // 5 units · (12 + 1)
    ],
  });
  const [conv, pool, flatten, dense] = model.layers;
  assert.equal(layerConnections(conv), 4 * 4 * 3 * 19);
  assert.equal(layerConnections(pool), 2 * 2 * 3 * 4);
  assert.equal(layerConnections(flatten), 0);
  assert.equal(layerConnections(dense), 5 * 13);
});

test("a layer class without a rule is refused rather than counted as zero", () => {
  const model = tf.sequential({ layers: [tf.layers.simpleRNN({ inputShape: [3, 2], units: 2 })] });
  assert.throws(
    () => layerConnections(model.layers[0]),
    /no connection rule for layer class SimpleRNN/,
  );
});

test("the text table lists every layer and the totals", () => {
  const text = formatSummary(summarizeModel("historical", createModel("historical"), "wasm"));
  const lines = text.split("\n");
  assert.equal(lines[0], "model historical · backend wasm");
  assert.match(text, /^C3\s+10×10×16\s+1,516\s+151,600$/m);
  assert.match(lines[lines.length - 1], /^total\s+60,000\s+340,908$/);
});
