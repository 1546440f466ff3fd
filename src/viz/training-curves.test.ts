import { test } from "node:test";
import assert from "node:assert/strict";
import { renderSvg } from "./render";
import { parseSvg, textsOf } from "../test-support/svg-inspect";
import { trainingCurveData, trainingCurves } from "./training-curves";

const epochs = [
  { epoch: 1, loss: 0.52, trainAccuracy: 0.86, testAccuracy: 0.95 },
  { epoch: 2, loss: 0.17, trainAccuracy: 0.95, testAccuracy: 0.97 },
  { epoch: 3, loss: 0.11, trainAccuracy: 0.97, testAccuracy: 0.98 },
];

test("trainingCurveData: epoch on x, loss alone, accuracies as %", () => {
  const data = trainingCurveData(epochs);
  assert.equal(data.xLabel, "epoch");
  assert.deepEqual(data.lines, ["loss", "train accuracy", "test accuracy"]);
  assert.deepEqual(
    data.loss.map((p) => [p.x, p.value]),
    [
      [1, 0.52],
      [2, 0.17],
      [3, 0.11],
    ],
  );
  // 0.95 → 95 (%)
  assert.deepEqual(
    data.accuracy.filter((p) => p.line === "test accuracy").map((p) => Math.round(p.value)),
    [95, 97, 98],
  );
});

test("trainingCurveData: BatchProgress records use the fractional epoch; nulls leave gaps", () => {
  // batch 1 of 4 in epoch 2 → x = 2 − 1 + 1/4 = 1.25
  const steps = [
    { epoch: 1, batch: 4, batches: 4, loss: 0.9, trainAccuracy: 0.5 },
    { epoch: 2, batch: 1, batches: 4, loss: 0.7, trainAccuracy: 0.6 },
  ];
  assert.deepEqual(
    trainingCurveData(steps).loss.map((p) => p.x),
    [1, 1.25],
  );
  const withGap = [
    { epoch: 1, loss: 1, testAccuracy: null },
    { epoch: 2, loss: 0.5, testAccuracy: 0.9 },
  ];
  assert.deepEqual(
    trainingCurveData(withGap).accuracy.map((p) => [p.x, p.value]),
    [[2, 90]],
  );
});

test("trainingCurveData: series split runs; options name fields; clear errors", () => {
  const runs = [
    { step: 1, model: "historical", loss: 2 },
    { step: 1, model: "modern", loss: 1 },
  ];
  assert.deepEqual(trainingCurveData(runs, { series: "model" }).lines, [
    "historical · loss",
    "modern · loss",
  ]);
  const custom = [{ t: 1, err: 0.3 }];
  assert.equal(trainingCurveData(custom, { x: "t", loss: ["err"] }).loss[0].value, 0.3);
  assert.throws(() => trainingCurveData([{ t: 1 }]), /no loss or accuracy fields/);
  assert.throws(() => trainingCurveData([]), /no records/);
  assert.throws(() => trainingCurveData([{ epoch: 1, loss: null }]), /no finite loss/);
});

test("trainingCurves: the TSDoc example draws loss and accuracy panels with 3 lines", () => {
  const svg = renderSvg(trainingCurves(epochs));
  parseSvg(svg, (root) => {
    // one line mark per panel: loss (1 path), accuracy (2 paths)
    const lines = Array.from(root.querySelectorAll('g[aria-label="line"]'));
    assert.deepEqual(
      lines.map((g) => g.querySelectorAll("path").length),
      [1, 2],
    );
    assert.equal(root.querySelectorAll('g[aria-label="dot"] circle').length, 9);
    assert.deepEqual(textsOf(root, 'g[aria-label="legend"] text'), [
      "loss",
      "train accuracy",
      "test accuracy",
    ]);
    const text = root.textContent ?? "";
    assert.match(text, /loss/);
    assert.match(text, /accuracy \(%\)/);
    assert.match(text, /epoch →/);
    assert.deepEqual(textsOf(root, "title"), ["Training curves"]);
  });
  assert.equal(renderSvg(trainingCurves(epochs)), svg);
});
