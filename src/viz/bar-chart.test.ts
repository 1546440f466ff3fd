import { test } from "node:test";
import assert from "node:assert/strict";
import { PAPER_LAYER_COUNTS } from "../paper";
import { barChart } from "./bar-chart";
import { renderSvg } from "./render";
import { marksOf, parseSvg, textsOf } from "../test-support/svg-inspect";

test("barChart: the TSDoc example draws 4 grouped bars with a model legend", () => {
  const rows = [
    { layer: "C1", model: "historical", params: 156 },
    { layer: "C1", model: "modern", params: 156 },
    { layer: "C3", model: "historical", params: 1516 },
    { layer: "C3", model: "modern", params: 2416 },
  ];
  const chart = barChart(rows, {
    x: "layer",
    y: "params",
    group: "model",
    yLabel: "trainable parameters",
  });
  const svg = renderSvg(chart);
  parseSvg(svg, (root) => {
    assert.equal(marksOf(root, "bar", "rect").length, 4);
    assert.deepEqual(
      marksOf(root, "bar value", "text")
        .map((t) => t.textContent)
        .sort(),
      ["1,516", "156", "156", "2,416"],
    );
    assert.deepEqual(textsOf(root, 'g[aria-label="legend"] text'), ["historical", "modern"]);
    const text = root.textContent ?? "";
    assert.match(text, /trainable parameters/);
    assert.match(text, /layer/);
  });
  assert.equal(renderSvg(chart), svg);
});

test("barChart: the paper's parameters per layer, ungrouped, on a log axis", () => {
  const svg = renderSvg(
    barChart(PAPER_LAYER_COUNTS.slice(0, 6), { x: "name", y: "params", yScale: "log" }),
  );
  parseSvg(svg, (root) => {
    assert.equal(marksOf(root, "bar", "rect").length, 6);
    assert.deepEqual(
      marksOf(root, "bar value", "text").map((t) => t.textContent),
      ["156", "12", "1,516", "32", "48,120", "10,164"],
    );
    assert.deepEqual(textsOf(root, ":scope > title"), ["params per name"]);
  });
  assert.throws(
    () => barChart(PAPER_LAYER_COUNTS, { x: "name", y: "params", yScale: "log" }), // OUTPUT has 0
    /log axis needs every value > 0/,
  );
  assert.throws(() => barChart([{ a: "x", b: "1" }], { x: "a", y: "b" }), /not a number/);
});
