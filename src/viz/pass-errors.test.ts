import { test } from "node:test";
import assert from "node:assert/strict";
import { renderSvg } from "./render";
import { parseSvg, textsOf } from "../test-support/svg-inspect";
import { passErrorData, passErrors } from "./pass-errors";

const history = [
  { epoch: 1, trainAccuracy: 0.96, testAccuracy: 0.97 },
  { epoch: 2, trainAccuracy: 0.99, testAccuracy: null },
  { epoch: 3, trainAccuracy: 0.995, testAccuracy: 0.99 },
];

test("passErrorData: accuracies become errors in %, nulls leave gaps, error fields win", () => {
  const points = passErrorData(history);
  // 1 − 0.96 = 4%; pass 2 has no test value
  assert.deepEqual(
    points.filter((p) => p.curve === "test").map((p) => [p.pass, Math.round(p.error * 100) / 100]),
    [
      [1, 3],
      [3, 1],
    ],
  );
  assert.equal(Math.round(points[0].error * 100) / 100, 4);
  const fromErrors = passErrorData([{ pass: 7, trainError: 0.0035, testError: 0.0095 }]);
  assert.deepEqual(
    fromErrors.map((p) => [p.pass, p.curve, Math.round(p.error * 1e6) / 1e6]),
    [
      [7, "training", 0.35],
      [7, "test", 0.95],
    ],
  );
  assert.throws(() => passErrorData([]), /no records/);
  assert.throws(() => passErrorData([{ epoch: 1 }]), /no error or accuracy/);
});

test("passErrors: the paper's values are drawn and labelled beside the curves", () => {
  const svg = renderSvg(
    passErrors(history, {
      title: "Fig. 5",
      paper: [
        { curve: "training", error: 0.0035, label: "paper: 0.35% after 19 passes" },
        { curve: "test", error: 0.0095, label: "paper: 0.95%" },
      ],
    }),
  );
  const texts = parseSvg(svg, (root) => textsOf(root, "text"));
  assert.ok(texts.includes("Fig. 5"));
  assert.ok(texts.includes("paper: 0.35% after 19 passes"));
  assert.ok(texts.includes("paper: 0.95%"));
  // Two dashed reference rules, in the one dashed rule mark.
  const rules = /<g aria-label="rule"[^>]*stroke-dasharray="5 4"[^>]*>(.*?)<\/g>/s.exec(svg);
  assert.ok(rules, "a dashed rule mark");
  assert.equal(rules[1].match(/<line/g)?.length ?? 0, 2);
});
