import { test } from "node:test";
import assert from "node:assert/strict";
import { checkBlockSums } from "./s2";

test("doc example: checkBlockSums accepts 2×2 sums at stride 2", () => {
  const result = checkBlockSums((plane, height, width) => {
    const sums = new Float64Array((height / 2) * (width / 2));
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        sums[Math.floor(y / 2) * (width / 2) + Math.floor(x / 2)] += plane[y * width + x];
    return sums;
  });
  assert.equal(result.ok, true);
  // 1+2+5+6 = 14, 3+4+7+8 = 22, 9+10+13+14 = 46, 11+12+15+16 = 54.
  assert.match(result.message, /^✓ the 4×4 map 1…16 gives \[14, 22, 46, 54\]/);
});

/** A block reduction with a chosen combiner, for the wrong answers. */
function reduceBlocks(
  plane: ArrayLike<number>,
  height: number,
  width: number,
  combine: (values: number[]) => number,
): number[] {
  const out: number[] = [];
  for (let oy = 0; oy < height / 2; oy++)
    for (let ox = 0; ox < width / 2; ox++) {
      const top = 2 * oy * width + 2 * ox;
      out.push(combine([plane[top], plane[top + 1], plane[top + width], plane[top + width + 1]]));
    }
  return out;
}

test("checkBlockSums names the usual slips", () => {
  const sum = (v: number[]): number => v.reduce((a, b) => a + b, 0);
  const cases: [Parameters<typeof checkBlockSums>[0], RegExp][] = [
    [
      (_p, h, w) => new Float64Array((h / 2) * (w / 2)),
      /returned \[0, 0, 0, 0\]; expected \[14, 22, 46, 54\] — every sum is 0/,
    ],
    // Averages of 1…16: 3.5, 5.5, 11.5, 13.5.
    [
      (p, h, w) => reduceBlocks(p, h, w, (v) => sum(v) / 4),
      /returned \[3.5, 5.5, 11.5, 13.5\]; .* those are averages, 4× too small/,
    ],
    [(p, h, w) => reduceBlocks(p, h, w, (v) => Math.max(...v)), /that is max pooling/],
    [(p, h, w) => reduceBlocks(p, h, w, (v) => v[0]), /only the top-left input/],
    [
      (p, h, w) => {
        const out: number[] = [];
        for (let y = 0; y + 1 < h; y++)
          for (let x = 0; x + 1 < w; x++)
            out.push(p[y * w + x] + p[y * w + x + 1] + p[(y + 1) * w + x] + p[(y + 1) * w + x + 1]);
        return out;
      },
      /slides the 2×2 window one pixel at a time/,
    ],
    [(p) => Array.from(p), /half as tall and half as wide/],
    [() => [1, 2], /expected 2×2 = 4 values, got 2/],
    [
      // Column-major output: fine on the square 4×4 only if symmetric, so it fails there already.
      (p, h, w) => {
        const rowMajor = reduceBlocks(p, h, w, sum);
        const [oh, ow] = [h / 2, w / 2];
        return Array.from(
          { length: oh * ow },
          (_, i) => rowMajor[(i % oh) * ow + Math.floor(i / oh)],
        );
      },
      /the output is transposed/,
    ],
    [() => "14, 22" as unknown as number[], /returned 14, 22, not an array of numbers/],
    [(p, h, w) => reduceBlocks(p, h, w, (v) => sum(v) + 1), /— s\[oy, ox\] = sum of x/],
  ];
  for (const [wrong, message] of cases) {
    const result = checkBlockSums(wrong);
    assert.equal(result.ok, false);
    assert.match(result.message, message);
  }
});

test("checkBlockSums reports a throw instead of throwing", () => {
  const result = checkBlockSums(() => {
    throw new Error("TODO");
  });
  assert.deepEqual(result, { ok: false, message: "✗ blockSums threw: TODO" });
});
