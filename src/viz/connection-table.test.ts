import { test } from "node:test";
import assert from "node:assert/strict";
import { TABLE_I } from "../paper";
import { connectionTable } from "./connection-table";
import { renderSvg } from "./render";
import { marksOf, parseSvg, textsOf } from "../test-support/svg-inspect";

test("connectionTable: the TSDoc example has 60 filled cells among 6 × 16", () => {
  const svg = renderSvg(connectionTable()); // 60 filled cells
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  parseSvg(svg, (root) => {
    assert.equal(marksOf(root, "cell", "rect").length, 96);
    const filled = marksOf(root, "connection", "rect");
    assert.equal(filled.length, 60);
    assert.equal(marksOf(root, "connection mark", "text").length, 60);
    // Filled cells per column (C3 map), left to right: Table I's 3,3,3,3,3,3, 4×6, 4,4,4, 6.
    const perColumn = new Map<number, number>();
    for (const cell of filled) {
      const x = Number(cell.getAttribute("x"));
      perColumn.set(x, (perColumn.get(x) ?? 0) + 1);
    }
    const counts = [...perColumn.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n);
    assert.deepEqual(
      counts,
      TABLE_I.map((inputs) => inputs.length),
    );
    assert.deepEqual(textsOf(root, "title"), ["Table I: which S2 maps feed each C3 map"]);
    const text = root.textContent ?? "";
    assert.match(text, /C3 feature map/);
    assert.match(text, /S2 feature map/);
    assert.match(text, /60 connections between 6 S2 and 16 C3 maps/);
  });
  assert.equal(renderSvg(connectionTable()), svg);
});

test("connectionTable draws any table: a full 2 → 3 connection has 6 filled cells", () => {
  const full = [
    [0, 1],
    [0, 1],
    [0, 1],
  ];
  const svg = renderSvg(connectionTable({ table: full, inputLayer: "A", outputLayer: "B" }));
  parseSvg(svg, (root) => {
    assert.equal(marksOf(root, "connection", "rect").length, 6);
    assert.match(root.textContent ?? "", /which A maps feed each B map/);
  });
});
