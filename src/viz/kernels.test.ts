import { test } from "node:test";
import assert from "node:assert/strict";
import { divergingRamp } from "./color-ramp";
import { kernels } from "./kernels";
import { renderSvg } from "./render";
import {
  panelCaptions,
  panelImages,
  parseSvg,
  pixelAt,
  textsOf,
} from "../test-support/svg-inspect";

const pictures = (svg: string) => parseSvg(svg, (root) => panelImages(root, "kernel"));

test("kernels: the TSDoc example draws C1's 6 kernels with captions 0…5", () => {
  // C1-like: 6 kernels of 3×3 on one input map
  const data = Float32Array.from({ length: 54 }, (_, i) => Math.sin(i));
  const svg = renderSvg(kernels({ shape: [3, 3, 1, 6], data }, { layer: "C1" }));
  assert.equal(pictures(svg).length, 6);
  parseSvg(svg, (root) => {
    assert.deepEqual(panelCaptions(root), ["0", "1", "2", "3", "4", "5"]);
    assert.deepEqual(textsOf(root, "title"), ["C1 kernels: 6 of 3×3 (1 in × 6 out)"]);
    assert.match(root.textContent ?? "", /kernel column/);
    assert.match(root.textContent ?? "", /kernel row/);
    assert.match(root.textContent ?? "", /weight/);
  });
  assert.equal(renderSvg(kernels({ shape: [3, 3, 1, 6], data }, { layer: "C1" })), svg);
});

test("kernels: weight (ky, kx, i, o) lands in panel i·Cout + o at pixel (ky, kx)", () => {
  // [2, 2, 2, 3]: one weight, (ky 1, kx 0, in 1, out 2) = 1 at ((1·2 + 0)·2 + 1)·3 + 2 = 17
  const data = new Float32Array(24);
  data[17] = 1;
  const svg = renderSvg(kernels({ shape: [2, 2, 2, 3], data }));
  const grid = pictures(svg);
  assert.equal(grid.length, 6);
  const { palette } = divergingRamp(1);
  const red = Array.from(palette.subarray(765, 768));
  const zero = Array.from(palette.subarray(384, 387)); // 0 → index 128
  assert.deepEqual(pixelAt(grid[5], 1, 0), red);
  assert.deepEqual(pixelAt(grid[5], 0, 0), zero);
  assert.deepEqual(pixelAt(grid[2], 1, 0), zero);
  parseSvg(svg, (root) =>
    assert.deepEqual(panelCaptions(root), ["0→0", "0→1", "0→2", "1→0", "1→1", "1→2"]),
  );
});

test("kernels: C3 stored dense [5, 5, 6, 16] gives a 6 × 16 grid of 96", () => {
  const data = Float32Array.from({ length: 2400 }, (_, i) => Math.cos(i));
  assert.equal(pictures(renderSvg(kernels({ shape: [5, 5, 6, 16], data }))).length, 96);
  assert.throws(() => kernels({ shape: [5, 5, 6], data }), /expected \[K, K, Cin, Cout\]/);
});
