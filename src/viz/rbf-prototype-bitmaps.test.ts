import { test } from "node:test";
import assert from "node:assert/strict";
import { RBF_BITMAPS, RBF_BITMAP_HEIGHT, RBF_BITMAP_WIDTH } from "../paper";
import { rbfPrototypeBitmaps } from "./rbf-prototype-bitmaps";
import { renderSvg } from "./render";
import {
  marksOf,
  panelCaptions,
  panelImages,
  parseSvg,
  pixelAt,
  textsOf,
} from "../test-support/svg-inspect";

test("rbfPrototypeBitmaps: the TSDoc example draws the ten 7×12 bitmaps, # black, . white", () => {
  const svg = renderSvg(rbfPrototypeBitmaps());
  parseSvg(svg, (root) => {
    const images = panelImages(root, "prototype");
    assert.equal(images.length, 10);
    images.forEach((image, digit) => {
      assert.deepEqual([image.width, image.height], [RBF_BITMAP_WIDTH, RBF_BITMAP_HEIGHT]);
      for (let row = 0; row < RBF_BITMAP_HEIGHT; row++)
        for (let col = 0; col < RBF_BITMAP_WIDTH; col++) {
          const ink = RBF_BITMAPS[digit][row * RBF_BITMAP_WIDTH + col] === "#";
          assert.deepEqual(pixelAt(image, row, col), ink ? [0, 0, 0] : [255, 255, 255]);
        }
    });
    assert.deepEqual(panelCaptions(root), ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    assert.deepEqual(textsOf(root, "title"), ["RBF prototypes: 10 bitmaps of 7×12"]);
  });
  assert.equal(renderSvg(rbfPrototypeBitmaps()), svg);
});

test("rbfPrototypeBitmaps takes other prototypes and checks their size", () => {
  const two = new Float32Array(2 * 84).fill(-1);
  parseSvg(renderSvg(rbfPrototypeBitmaps({ prototypes: two })), (root) =>
    assert.equal(marksOf(root, "prototype", "image").length, 2),
  );
  assert.throws(() => rbfPrototypeBitmaps({ prototypes: new Float32Array(85) }), /\[classes, 84\]/);
});
