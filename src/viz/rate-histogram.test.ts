import { test } from "node:test";
import assert from "node:assert/strict";
import { renderSvg } from "./render";
import { parseSvg, textsOf } from "../test-support/svg-inspect";
import { rateHistogram, rateHistogramData } from "./rate-histogram";

const input = {
  log10From: -6,
  binsPerDecade: 10,
  counts: { "c1.kernel": [0, 3, 5], "c1.bias": [1, 0, 0], "f6.weight": [2, 0, 1] },
};

test("rateHistogramData: tensors summed per layer, bin edges on the log grid, empty bins left out", () => {
  const { bins, layers, total } = rateHistogramData(input);
  assert.deepEqual(layers, ["C1", "F6"]);
  assert.equal(total, 12);
  const c1 = bins.filter((b) => b.layer === "C1");
  assert.deepEqual(
    c1.map((b) => b.count),
    [1, 3, 5],
  );
  // bin 1 covers [10^-5.9, 10^-5.8)
  assert.ok(Math.abs(c1[1].low - 10 ** -5.9) < 1e-12);
  assert.ok(Math.abs(c1[1].high - 10 ** -5.8) < 1e-12);
  assert.equal(bins.filter((b) => b.layer === "F6").length, 2);
  assert.throws(() => rateHistogramData({ ...input, counts: { x: [0, 0] } }), /no weights/);
});

test("rateHistogram: bars per layer and the shaded, labelled range", () => {
  const svg = renderSvg(rateHistogram(input, { range: [7e-5, 0.016], rangeLabel: "paper" }));
  const texts = parseSvg(svg, (root) => textsOf(root, "text"));
  assert.ok(texts.includes("paper"));
  assert.ok(texts.includes("C1") && texts.includes("F6"));
  // The shaded range, then the 5 bar segments (C1: 3 bins, F6: 2).
  const marks = [...svg.matchAll(/<g aria-label="rect"[^>]*>(.*?)<\/g>/gs)].map(
    (m) => m[1].match(/<rect/g)?.length ?? 0,
  );
  assert.deepEqual(marks, [1, 5]);
});
