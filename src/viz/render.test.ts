import { test } from "node:test";
import assert from "node:assert/strict";
import { activationCurves } from "./activation-curves";
import { renderSvg } from "./render";

test("renderSvg: the TSDoc example; xmlns present, same chart gives the same string", () => {
  const svg = renderSvg(activationCurves());
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.ok(svg.endsWith("</svg>"));
  assert.equal(renderSvg(activationCurves()), svg);
});

test("renderSvg does not leave jsdom loaded state behind between charts", () => {
  // Two different charts in a row: the second is unaffected by the first.
  const small = renderSvg(activationCurves({ from: -1, to: 1, samples: 3 }));
  assert.equal(renderSvg(activationCurves({ from: -1, to: 1, samples: 3 })), small);
});
