import { test } from "node:test";
import assert from "node:assert/strict";
import { confusionMatrix } from "./confusion-matrix";
import { renderSvg } from "./render";
import { marksOf, parseSvg, textsOf } from "../test-support/svg-inspect";

/** 95 right per digit, 5 of each digit i mistaken for i − 1 (so row i has 5 at column i − 1). */
const counts = Array.from({ length: 10 }, (_, i) =>
  Array.from({ length: 10 }, (_, j) => (i === j ? 95 : i === (j + 1) % 10 ? 5 : 0)),
);

test("confusionMatrix: the TSDoc example has 100 cells, 20 filled, accuracy 95%", () => {
  const svg = renderSvg(confusionMatrix(counts)); // 100 cells, accuracy 95%
  parseSvg(svg, (root) => {
    assert.equal(marksOf(root, "cell", "rect").length, 100);
    assert.equal(marksOf(root, "count cell", "rect").length, 20);
    const labels = marksOf(root, "count", "text");
    assert.deepEqual(
      labels.map((t) => t.textContent).sort(),
      [...Array(10).fill("5"), ...Array(10).fill("95")].sort(),
    );
    // ln 95 > 0.45·ln 95: dark cells, white text; ln 5 = 1.61 < 0.45 · 4.55 = 2.05: black text
    for (const label of labels)
      assert.equal(label.getAttribute("fill"), label.textContent === "95" ? "white" : "black");
    assert.deepEqual(textsOf(root, "title"), ["Confusion matrix"]);
    const text = root.textContent ?? "";
    assert.match(text, /1,000 images, accuracy 95\.00%/);
    assert.match(text, /predicted class/);
    assert.match(text, /true class/);
  });
  assert.equal(renderSvg(confusionMatrix(counts)), svg);
});

test("confusionMatrix refuses a non-square matrix or non-counts", () => {
  assert.throws(() => confusionMatrix([[1, 2]]), /square/);
  assert.throws(() => confusionMatrix([[1.5]]), /not a count/);
});
