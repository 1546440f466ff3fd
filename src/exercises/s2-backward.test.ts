import { test } from "node:test";
import assert from "node:assert/strict";
import { subsamplingBackward } from "../scratch/subsampling";
import type { Tensor } from "../scratch/tensor";
import { checkS2Backward } from "./s2-backward";

const zerosLike = (t: Tensor): Tensor => ({
  shape: [...t.shape],
  data: new Float64Array(t.data.length),
});

test("doc example: checkS2Backward accepts the library's subsamplingBackward", () => {
  const result = checkS2Backward((x, coefficient, delta) =>
    subsamplingBackward(x, coefficient, delta),
  );
  assert.equal(result.ok, true);
  assert.match(result.message, /^✓ S2's backward pass matches finite differences/);
});

test("checkS2Backward rejects the starter (all zeros) and says so", () => {
  const result = checkS2Backward((x, coefficient) => ({
    dx: zerosLike(x),
    dCoefficient: zerosLike(coefficient),
    dBias: zerosLike(coefficient),
  }));
  assert.equal(result.ok, false);
  assert.match(result.message, /^✗ every gradient is 0 — still the starter/);
});

test("checkS2Backward: a dCoefficient without the block sums fails on dCoefficient", () => {
  const result = checkS2Backward((x, coefficient, delta) => {
    const right = subsamplingBackward(x, coefficient, delta);
    const dCoefficient = zerosLike(coefficient);
    delta.data.forEach((d, i) => (dCoefficient.data[i % coefficient.data.length] += d));
    return { ...right, dCoefficient };
  });
  assert.equal(result.ok, false);
  assert.match(result.message, /^✗ dCoefficient differs from finite differences/);
});

test("checkS2Backward names a dx that forgot the coefficient", () => {
  const result = checkS2Backward((x, coefficient, delta) => {
    const right = subsamplingBackward(x, coefficient, delta);
    const [, height, width, channels] = x.shape;
    const dx = zerosLike(x);
    for (let i = 0; i < dx.data.length; i++) {
      const c = i % channels;
      const j = Math.floor(i / channels) % width;
      const row = Math.floor(i / (channels * width)) % height;
      const n = Math.floor(i / (channels * width * height));
      dx.data[i] =
        delta.data[
          ((n * (height / 2) + Math.floor(row / 2)) * (width / 2) + Math.floor(j / 2)) * channels +
            c
        ];
    }
    return { ...right, dx };
  });
  assert.equal(result.ok, false);
  assert.match(result.message, /dx differs .*not multiplied by w_c/);
});

test("checkS2Backward rejects a wrong shape and a throwing function without throwing", () => {
  const wrongShape = checkS2Backward((x, coefficient, delta) => ({
    ...subsamplingBackward(x, coefficient, delta),
    dx: delta,
  }));
  assert.equal(wrongShape.ok, false);
  assert.match(
    wrongShape.message,
    /dx has shape \[2, 2, 3, 3\]; it must have the shape of its input, \[2, 4, 6, 3\]/,
  );
  const thrown = checkS2Backward(() => {
    throw new Error("TODO");
  });
  assert.equal(thrown.ok, false);
  assert.match(thrown.message, /s2Backward threw: TODO/);
});
