import { test } from "node:test";
import assert from "node:assert/strict";
import { checkDenseBackward, type DenseBackwardFunction } from "./backward";

const matmul = (a: number[][], b: number[][]): number[][] =>
  a.map((row) => b[0].map((_, k) => row.reduce((s, v, i) => s + v * b[i][k], 0)));
const transpose = (a: number[][]): number[][] => a[0].map((_, c) => a.map((row) => row[c]));

const right: DenseBackwardFunction = (x, w, dy) => ({
  dx: matmul(dy, transpose(w)),
  dW: matmul(transpose(x), dy),
  db: dy[0].map((_, k) => dy.reduce((s, row) => s + row[k], 0)),
});

test("checkDenseBackward: the right backward passes", () => {
  assert.equal(checkDenseBackward(right).ok, true);
});

test("checkDenseBackward names the slip: db not summed over the batch", () => {
  const r = checkDenseBackward((x, w, dy) => ({ ...right(x, w, dy), db: dy[0] }));
  assert.equal(r.ok, false);
  assert.match(r.message, /^✗ db differs.*sum over the batch/);
});

test("checkDenseBackward: a wrong dW, a wrong shape, a throw", () => {
  const wrongDw = checkDenseBackward((x, w, dy) => ({
    ...right(x, w, dy),
    dW: w.map((row) => row.map(() => 0)),
  }));
  assert.match(wrongDw.message, /^✗ dW differs/);
  const shape = checkDenseBackward((x, w, dy) => ({ ...right(x, w, dy), dx: [[1]] }));
  assert.match(shape.message, /dx should be 3 rows of 5 numbers/);
  const thrown = checkDenseBackward(() => {
    throw new Error("TODO");
  });
  assert.match(thrown.message, /threw: TODO/);
});
