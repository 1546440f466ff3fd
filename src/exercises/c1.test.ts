import { test } from "node:test";
import assert from "node:assert/strict";
import { checkC1Pixel, checkConvOutputSize, checkConvParamCount } from "./c1";
import { conv2d } from "../scratch/conv2d";
import { tensor } from "../scratch/tensor";

test("doc example: checkConvParamCount accepts (K·K·Cin + 1)·Cout", () => {
  const result = checkConvParamCount((k, cin, cout) => (k * k * cin + 1) * cout);
  assert.equal(result.ok, true);
  // C1: (5·5·1 + 1)·6 = 156 and C5: (5·5·16 + 1)·120 = 48,120 are the paper's counts.
  assert.match(result.message, /^✓ C1 → 156 and C5 → 48,120/);
});

test("checkConvParamCount names the usual slips", () => {
  const cases: [(k: number, cin: number, cout: number) => number, RegExp][] = [
    [() => 0, /starter/],
    // C1 without biases: 5·5·1·6 = 150.
    [
      (k, cin, cout) => k * k * cin * cout,
      /returned 150; expected 156 — that leaves out the biases/,
    ],
    [(k, cin, cout) => (k * k + 1) * cin * cout, /bias to every \(input map, output map\) pair/],
    [(k, cin) => k * k * cin + 1, /counts one kernel/],
    // Right for C1 (Cin = 1), wrong for C5: (25 + 1)·120 = 3,120.
    [
      (k, _cin, cout) => (k * k + 1) * cout,
      /C5\) returned 3,120; expected 48,120 — that ignores the 16 input maps/,
    ],
    [(k, cin, cout) => (k + 1) * cin * cout, /has 25 weights, not 5/],
    [() => 7, /returned 7; expected 156 = \(K·K·Cin \+ 1\)·Cout/],
    [() => Number.NaN, /returned NaN, not a number/],
  ];
  for (const [wrong, message] of cases) {
    const result = checkConvParamCount(wrong);
    assert.equal(result.ok, false);
    assert.match(result.message, message);
  }
});

test("checkConvParamCount catches a throw instead of throwing", () => {
  const result = checkConvParamCount(() => {
    throw new Error("TODO");
  });
  assert.deepEqual(result, { ok: false, message: "✗ convParamCount threw: TODO" });
});

test("doc example: checkConvOutputSize accepts ⌊(H + 2p − K)/s⌋ + 1", () => {
  const result = checkConvOutputSize((h, k, p, s) => Math.floor((h + 2 * p - k) / s) + 1);
  assert.equal(result.ok, true);
  assert.match(result.message, /^✓ C1 32 → 28/);
});

test("checkConvOutputSize names the usual slips", () => {
  const cases: [(h: number, k: number, p: number, s: number) => number, RegExp][] = [
    [() => 0, /starter/],
    // C1: 32 − 5 = 27 without the +1.
    [(h, k, p, s) => Math.floor((h + 2 * p - k) / s), /returned 27; expected 28 — one short/],
    // Padded modern C1: 28 + 2 − 5 + 1 = 26 instead of 28.
    [
      (h, k, p, s) => Math.floor((h + p - k) / s) + 1,
      /returned 26; expected 28 — the padding goes on both sides/,
    ],
    // Stride 2, 32 − 5 = 27: 27/2 + 1 = 14.5.
    [
      (h, k, p, s) => (h + 2 * p - k) / s + 1,
      /returned 14.5; expected 14 — .* round \(H \+ 2p − K\)\/s down/,
    ],
    [(h, k, p, s) => Math.ceil((h + 2 * p - k) / s) + 1, /returned 15; expected 14 — rounded up/],
    // S2's windows: 28 − 2 + 1 = 27 instead of 14.
    [(h, k, p) => h + 2 * p - k + 1, /returned 27; expected 14 — that ignores the stride/],
    [
      (h, k, _p, s) => Math.floor((h - k) / s) + 1,
      /returned 24; expected 28 — that ignores the padding/,
    ],
  ];
  for (const [wrong, message] of cases) {
    const result = checkConvOutputSize(wrong);
    assert.equal(result.ok, false, String(wrong));
    assert.match(result.message, message);
  }
});

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
