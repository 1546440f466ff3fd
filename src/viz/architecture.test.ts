import { test } from "node:test";
import assert from "node:assert/strict";
import { architectureFigure, estimatedLabelWidth, LENET5_STAGES } from "./architecture";
import { renderSvg } from "./render";
import { parseSvg, textsOf } from "../test-support/svg-inspect";
import type { DomElement } from "./chart";

/** The figure's label boxes (text-anchor middle), from the attributes the builder wrote. */
function labelBoxes(root: DomElement) {
  return Array.from(root.querySelectorAll("g text")).map((element) => {
    const content = element.textContent ?? "";
    const size = Number(element.getAttribute("font-size"));
    const x = Number(element.getAttribute("x"));
    const y = Number(element.getAttribute("y"));
    const half = estimatedLabelWidth(content, size) / 2;
    return { content, left: x - half, right: x + half, top: y - size, bottom: y };
  });
}

test("architectureFigure: the TSDoc example labels every layer, size and connection of Fig. 2", () => {
  const svg = renderSvg(architectureFigure()); // labels INPUT … OUTPUT, "6@28×28", "Subsampling", …
  parseSvg(svg, (root) => {
    const texts = labelBoxes(root).map((box) => box.content);
    assert.deepEqual(
      texts.filter((t) => LENET5_STAGES.some((stage) => stage.name === t)),
      ["INPUT", "C1", "S2", "C3", "S4", "C5", "F6", "OUTPUT"],
    );
    for (const size of ["32×32", "6@28×28", "6@14×14", "16@10×10", "16@5×5", "120", "84", "10"])
      assert.ok(texts.includes(size), `size label ${size}`);
    assert.deepEqual(
      texts.filter((t) => /connection|Convolutions|Subsampling/.test(t)),
      [
        "Convolutions",
        "Subsampling",
        "Convolutions",
        "Subsampling",
        "Full connection",
        "Full connection",
        "Gaussian connections",
      ],
    );
    // One stage group per layer; a map stack draws at most 8 squares, a vector one bar.
    const stages = Array.from(root.querySelectorAll("g[aria-label]")).filter((g) =>
      /^(INPUT|C\d|S\d|F6|OUTPUT) /.test(g.getAttribute("aria-label") ?? ""),
    );
    assert.deepEqual(
      stages.map((g) => g.querySelectorAll("rect").length),
      [1, 6, 6, 8, 8, 1, 1, 1],
    );
    assert.equal(root.querySelectorAll('g[aria-label="connection"]').length, 7);
  });
});

test("architectureFigure: no two labels overlap, and every label lies inside the figure", () => {
  const svg = renderSvg(architectureFigure());
  parseSvg(svg, (root) => {
    const boxes = labelBoxes(root);
    const width = Number(root.getAttribute("width"));
    assert.ok(boxes.length >= 23, `${boxes.length} labels`);
    for (const box of boxes) {
      assert.ok(
        box.left >= 0 && box.right <= width,
        `${box.content} spans ${box.left}…${box.right} of ${width}`,
      );
    }
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        const apart =
          a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
        assert.ok(apart, `"${a.content}" and "${b.content}" overlap`);
      }
  });
});

test("architectureFigure draws other stages and refuses none", () => {
  const svg = renderSvg(
    architectureFigure({
      stages: [
        { name: "IN", maps: 1, side: 28 },
        { name: "C1", maps: 4, side: 24, connection: "Convolutions" },
        { name: "OUT", maps: 10, connection: "Full connection" },
      ],
      title: "A smaller net",
    }),
  );
  parseSvg(svg, (root) => {
    const texts = labelBoxes(root).map((box) => box.content);
    assert.ok(texts.includes("4@24×24") && texts.includes("28×28") && texts.includes("OUT"));
    assert.deepEqual(textsOf(root, "title"), ["A smaller net"]);
  });
  assert.throws(() => renderSvg(architectureFigure({ stages: [] })), /no stages/);
});
