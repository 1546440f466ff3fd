import { test } from "node:test";
import assert from "node:assert/strict";
import { checkC5AsDense } from "./c5";
import type { Tensor } from "../scratch/tensor";

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
