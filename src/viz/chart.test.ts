import { test } from "node:test";
import assert from "node:assert/strict";
import { THEME_COLORS, chart, composeFigure, keyToWords, svgElement } from "./chart";
import { renderSvg } from "./render";
import { parseSvg, textsOf } from "../test-support/svg-inspect";
import type { DomDocument } from "./chart";

/** A stand-in for a Plot body: an empty 200×100 svg with one circle. */
function body(document: DomDocument, width = 200, height = 100) {
  const svg = svgElement(document, "svg", { width, height, class: "plot-x", fill: "currentColor" });
  svg.appendChild(svgElement(document, "circle", { r: 5 }));
  return svg;
}

test("composeFigure stacks title, subtitle, legend and bodies in one svg", () => {
  const svg = renderSvg(
    chart((document) =>
      composeFigure(document, {
        title: "A title",
        subtitle: "A subtitle",
        legend: { kind: "swatches", entries: [{ label: "one", color: "#123456" }] },
        bodies: [body(document), body(document, 300, 50)],
      }),
    ),
  );
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  parseSvg(svg, (root) => {
    // header: title 15 + 8, subtitle 12 + 6, one swatch row 20 + 6 = 67; bodies 100 + 50
    assert.equal(root.getAttribute("width"), "300");
    assert.equal(root.getAttribute("height"), "217");
    assert.equal(root.getAttribute("viewBox"), "0 0 300 217");
    assert.deepEqual(textsOf(root, "title"), ["A title"]);
    assert.deepEqual(textsOf(root, ":scope > text"), ["A title", "A subtitle"]);
    assert.deepEqual(textsOf(root, 'g[aria-label="legend"] text'), ["one"]);
    // the bodies' children moved into groups keeping their class: no nested svg
    assert.equal(root.querySelectorAll("svg svg").length, 0);
    assert.equal(root.querySelectorAll("g.plot-x circle").length, 2);
    assert.match(root.getAttribute("style") ?? "", /max-width: 100%/);
  });
});

test("theme: auto paints nothing; dark paints a background and sets the text colour", () => {
  const figure = (theme: "auto" | "dark") =>
    renderSvg(
      chart((document) => composeFigure(document, { title: "t", theme, bodies: [body(document)] })),
    );
  parseSvg(figure("auto"), (root) => {
    assert.equal(root.querySelectorAll(":scope > rect").length, 0);
    assert.equal(root.getAttribute("fill"), "currentColor");
  });
  parseSvg(figure("dark"), (root) => {
    const [background] = Array.from(root.querySelectorAll(":scope > rect"));
    assert.equal(background.getAttribute("fill"), THEME_COLORS.dark.background);
    assert.match(root.getAttribute("style") ?? "", new RegExp(`color: ${THEME_COLORS.dark.text}`));
  });
});

test("keyToWords turns record keys into axis words", () => {
  assert.equal(keyToWords("trainAccuracy"), "train accuracy");
  assert.equal(keyToWords("test_loss"), "test loss");
  assert.equal(keyToWords("epoch"), "epoch");
});
