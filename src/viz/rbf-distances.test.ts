import { test } from "node:test";
import assert from "node:assert/strict";
import { HIGHLIGHT_COLOR } from "./chart";
import { rbfDistances, winningClass } from "./rbf-distances";
import { renderSvg } from "./render";
import { marksOf, parseSvg, textsOf } from "../test-support/svg-inspect";

test("winningClass: smallest distance or largest probability, first on ties", () => {
  assert.equal(winningClass([3, 1, 2], "distance"), 1);
  assert.equal(winningClass([0.2, 0.5, 0.3], "probability"), 1);
  assert.equal(winningClass([1, 1, 2], "distance"), 0);
});

test("rbfDistances: the TSDoc example highlights the smallest distance, class 3", () => {
  const distances = [30.1, 41.2, 12.5, 3.2, 50, 22, 35, 28, 19, 25];
  const svg = renderSvg(rbfDistances(distances, { label: 3 })); // predicts 3: smallest distance
  parseSvg(svg, (root) => {
    assert.equal(marksOf(root, "score", "rect").length, 9);
    assert.equal(marksOf(root, "predicted score", "rect").length, 1);
    assert.deepEqual(textsOf(root, 'g[aria-description="score value"] text').slice(2, 4), [
      "12.5",
      "3.20",
    ]);
    assert.equal(marksOf(root, "true label", "text").length, 1);
    const text = root.textContent ?? "";
    assert.match(text, /prediction: 3, true label: 3;/);
    assert.match(text, /squared distance y_i/);
    assert.match(text, /RBF unit i \(digit\)/);
  });
  assert.equal(renderSvg(rbfDistances(distances, { label: 3 })), svg);
});

test("rbfDistances as probabilities: largest wins, values in %, a wrong label said so", () => {
  const probabilities = [0.01, 0.02, 0.05, 0.7, 0.02, 0.1, 0.03, 0.02, 0.04, 0.01];
  const svg = renderSvg(rbfDistances(probabilities, { kind: "probability", label: 5 }));
  parseSvg(svg, (root) => {
    assert.equal(marksOf(root, "predicted score", "rect").length, 1);
    const values = textsOf(root, 'g[aria-description="score value"] text');
    assert.equal(values[3], "70.0%");
    const text = root.textContent ?? "";
    assert.match(text, /prediction: 3, true label: 5 \(wrong\)/);
    assert.match(text, /probability \(%\)/);
  });
  assert.throws(() => rbfDistances([1, Number.NaN]), /not a finite number/);
});

test("the predicted bar is drawn in the highlight colour", () => {
  const svg = renderSvg(rbfDistances([2, 1, 3]));
  parseSvg(svg, (root) => {
    const group = root.querySelectorAll('g[aria-description="predicted score"]')[0];
    assert.equal(group.getAttribute("fill"), HIGHLIGHT_COLOR);
  });
});
