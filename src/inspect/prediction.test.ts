import { test } from "node:test";
import assert from "node:assert/strict";
import { MODEL_SPECS } from "../models/registry";
import { assertClose } from "../test-support/assert-close";
import { digitToInput, predictionFrom } from "./prediction";

test("doc example: digitToInput gives each model its own field and levels", () => {
  const blank = new Uint8Array(784);
  const paper = digitToInput(blank, MODEL_SPECS.historical);
  assert.equal(paper.length, 32 * 32);
  assertClose([paper[0]], [-0.1], { atol: 1e-7, rtol: 0, label: "paper background" });
  const modern = digitToInput(blank, MODEL_SPECS.modern);
  assert.equal(modern.length, 28 * 28);
  assertClose([modern[0]], [-0.1307 / 0.3081], {
    atol: 1e-6,
    rtol: 0,
    label: "modern background: (0 − mean) / std",
  });
});

test("doc example: predictionFrom takes the argmin of distances and the argmax of logits", () => {
  const rbf = predictionFrom(Float32Array.of(9, 9, 1, 9, 9, 9, 9, 9, 9, 9), "rbf");
  assert.equal(rbf.digit, 2);
  // softmax(−y): e^−1 / (e^−1 + 9·e^−9) = 1 / (1 + 9·e^−8) ≈ 0.996990
  assertClose([rbf.scores[2]], [1 / (1 + 9 * Math.exp(-8))], {
    atol: 1e-9,
    rtol: 0,
    label: "RBF score",
  });
  const logits = predictionFrom([0, Math.log(3), 0, 0, 0, 0, 0, 0, 0, 0], "logits");
  assert.equal(logits.digit, 1);
  // softmax: 3 / (3 + 9) = 0.25
  assertClose([logits.scores[1]], [0.25], { atol: 1e-12, rtol: 0, label: "logit score" });
  assertClose([logits.scores.reduce((a, b) => a + b, 0)], [1], {
    atol: 1e-12,
    rtol: 0,
    label: "scores sum to 1",
  });
});
