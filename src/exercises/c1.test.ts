import { test } from "node:test";
import assert from "node:assert/strict";
import { checkC1Pixel } from "./c1";
import { conv2d } from "../scratch/conv2d";
import { tensor } from "../scratch/tensor";

/** The right one-pixel computation, as the doc example writes it. */
function rightPixel(
  x: { shape: readonly number[]; data: ArrayLike<number> },
  kernel: { shape: readonly number[]; data: ArrayLike<number> },
  bias: { data: ArrayLike<number> },
  oy: number,
  ox: number,
  co: number,
): number {
  const [, , width, cin] = x.shape;
  const [kh, kw, , cout] = kernel.shape;
  let sum = bias.data[co];
  for (let ky = 0; ky < kh; ky++)
    for (let kx = 0; kx < kw; kx++)
      for (let ci = 0; ci < cin; ci++)
        sum +=
          x.data[((oy + ky) * width + ox + kx) * cin + ci] *
          kernel.data[((ky * kw + kx) * cin + ci) * cout + co];
  return sum;
}

test("doc example: checkC1Pixel accepts cross-correlation plus bias", () => {
  const result = checkC1Pixel((x, kernel, bias, oy, ox, co) => {
    const [, , width, cin] = x.shape;
    const [kh, kw, , cout] = kernel.shape;
    let sum = bias.data[co];
    for (let ky = 0; ky < kh; ky++)
      for (let kx = 0; kx < kw; kx++)
        for (let ci = 0; ci < cin; ci++)
          sum +=
            x.data[((oy + ky) * width + ox + kx) * cin + ci] *
            kernel.data[((ky * kw + kx) * cin + ci) * cout + co];
    return sum;
  });
  assert.equal(result.ok, true);
  assert.match(result.message, /^✓ all 5 output values match scratch.conv2d/);
});

test("the right one-pixel function agrees with scratch.conv2d on a hand case", () => {
  // x = 1…9 in a 3×3, kernel [[1, 0], [0, 1]], bias 0.5: y[0, 0] = 1 + 5 + 0.5 = 6.5.
  const x = tensor([1, 3, 3, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const k = tensor([2, 2, 1, 1], [1, 0, 0, 1]);
  const b = tensor([1], [0.5]);
  assert.equal(rightPixel(x, k, b, 0, 0, 0), 6.5);
  assert.equal(rightPixel(x, k, b, 1, 1, 0), conv2d(x, k, b).data[3]); // 5 + 9 + 0.5 = 14.5
});

test("checkC1Pixel names the usual slips", () => {
  type Fn = Parameters<typeof checkC1Pixel>[0];
  const noBias: Fn = (x, k, b, oy, ox, co) => rightPixel(x, k, b, oy, ox, co) - b.data[co];
  const flipped: Fn = (x, k, b, oy, ox, co) => {
    const [kh, kw, cin, cout] = k.shape;
    const flip = new Float64Array(k.data.length);
    for (let ky = 0; ky < kh; ky++)
      for (let kx = 0; kx < kw; kx++)
        for (let i = 0; i < cin * cout; i++)
          flip[(ky * kw + kx) * cin * cout + i] =
            k.data[((kh - 1 - ky) * kw + (kw - 1 - kx)) * cin * cout + i];
    return rightPixel(x, { shape: k.shape, data: flip }, b, oy, ox, co);
  };
  const transposed: Fn = (x, k, b, oy, ox, co) => {
    const [kh, kw, , cout] = k.shape;
    const [, , width, cin] = x.shape;
    let sum = b.data[co];
    for (let ky = 0; ky < kh; ky++)
      for (let kx = 0; kx < kw; kx++)
        for (let ci = 0; ci < cin; ci++)
          sum +=
            x.data[((ox + kx) * width + oy + ky) * cin + ci] *
            k.data[((ky * kw + kx) * cin + ci) * cout + co];
    return sum;
  };
  const oneChannel: Fn = (x, k, b, oy, ox, co) => {
    const [kh, kw, , cout] = k.shape;
    const [, , width, cin] = x.shape;
    let sum = b.data[co];
    for (let ky = 0; ky < kh; ky++)
      for (let kx = 0; kx < kw; kx++)
        sum +=
          x.data[((oy + ky) * width + ox + kx) * cin] * k.data[(ky * kw + kx) * cin * cout + co];
    return sum;
  };
  const cases: [Fn, RegExp][] = [
    [() => 0, /returned 0\.000000; .* starter/],
    [noBias, /the bias b\[co\] is missing/],
    [flipped, /flips the kernel/],
    [transposed, /rows and columns are swapped/],
    [oneChannel, /only input channel 0 is summed/],
    [() => 1.5, /returned 1\.500000; scratch.conv2d gives .* — y = b\[co\] \+ Σ/],
  ];
  for (const [wrong, message] of cases) {
    const result = checkC1Pixel(wrong);
    assert.equal(result.ok, false);
    assert.match(result.message, message);
  }
});

test("checkC1Pixel is not fooled by a function that writes into its arguments", () => {
  const vandal: Parameters<typeof checkC1Pixel>[0] = (x, k, b, oy, ox, co) => {
    const value = rightPixel(x, k, b, oy, ox, co);
    x.data.fill(0);
    return value;
  };
  assert.equal(checkC1Pixel(vandal).ok, true);
});
