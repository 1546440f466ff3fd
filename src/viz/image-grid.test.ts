import { test } from "node:test";
import assert from "node:assert/strict";
import { HIGHLIGHT_COLOR } from "./chart";
import { batchShape, digitImage, imageGrid } from "./image-grid";
import { renderSvg } from "./render";
import {
  panelCaptions,
  panelImages,
  panelMarks,
  parseSvg,
  pixelAt,
  textsOf,
} from "../test-support/svg-inspect";

const pictures = (svg: string) => parseSvg(svg, (root) => panelImages(root, "digit"));

test("digitImage: the TSDoc example draws a 2×2 checkerboard, white 0 and black 1", () => {
  const image = { shape: [2, 2], data: [0, 1, 1, 0] }; // a 2×2 checkerboard
  const svg = renderSvg(digitImage(image, { caption: "label 0" }));
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  const [picture] = pictures(svg);
  assert.deepEqual([picture.width, picture.height], [2, 2]);
  assert.deepEqual(pixelAt(picture, 0, 0), [255, 255, 255]);
  assert.deepEqual(pixelAt(picture, 0, 1), [0, 0, 0]);
  assert.deepEqual(pixelAt(picture, 1, 0), [0, 0, 0]);
  parseSvg(svg, (root) => {
    assert.deepEqual(textsOf(root, "title"), ["Digit image (2×2 pixels)"]);
    assert.deepEqual(panelCaptions(root), ["label 0"]);
    const text = root.textContent ?? "";
    assert.match(text, /column \(pixels\)/);
    assert.match(text, /row \(pixels\)/);
    assert.match(text, /pixel value/); // the colour legend
  });
  assert.equal(renderSvg(digitImage(image, { caption: "label 0" })), svg);
});

test("digitImage takes [H, W], [H, W, 1] and [1, H, W, 1], and refuses a batch", () => {
  const data = new Float32Array(28 * 28);
  for (const shape of [
    [28, 28],
    [28, 28, 1],
    [1, 28, 28, 1],
  ])
    assert.equal(pictures(renderSvg(digitImage({ shape, data }))).length, 1);
  assert.throws(
    () => digitImage({ shape: [2, 28, 28, 1], data: new Float32Array(2 * 784) }),
    /one image/,
  );
});

test("imageGrid: the TSDoc example, captions label → prediction, a wrong one in red", () => {
  const batch = { shape: [3, 2, 2, 1], data: new Float32Array(12).fill(0.5) };
  const svg = renderSvg(imageGrid(batch, { labels: [1, 2, 3], predictions: [1, 2, 4] }));
  assert.equal(pictures(svg).length, 3);
  parseSvg(svg, (root) => {
    const captions = panelMarks(root, "caption", "text");
    assert.deepEqual(
      captions.map((caption) => caption.textContent),
      ["1 → 1", "2 → 2", "3 → 4"],
    );
    assert.equal(captions[2].getAttribute("fill"), HIGHLIGHT_COLOR);
    assert.equal(captions[0].getAttribute("fill"), "currentColor");
    assert.deepEqual(textsOf(root, "title"), ["3 images (2×2 pixels each)"]);
    assert.match(root.textContent ?? "", /true label → prediction/);
  });
});

test("imageGrid: start and count pick images; each panel shows its own image", () => {
  // image i of the batch is uniformly i: domain [2, 3] for images 2 and 3 → white, black
  const batch = {
    shape: [5, 3, 3],
    data: Float32Array.from({ length: 45 }, (_, k) => Math.floor(k / 9)),
  };
  const svg = renderSvg(imageGrid(batch, { start: 2, count: 2, labels: [0, 1, 2, 3, 4] }));
  const shown = pictures(svg);
  assert.equal(shown.length, 2);
  assert.deepEqual(pixelAt(shown[0], 2, 2), [255, 255, 255]);
  assert.deepEqual(pixelAt(shown[1], 0, 0), [0, 0, 0]);
  parseSvg(svg, (root) => assert.deepEqual(panelCaptions(root), ["2", "3"]));
  assert.throws(() => imageGrid(batch, { start: 4, count: 2 }), /batch has 5/);
  assert.throws(() => imageGrid(batch, { count: 2, captions: ["a"] }), /2 images but 1 captions/);
});

test("batchShape reads the accepted layouts and rejects the rest", () => {
  assert.deepEqual(
    batchShape("t", { shape: [4, 28, 28, 1], data: new Uint8Array(4 * 784) }),
    [4, 28, 28],
  );
  assert.deepEqual(
    batchShape("t", { shape: [4, 28, 28], data: new Uint8Array(4 * 784) }),
    [4, 28, 28],
  );
  assert.deepEqual(
    batchShape("t", { shape: [32, 32, 1], data: new Uint8Array(1024) }),
    [1, 32, 32],
  );
  assert.throws(
    () => batchShape("t", { shape: [4, 28, 28, 3], data: new Uint8Array(4 * 784 * 3) }),
    /expected/,
  );
  assert.throws(
    () => batchShape("t", { shape: [28, 28], data: new Uint8Array(10) }),
    /holds 784 values, got 10/,
  );
});
