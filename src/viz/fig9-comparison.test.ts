import { test } from "node:test";
import assert from "node:assert/strict";
import { PAPER_FIG9 } from "../paper";
import { fig9Comparison } from "./fig9-comparison";
import { renderSvg } from "./render";
import { marksOf, parseSvg, textsOf } from "../test-support/svg-inspect";

test("fig9Comparison: all 27 of the paper's rows in its order, then the measured ones", () => {
  const measured = [
    { method: "lenet5 historical", error: 0.0101 },
    { method: "linear (lenet5, 2,000 digits)", error: 0.14 },
  ];
  const svg = renderSvg(fig9Comparison(measured));
  parseSvg(svg, (root) => {
    assert.equal(marksOf(root, "error bar", "rect").length, PAPER_FIG9.length + 2);
    const values = textsOf(root, 'g[aria-description="error value"] text');
    assert.equal(values[0], "12%"); // Fig. 9's first row, Linear
    assert.equal(values[PAPER_FIG9.length], "1.01%");
    assert.equal(values[PAPER_FIG9.length + 1], "14%");
    const text = root.textContent ?? "";
    assert.match(text, /\[dist\] Boosted LeNet-4/);
    assert.match(text, /lenet5, measured/);
  });
  assert.equal(renderSvg(fig9Comparison(measured)), svg);
});

test("fig9Comparison refuses errors outside (0, 1) and repeated labels", () => {
  assert.throws(() => fig9Comparison([{ method: "x", error: 1.18 }]), /not in \(0, 1\)/);
  assert.throws(() => fig9Comparison([{ method: "LeNet-5", error: 0.01 }]), /repeats/);
});
