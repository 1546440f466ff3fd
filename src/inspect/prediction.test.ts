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
  // eq. 9's posterior with j = 0.1: e^−1 / (e^−0.1 + e^−1 + 9·e^−9) ≈ 0.28895
  const total = Math.exp(-0.1) + Math.exp(-1) + 9 * Math.exp(-9);
  assertClose([rbf.scores[2], rbf.rubbish], [Math.exp(-1) / total, Math.exp(-0.1) / total], {
    atol: 1e-9,
    rtol: 0,
    label: "RBF score and rubbish share",
  });
  assertClose([rbf.scores.reduce((a, b) => a + b, rbf.rubbish)], [1], {
    atol: 1e-12,
    rtol: 0,
    label: "RBF scores and rubbish sum to 1",
  });
  // A prototype met exactly with j = 5: e^0 / (e^−5 + 1 + 9·e^−9) ≈ 0.99326
  const near = predictionFrom([9, 9, 0, 9, 9, 9, 9, 9, 9, 9], "rbf", { j: 5 });
  assertClose([near.scores[2]], [1 / (Math.exp(-5) + 1 + 9 * Math.exp(-9))], {
    atol: 1e-9,
    rtol: 0,
    label: "RBF score, j = 5",
  });
  // Far from every prototype (the distances of a scribble): nearly all to the rubbish class.
  const far = predictionFrom([26, 27, 21, 30, 25, 28, 29, 24, 26, 27], "rbf");
  assert.equal(far.digit, 2);
  assert.ok(far.rubbish > 0.999_999, `rubbish ${far.rubbish}`);
  const logits = predictionFrom([0, Math.log(3), 0, 0, 0, 0, 0, 0, 0, 0], "logits");
  assert.equal(logits.digit, 1);
  assert.equal(logits.rubbish, 0);
  // softmax: 3 / (3 + 9) = 0.25
  assertClose([logits.scores[1]], [0.25], { atol: 1e-12, rtol: 0, label: "logit score" });
  assertClose([logits.scores.reduce((a, b) => a + b, 0)], [1], {
    atol: 1e-12,
    rtol: 0,
    label: "scores sum to 1",
  });
});
