import { test } from "node:test";
import assert from "node:assert/strict";
import { checkRbfDistance, checkRbfLoss } from "./rbf";

const squared = (x: number[], w: number[]): number => x.reduce((s, v, j) => s + (v - w[j]) ** 2, 0);
const sumExpNeg = (y: number[]): number => y.reduce((s, v) => s + Math.exp(-v), 0);

test("doc example: the right distance passes", () => {
  const result = checkRbfDistance((x, w) => x.reduce((s, v, j) => s + (v - w[j]) ** 2, 0));
  assert.equal(result.ok, true);
  assert.match(result.message, /^✓ right on all cases/);
});

test("the unfinished distance starter (return 0) fails on the hand case", () => {
  const result = checkRbfDistance(() => 0);
  assert.equal(result.ok, false);
  // (1 − 3)² + (2 + 1)² = 4 + 9 = 13
  assert.equal(
    result.message,
    "✗ on x = [1, 2], w = [3, −1] your function returned 0; expected 13",
  );
});

test("a square root is named: √13 ≈ 3.606", () => {
  const result = checkRbfDistance((x, w) => Math.sqrt(squared(x, w)));
  assert.match(result.message, /returned 3\.605.*; expected 13: .*no square root/);
});

test("absolute differences are named: |−2| + |3| = 5", () => {
  const result = checkRbfDistance((x, w) => x.reduce((s, v, j) => s + Math.abs(v - w[j]), 0));
  assert.match(result.message, /returned 5; expected 13: .*squares each difference/);
});

test("a mean is named: 13 / 2 = 6.5", () => {
  const result = checkRbfDistance((x, w) => squared(x, w) / x.length);
  assert.match(result.message, /returned 6\.5; expected 13: .*not a mean/);
});

test("a dot product is named: 1·3 + 2·(−1) = 1", () => {
  const result = checkRbfDistance((x, w) => x.reduce((s, v, j) => s + v * w[j], 0));
  assert.match(result.message, /returned 1; expected 13: .*dot product/);
});

test("a throwing distance is reported", () => {
  const result = checkRbfDistance(() => {
    throw new Error("TODO");
  });
  assert.match(result.message, /^✗ your function threw: TODO \(on x = \[1, 2\], w = \[3, −1\]\)$/);
});

test("doc example: the right loss passes", () => {
  const result = checkRbfLoss(
    (y, label, j) => y[label] + Math.log(Math.exp(-j) + y.reduce((s, v) => s + Math.exp(-v), 0)),
  );
  assert.equal(result.ok, true);
});

test("the unfinished loss starter (return 0) fails on the first case", () => {
  const result = checkRbfLoss(() => 0);
  assert.equal(result.ok, false);
  // 0.5 + log(e^−1 + e^−0.5 + e^−2) = 0.5 + log(0.36788 + 0.60653 + 0.13534) = 0.5 + 0.104131
  assert.equal(
    result.message,
    "✗ on y = [0.5, 2], label 0, j = 1 your loss is 0.000000; expected 0.604131",
  );
});

test("MSE alone (eq. 8) is named: 0.5", () => {
  const result = checkRbfLoss((y, d) => y[d]);
  assert.match(result.message, /loss is 0\.500000; .*that is eq\. 8, the MSE criterion/);
});

test("a missing e^−j is named", () => {
  const result = checkRbfLoss((y, d) => y[d] + Math.log(sumExpNeg(y)));
  assert.match(result.message, /rubbish-class term e\^\{−j\} is missing/);
});

test("j instead of e^−j is named", () => {
  const result = checkRbfLoss((y, d, j) => y[d] + Math.log(j + sumExpNeg(y)));
  assert.match(result.message, /add e\^\{−j\}, not j/);
});

test("a missing y_D is named: 0.104131", () => {
  const result = checkRbfLoss((y, _label, j) => Math.log(Math.exp(-j) + sumExpNeg(y)));
  assert.match(result.message, /loss is 0\.104131; .*first term y_D .* is missing/);
});

test("a sum that skips the correct class is named", () => {
  const result = checkRbfLoss(
    (y, d, j) =>
      y[d] + Math.log(Math.exp(-j) + y.reduce((s, v, i) => s + (i === d ? 0 : Math.exp(-v)), 0)),
  );
  assert.match(result.message, /the correct one included/);
});

test("positive exponents are named", () => {
  const result = checkRbfLoss(
    (y, d, j) => y[d] + Math.log(Math.exp(-j) + y.reduce((s, v) => s + Math.exp(v), 0)),
  );
  assert.match(result.message, /exponents are negative/);
});

test("a subtracted log term is named", () => {
  const result = checkRbfLoss((y, d, j) => y[d] - Math.log(Math.exp(-j) + sumExpNeg(y)));
  assert.match(result.message, /added, not subtracted/);
});
