// Holds the comparison table of src/paper.ts to the paper's Fig. 9.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  PAPER_FIG9,
  PAPER_SDLM_FIRST_PASS_RATES,
  PAPER_TEST_ERROR,
  PAPER_TRAIN_ERROR,
} from "./paper";

const errorOf = (method: string): number | undefined =>
  PAPER_FIG9.find((row) => row.method === method)?.error;

test("Fig. 9 as printed: 27 classifiers, from the linear 12.0% to boosted LeNet-4's 0.7%", () => {
  assert.equal(PAPER_FIG9.length, 27);
  assert.equal(errorOf("Linear"), 0.12);
  assert.equal(errorOf("[deslant] Linear"), 0.084);
  assert.equal(errorOf("K-NN Euclidean"), 0.05);
  assert.equal(errorOf("40 PCA + quadratic"), 0.033);
  assert.equal(errorOf("1000 RBF + linear"), 0.036);
  assert.equal(errorOf("28x28-300-100-10"), 0.0305);
  assert.equal(errorOf("28x28-500-150-10"), 0.0295);
  assert.equal(errorOf("[dist] V-SVM poly 9"), 0.008);
  assert.equal(errorOf("[dist] Boosted LeNet-4"), 0.007);
  assert.equal(Math.max(...PAPER_FIG9.map((row) => row.error)), 0.12);
  assert.equal(Math.min(...PAPER_FIG9.map((row) => row.error)), 0.007);
  assert.equal(new Set(PAPER_FIG9.map((row) => row.method)).size, PAPER_FIG9.length);
});

test("Fig. 9's LeNet rows agree with PAPER_TEST_ERROR", () => {
  assert.equal(errorOf("[16x16] LeNet-1"), PAPER_TEST_ERROR.lenet1);
  assert.equal(errorOf("LeNet-4"), PAPER_TEST_ERROR.lenet4);
  assert.equal(errorOf("LeNet-5"), PAPER_TEST_ERROR.lenet5);
  assert.equal(errorOf("[dist] LeNet-5"), PAPER_TEST_ERROR.lenet5Distorted);
});

test("a bracketed mark in the label matches the row's data field", () => {
  for (const row of PAPER_FIG9) {
    const mark = /^\[(deslant|dist|16x16)\]/.exec(row.method)?.[1] ?? "none";
    assert.equal(row.data, mark, row.method);
  }
});

test("Section III-B's training numbers: 0.35% after 19 passes, first-pass ε_k 7e-5 … 0.016", () => {
  assert.equal(PAPER_TRAIN_ERROR.lenet5, 0.0035);
  assert.equal(PAPER_TRAIN_ERROR.afterPasses, 19);
  assert.deepEqual([...PAPER_SDLM_FIRST_PASS_RATES], [7e-5, 0.016]);
});
