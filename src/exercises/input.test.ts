import { test } from "node:test";
import assert from "node:assert/strict";
import { checkPaperPixel } from "./input";

test("doc example: checkPaperPixel accepts the straight line from −0.1 to 1.175", () => {
  const result = checkPaperPixel((p) => -0.1 + (1.175 - -0.1) * (p / 255));
  assert.equal(result.ok, true);
  assert.match(result.message, /^✓ 0 → -0.1, 255 → 1.175/);
});

test("checkPaperPixel accepts the other honest way of writing it", () => {
  // B·(1 − t) + F·t with t = p/255: the same line.
  assert.equal(checkPaperPixel((p) => -0.1 * (1 - p / 255) + 1.175 * (p / 255)).ok, true);
});

test("checkPaperPixel names the usual slips", () => {
  const cases: [(p: number) => number, RegExp][] = [
    [
      () => 0,
      /paperPixel\(0\) returned 0\.0000; expected -0\.1000 — every pixel gives 0 — still the starter/,
    ],
    [(p) => 1.175 - 1.275 * (p / 255), /background and ink are swapped/],
    [(p) => 1.175 * (p / 255), /the offset is missing: pixel 0 must give -0.1/],
    // −0.1 + 1/255 at pixel 1: right at 0, off from pixel 1 on.
    [(p) => -0.1 + p / 255, /paperPixel\(1\) .* the scale is off/],
    // Pixel 255 gives −0.1 + 1.175 = 1.075.
    [(p) => -0.1 + 1.175 * (p / 255), /pixel 255 gives 1\.075: scale by F − B = 1\.275, not by F/],
    [(p) => -0.1 + 1.275 * p, /divide the byte by 255 first/],
    [(p) => p / 255, /plain \[0, 1\] scaling/],
    // Right ends, wrong middle: a step function.
    [(p) => (p < 128 ? -0.1 : 1.175), /both ends are right but the middle is not/],
    [
      (p) => p * 2 + 1,
      /paperPixel\(0\) returned 1\.0000; expected -0\.1000 — x = -0\.1 \+ \(1\.175 − -0\.1\) · p\/255/,
    ],
    [() => Number.NaN, /returned NaN, not a number/],
  ];
  for (const [wrong, message] of cases) {
    const result = checkPaperPixel(wrong);
    assert.equal(result.ok, false);
    assert.match(result.message, message);
  }
});

test("checkPaperPixel reports a throw instead of throwing", () => {
  const result = checkPaperPixel(() => {
    throw new Error("TODO");
  });
  assert.deepEqual(result, { ok: false, message: "✗ paperPixel threw: TODO" });
});
