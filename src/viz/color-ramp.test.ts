import { test } from "node:test";
import assert from "node:assert/strict";
import {
  divergingRamp,
  extent,
  grayRamp,
  maxAbs,
  nonEmptyDomain,
  parseColor,
  rampIndex,
  rampIndices,
  rampLegend,
} from "./color-ramp";
import { renderSvg } from "./render";
import { chart } from "./chart";
import { decodeDataUrl, marksOf, parseSvg, pixelAt } from "../test-support/svg-inspect";

test("grayRamp: the TSDoc example; index 0 white, 255 black", () => {
  const ramp = grayRamp([-0.1, 1.175]); // the paper's input levels
  assert.deepEqual(Array.from(ramp.palette.subarray(0, 3)), [255, 255, 255]);
  assert.deepEqual(Array.from(ramp.palette.subarray(765, 768)), [0, 0, 0]);
  assert.deepEqual(Array.from(ramp.palette.subarray(300, 303)), [155, 155, 155]); // 255 − 100
  assert.throws(() => grayRamp([1, 1]), /increasing/);
});

test("divergingRamp: the TSDoc example; blue below zero, near-white at zero, red above", () => {
  const ramp = divergingRamp(1.7159); // the range of f(a) = 1.7159·tanh(2a/3)
  assert.deepEqual(ramp.domain, [-1.7159, 1.7159]);
  const [r0, g0, b0] = ramp.palette.subarray(0, 3);
  assert.ok(b0 > r0 && b0 > g0, `index 0 is blue: ${[r0, g0, b0]}`);
  const [r1, g1, b1] = ramp.palette.subarray(765, 768);
  assert.ok(r1 > g1 && r1 > b1, `index 255 is red: ${[r1, g1, b1]}`);
  // Indices 127 and 128 straddle zero (−0.0067 and +0.0067): both within 20 of white.
  for (const i of [127, 128])
    for (const channel of ramp.palette.subarray(3 * i, 3 * i + 3)) assert.ok(channel > 235);
});

test("rampIndex: 255·(v − lo)/(hi − lo), rounded and clamped", () => {
  // domain [−1, 1]: −1 → 0, 1 → 255, 0 → round(127.5) = 128, 0.5 → round(191.25) = 191
  assert.equal(rampIndex(-1, [-1, 1]), 0);
  assert.equal(rampIndex(1, [-1, 1]), 255);
  assert.equal(rampIndex(0, [-1, 1]), 128);
  assert.equal(rampIndex(0.5, [-1, 1]), 191);
  assert.equal(rampIndex(5, [-1, 1]), 255);
  assert.equal(rampIndex(-5, [-1, 1]), 0);
  assert.equal(rampIndex(Number.NaN, [-1, 1]), 0);
  // every 3rd value from offset 1 of [9, −1, 9, 9, 1, 9]: −1, 1
  assert.deepEqual(Array.from(rampIndices([9, -1, 9, 9, 1, 9], [-1, 1], 2, 1, 3)), [0, 255]);
});

test("parseColor reads rgb() and #rrggbb and rejects the rest", () => {
  assert.deepEqual(parseColor("rgb(5, 48, 97)"), [5, 48, 97]);
  assert.deepEqual(parseColor("#ff725c"), [255, 114, 92]);
  assert.throws(() => parseColor("steelblue"), /cannot read colour/);
});

test("extent, nonEmptyDomain and maxAbs", () => {
  assert.deepEqual(extent([[3, -2], Float32Array.of(7, Number.NaN)]), [-2, 7]);
  assert.deepEqual(extent([[]]), [0, 1]);
  assert.deepEqual(nonEmptyDomain([4, 4]), [3.5, 4.5]);
  assert.equal(maxAbs([[0.5, -3, 2]]), 3);
  assert.equal(maxAbs([[0, 0]]), 1e-6);
});

test("rampLegend draws the 256-colour bar as one image over a labelled axis", () => {
  const ramp = grayRamp([0, 255]);
  const svg = renderSvg(chart((document) => rampLegend(document, ramp, "pixel value →")));
  parseSvg(svg, (root) => {
    const images = marksOf(root, "colour ramp", "image");
    assert.equal(images.length, 1);
    const bar = decodeDataUrl(images[0].getAttribute("href") ?? "");
    assert.deepEqual([bar.width, bar.height], [256, 1]);
    assert.deepEqual(pixelAt(bar, 0, 0), [255, 255, 255]);
    assert.deepEqual(pixelAt(bar, 0, 255), [0, 0, 0]);
    assert.match(root.textContent ?? "", /pixel value →/);
  });
});
