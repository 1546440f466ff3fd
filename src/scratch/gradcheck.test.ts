import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../rng";
import {
  assertGradient,
  checkGradient,
  numericalGradient,
  randomTensor,
  weightedSum,
} from "./gradcheck";
import { relu, reluBackward } from "./relu";
import { tensor } from "./tensor";

test("doc examples", () => {
  {
    const p = tensor([2], [3, -1], "float64");
    const g = numericalGradient(() => p.data[0] ** 2 + 5 * p.data[1], p); // ≈ [6, 5]
    assert.ok(Math.abs(g.data[0] - 6) < 1e-8 && Math.abs(g.data[1] - 5) < 1e-8);
  }
  {
    const p = tensor([2], [3, -1], "float64");
    const analytic = tensor([2], [6, 5], "float64");
    const { maxRelError } = checkGradient(() => p.data[0] ** 2 + 5 * p.data[1], p, analytic);
    // maxRelError < 1e-8, passed === true
    assert.ok(maxRelError < 1e-8);
  }
  {
    const x = randomTensor(new Rng(1), [2, 3]);
    const r = randomTensor(new Rng(2), [2, 3]);
    assertGradient(() => weightedSum(relu(x), r), x, reluBackward(x, r), { label: "relu dx" });
  }
  assert.equal(weightedSum(tensor([2], [1, 2]), tensor([2], [3, 4])), 11); // 1·3 + 2·4 = 11
  {
    const x = randomTensor(new Rng(1), [1, 4, 4, 2]); // Float64, values in [-1, 1)
    assert.ok(x.data instanceof Float64Array);
    assert.deepEqual(x.shape, [1, 4, 4, 2]);
    assert.ok(x.data.every((v) => v >= -1 && v < 1));
  }
});

test("numericalGradient restores the parameter bit for bit", () => {
  const p = randomTensor(new Rng(3), [5]);
  const before = Float64Array.from(p.data);
  numericalGradient(() => Array.from(p.data).reduce((a, b) => a + Math.sin(b), 0), p);
  assert.deepEqual([...p.data], [...before]);
});

test("a wrong gradient is caught", () => {
  // d(x0² + 5·x1)/dx at (3, −1) is [6, 5]; [6, 4] is off by 1 on a scale of 6.
  const p = tensor([2], [3, -1], "float64");
  const f = () => p.data[0] ** 2 + 5 * p.data[1];
  const wrong = tensor([2], [6, 4], "float64");
  const result = checkGradient(f, p, wrong);
  assert.equal(result.passed, false);
  assert.ok(Math.abs(result.maxAbsError - 1) < 1e-6);
  assert.ok(Math.abs(result.maxRelError - 1 / 6) < 1e-6);
  assert.throws(() => assertGradient(f, p, wrong, { label: "toy" }), /toy: analytic and numerical/);
  assert.equal(checkGradient(f, p, wrong, { tol: 0.2 }).passed, true);
});

test("shape mismatches throw a RangeError", () => {
  const p = tensor([2], [0, 0], "float64");
  assert.throws(() => checkGradient(() => 0, p, tensor([3], [0, 0, 0])), RangeError);
  assert.throws(() => weightedSum(tensor([2], [1, 2]), tensor([1, 2], [1, 2])), /weightedSum/);
});

test("randomTensor is reproducible and honours range and type", () => {
  const a = randomTensor(new Rng(9), [3, 4], { low: 2, high: 5, type: "float32" });
  const b = randomTensor(new Rng(9), [3, 4], { low: 2, high: 5, type: "float32" });
  assert.ok(a.data instanceof Float32Array);
  assert.deepEqual([...a.data], [...b.data]);
  assert.ok(a.data.every((v) => v >= 2 && v <= 5));
});
