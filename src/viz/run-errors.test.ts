import { test } from "node:test";
import assert from "node:assert/strict";
import { renderSvg } from "./render";
import { parseSvg, textsOf } from "../test-support/svg-inspect";
import { runErrorData, runErrors } from "./run-errors";

const runs = [
  {
    name: "slow",
    history: [
      { epoch: 1, testAccuracy: 0.9 },
      { epoch: 2, testAccuracy: null },
      { epoch: 3, testAccuracy: 0.985 },
    ],
  },
  {
    name: "fast",
    history: [
      { pass: 1, testError: 0.02 },
      { pass: 2, testError: 0.0061 },
    ],
  },
];

test("runErrorData: accuracies become test errors in %, one line per run, nulls leave gaps", () => {
  const points = runErrorData(runs).map((p) => [p.run, p.pass, Math.round(p.error * 100) / 100]);
  assert.deepEqual(points, [
    ["slow", 1, 10],
    ["slow", 3, 1.5],
    ["fast", 1, 2],
    ["fast", 2, 0.61],
  ]);
  assert.throws(() => runErrorData([]), /no runs/);
  assert.throws(() => runErrorData([{ name: "x", history: [{ epoch: 1 }] }]), /no test error/);
});

test("runErrors: a log axis from the 1–2–5 value below the lowest point to the one above the highest", () => {
  const svg = renderSvg(runErrors(runs, { title: "Runs" }));
  const texts = parseSvg(svg, (root) => textsOf(root, "text"));
  assert.ok(texts.includes("Runs"));
  // 0.61% … 10%: the axis runs 0.5 … 10 with every 1–2–5 tick, written as plain numbers.
  for (const tick of ["0.5", "1", "2", "5", "10"]) assert.ok(texts.includes(tick), tick);
  assert.ok(!texts.includes("20") && !texts.includes("0.2"), "no tick beyond the data's steps");
  assert.ok(!texts.some((t) => /[mµ]$/.test(t)), "no SI prefixes");
  // One legend entry per run, in order.
  assert.ok(texts.indexOf("slow") < texts.indexOf("fast"));
  // Each point's value is in its tooltip.
  assert.match(svg, /<title>fast, pass 2: 0\.61% test error<\/title>/);
});

test("runErrors: close references are labelled on either side of their lines", () => {
  const svg = renderSvg(
    runErrors(runs, {
      references: [
        { error: 0.0095, label: "paper: 0.95%" },
        { error: 0.008, label: "paper, distorted: 0.8%" },
      ],
    }),
  );
  const texts = parseSvg(svg, (root) => textsOf(root, "text"));
  assert.ok(texts.includes("paper: 0.95%") && texts.includes("paper, distorted: 0.8%"));
  const rules = /<g aria-label="rule"[^>]*stroke-dasharray="5 4"[^>]*>(.*?)<\/g>/s.exec(svg);
  assert.ok(rules, "a dashed rule mark");
  assert.equal(rules[1].match(/<line/g)?.length ?? 0, 2);
  // The lower label is drawn below its line, the upper one above.
  const dy = (label: string): number => {
    const at = svg.indexOf(`>${label}</text>`);
    const group = svg.lastIndexOf("<g", at);
    // Plot writes dx and dy as the text group's translate.
    return Number(/translate\(4,(-?[\d.]+)\)/.exec(svg.slice(group, at))?.[1] ?? NaN);
  };
  assert.ok(dy("paper: 0.95%") < 0 && dy("paper, distorted: 0.8%") > 0);
});
