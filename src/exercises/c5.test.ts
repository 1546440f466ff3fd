import { test } from "node:test";
import assert from "node:assert/strict";
import { checkC5AsDense, checkC5OutputSide } from "./c5";
import type { Tensor } from "../scratch/tensor";

test("doc example: the right output side passes", () => {
  const result = checkC5OutputSide((s) => ((s - 4) / 2 - 4) / 2 - 4);
  assert.equal(result.ok, true);
  assert.match(result.message, /^✓ right for 32, 36, 40 and 64/);
});

test("the unfinished starter (return 0) fails with the chain of sides", () => {
  const result = checkC5OutputSide(() => 0);
  assert.equal(result.ok, false);
  // 32 → 28 → 14 → 10 → 5 → 1
  assert.match(
    result.message,
    /^✗ for a 32×32 input .* returned 0; expected 1 \(input 32 → C1 28 → S2 14 → C3 10 → S4 5 → C5 1\)$/,
  );
});

test("always 1 (a dense layer's view) fails at 36 with a reason", () => {
  const result = checkC5OutputSide(() => 1);
  // 36 → 32 → 16 → 12 → 6 → 2
  assert.match(result.message, /36×36 input .* returned 1; expected 2 .*it is a convolution/);
});

test("forgetting the subsampling is named: 32 − 12 = 20", () => {
  const result = checkC5OutputSide((s) => s - 12);
  assert.match(result.message, /returned 20; expected 1 .*left out S2 and S4/);
});

test("shrinking by K instead of K − 1 is named: ((32 − 5)/2 − 5)/2 − 5 = −0.75", () => {
  const result = checkC5OutputSide((s) => ((s - 5) / 2 - 5) / 2 - 5);
  assert.match(result.message, /returned -0.75; .*takes 4 off a side/);
});

test("a throwing function is reported", () => {
  const result = checkC5OutputSide(() => {
    throw new Error("TODO");
  });
  assert.match(result.message, /^✗ your function threw: TODO \(input side 32\)$/);
});

test("doc example: the NHWC reshape passes", () => {
  const result = checkC5AsDense((kernel) => ({ shape: [400, 120], data: kernel.data }));
  assert.equal(result.ok, true);
  assert.match(result.message, /^✓ dense\(flatten\(x\), W\) equals conv2d/);
});

test("the unfinished starter (kernel unchanged) fails on the shape", () => {
  const result = checkC5AsDense((kernel) => kernel);
  assert.equal(result.ok, false);
  assert.match(result.message, /shape \[5, 5, 16, 120\]; expected \[400, 120\]/);
});

test("transposed weights [120, 400] are named", () => {
  const result = checkC5AsDense((kernel) => ({ shape: [120, 400], data: kernel.data }));
  assert.match(result.message, /\[inputs, outputs\] = \[400, 120\]/);
});

test("channel-first (NCHW) rows are named", () => {
  const result = checkC5AsDense((kernel) => {
    const data = new Float32Array(400 * 120);
    for (let ky = 0; ky < 5; ky++)
      for (let kx = 0; kx < 5; kx++)
        for (let ci = 0; ci < 16; ci++)
          for (let o = 0; o < 120; o++)
            data[((ci * 5 + ky) * 5 + kx) * 120 + o] =
              kernel.data[((ky * 5 + kx) * 16 + ci) * 120 + o];
    return { shape: [400, 120], data };
  });
  assert.match(result.message, /NCHW order/);
});

test("other wrong values fail on the numerical comparison", () => {
  const result = checkC5AsDense((kernel): Tensor => ({
    shape: [400, 120],
    data: kernel.data.map((v) => 2 * v),
  }));
  assert.equal(result.ok, false);
  assert.match(result.message, /differs from conv2d\(x, kernel\) by up to/);
});

test("a missing return value is named", () => {
  const result = checkC5AsDense(() => undefined as unknown as Tensor);
  assert.match(result.message, /should return a tensor \{ shape, data \}/);
});
