import { test } from "node:test";
import assert from "node:assert/strict";
import { assertClose } from "../test-support/assert-close";
import { activationCurves, activationPoints } from "./activation-curves";
import { renderSvg } from "./render";
import { marksOf, parseSvg, textsOf } from "../test-support/svg-inspect";

test("activationPoints: f(±1) = ±1, f′(0) = A·S = 1.14393, tanh and ReLU at −1, 0, 1", () => {
  const points = activationPoints(-1, 1, 3);
  const values = (prefix: string) =>
    points.filter((p) => p.curve.startsWith(prefix)).map((p) => p.value);
  // f(1) = 1.7159·tanh(2/3) = 1.7159 · 0.582783 = 1.00000 (the paper's choice of A and S)
  assertClose(values("f(a)"), [-1, 0, 1], { atol: 1e-4, label: "f" });
  // f′(a) = A·S·(1 − tanh²(S·a)): f′(0) = 1.7159 · 2/3 = 1.143933; f′(±1) = 1.143933 · (1 − 0.339636)
  assertClose(values("f′"), [0.755412, 1.143933, 0.755412], { atol: 1e-5, label: "f′" });
  assertClose(values("tanh"), [-0.761594, 0, 0.761594], { atol: 1e-6, label: "tanh" });
  assert.deepEqual(values("ReLU"), [0, 0, 1]);
  assert.throws(() => activationPoints(1, -1, 3), /from < to/);
});

test("activationCurves: the TSDoc example has 4 curves, a legend, axis labels", () => {
  const svg = renderSvg(activationCurves({ from: -3, to: 3 }));
  parseSvg(svg, (root) => {
    assert.equal(marksOf(root, "curve", "path").length, 4);
    assert.equal(marksOf(root, "f(±1) = ±1", "circle").length, 2);
    assert.deepEqual(textsOf(root, 'g[aria-label="legend"] text'), [
      "f(a) = 1.7159·tanh(2a/3)",
      "f′(a)",
      "tanh(a)",
      "ReLU(a) = max(0, a)",
    ]);
    assert.deepEqual(textsOf(root, "title"), ["Activation functions"]);
    const text = root.textContent ?? "";
    assert.match(text, /weighted input a/);
    assert.match(text, /activation f\(a\)/);
  });
  assert.equal(renderSvg(activationCurves({ from: -3, to: 3 })), svg);
});
