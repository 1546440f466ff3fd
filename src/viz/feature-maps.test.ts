import { test } from "node:test";
import assert from "node:assert/strict";
import { SCALED_TANH_A } from "../paper";
import { divergingRamp } from "./color-ramp";
import { activationShape, featureMaps } from "./feature-maps";
import { renderSvg } from "./render";
import {
  panelCaptions,
  panelImages,
  parseSvg,
  pixelAt,
  textsOf,
} from "../test-support/svg-inspect";

const maps = (svg: string) => parseSvg(svg, (root) => panelImages(root, "feature map"));

test("featureMaps: the TSDoc example draws 6 maps, each channel its own colour", () => {
  // 6 maps of 2×2, NHWC: map c holds the value c − 2.5 everywhere
  const data = Float32Array.from({ length: 24 }, (_, i) => (i % 6) - 2.5);
  const svg = renderSvg(featureMaps({ shape: [1, 2, 2, 6], data }, { layer: "C1" }));
  const pictures = maps(svg);
  assert.equal(pictures.length, 6);
  // |values| reach 2.5 > A = 1.7159, so the domain widens to ±2.5; map 2 = −0.5 → index
  // round(255·(−0.5 + 2.5)/5) = 102; map 0 → index 0; map 5 → index 255.
  const { palette } = divergingRamp(2.5);
  const colour = (index: number) => Array.from(palette.subarray(3 * index, 3 * index + 3));
  assert.deepEqual(pixelAt(pictures[0], 1, 1), colour(0));
  assert.deepEqual(pixelAt(pictures[2], 0, 1), colour(102));
  assert.deepEqual(pixelAt(pictures[5], 1, 0), colour(255));
  parseSvg(svg, (root) => {
    assert.deepEqual(textsOf(root, "title"), ["C1 feature maps: 6 maps of 2×2"]);
    assert.deepEqual(panelCaptions(root), ["map 0", "map 1", "map 2", "map 3", "map 4", "map 5"]);
    const text = root.textContent ?? "";
    assert.match(text, /column \(units\)/);
    assert.match(text, /row \(units\)/);
    assert.match(text, /activation/);
  });
  assert.equal(renderSvg(featureMaps({ shape: [1, 2, 2, 6], data }, { layer: "C1" })), svg);
});

test("featureMaps: activations inside ±1.7159 keep the paper's domain; C3 has 16 maps", () => {
  // A/2 in map 0 and −A in map 9 at pixel (0, 0) of a C3-sized activation: map 0's index is
  // round(255·(A/2 + A)/(2A)) = round(191.25) = 191, map 9's is 0, every other pixel 0 → 128
  const data = new Float32Array(10 * 10 * 16);
  data[0] = SCALED_TANH_A / 2;
  data[9] = -SCALED_TANH_A;
  const pictures = maps(renderSvg(featureMaps({ shape: [1, 10, 10, 16], data }, { layer: "C3" })));
  assert.equal(pictures.length, 16);
  const { palette } = divergingRamp(SCALED_TANH_A);
  assert.deepEqual(pixelAt(pictures[0], 0, 0), Array.from(palette.subarray(3 * 191, 3 * 191 + 3)));
  assert.deepEqual(pixelAt(pictures[9], 0, 0), Array.from(palette.subarray(0, 3)));
  assert.deepEqual(pixelAt(pictures[8], 0, 0), Array.from(palette.subarray(3 * 128, 3 * 128 + 3)));
});

test("activationShape accepts [1, H, W, C] and [H, W, C] only", () => {
  assert.deepEqual(
    activationShape("t", { shape: [1, 28, 28, 6], data: new Float32Array(4704) }),
    [28, 28, 6],
  );
  assert.deepEqual(
    activationShape("t", { shape: [5, 5, 16], data: new Float32Array(400) }),
    [5, 5, 16],
  );
  assert.throws(
    () => activationShape("t", { shape: [2, 5, 5, 16], data: new Float32Array(800) }),
    /expected/,
  );
  assert.throws(
    () => activationShape("t", { shape: [5, 5, 16], data: new Float32Array(3) }),
    /holds 400/,
  );
});
