import { test } from "node:test";
import assert from "node:assert/strict";
import { SCALED_TANH_A, SCALED_TANH_S } from "../paper";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";
import { assertGradient, randomTensor, weightedSum } from "./gradcheck";
import {
  scaledTanh,
  scaledTanhBackward,
  scaledTanhDerivative,
  scaledTanhScalar,
  scaledTanhBackward2,
} from "./scaled-tanh";
import { tensor } from "./tensor";

test("the paper's constants: A = 1.7159, S = 2/3", () => {
  assert.equal(SCALED_TANH_A, 1.7159);
  assert.equal(SCALED_TANH_S, 2 / 3);
});

test("f(±1) ≈ ±1: 1.7159 · tanh(2/3) = 0.99999726 (Appendix A)", () => {
  assert.ok(Math.abs(scaledTanhScalar(1) - 1) < 3e-6, `f(1) = ${scaledTanhScalar(1)}`);
  assert.ok(Math.abs(scaledTanhScalar(-1) + 1) < 3e-6, `f(-1) = ${scaledTanhScalar(-1)}`);
});

test("f'(0) = A · S = 1.7159 · 2/3 ≈ 1.14393", () => {
  assert.equal(scaledTanhDerivative(0), SCALED_TANH_A * SCALED_TANH_S);
  assert.ok(Math.abs(scaledTanhDerivative(0) - 1.143933) < 1e-6);
});

test("odd symmetry f(−a) = −f(a), even derivative, range inside (−A, A)", () => {
  for (const a of [0.1, 0.5, 1, 2.5, 7]) {
    assert.equal(scaledTanhScalar(-a), -scaledTanhScalar(a));
    assert.equal(scaledTanhDerivative(-a), scaledTanhDerivative(a));
  }
  assert.equal(scaledTanhScalar(0), 0);
  // Saturation: f(5) is already within 0.5% of A, and never beyond it.
  assert.ok(scaledTanhScalar(5) > 0.995 * SCALED_TANH_A);
  assert.ok(scaledTanhScalar(5) < SCALED_TANH_A);
  assert.ok(scaledTanhScalar(-5) > -SCALED_TANH_A);
});

test("the scalar derivative matches a central difference", () => {
  for (const a of [-2, -0.3, 0, 0.7, 1, 3]) {
    const numerical = (scaledTanhScalar(a + 1e-6) - scaledTanhScalar(a - 1e-6)) / 2e-6;
    assert.ok(Math.abs(scaledTanhDerivative(a) - numerical) < 1e-8, `f'(${a})`);
  }
});

test("doc examples", () => {
  assert.ok(Math.abs(scaledTanhScalar(1) - 1) < 1e-5); // 1.7159 · tanh(2/3) ≈ 1.00000
  assert.ok(Math.abs(scaledTanhDerivative(0) - 1.1439) < 1e-4); // A·S = 1.7159 · 2/3 ≈ 1.1439

  const y = scaledTanh(tensor([3], [-1, 0, 1])); // ≈ [-1, 0, 1]
  assertClose(y.data, [-1, 0, 1], { atol: 1e-5 });

  const dx = scaledTanhBackward(tensor([1], [0]), tensor([1], [2])); // [2 · 1.1439] = [2.2879]
  assertClose(dx.data, [2.2879], { atol: 1e-4 });
});

test("shape mismatch of dy throws a RangeError", () => {
  assert.throws(
    () => scaledTanhBackward(tensor([2], [0, 0]), tensor([3], [0, 0, 0])),
    /scaledTanhBackward dy for x \[2\]: expected shape \[2\], got \[3\]/,
  );
});

test("gradient check of dx (Float64)", () => {
  const rng = new Rng(31);
  const x = randomTensor(rng, [2, 3, 3, 4], { low: -3, high: 3 });
  const r = randomTensor(rng, [2, 3, 3, 4]);
  const y = scaledTanh(x);
  assert.ok(y.data instanceof Float64Array);
  assertGradient(() => weightedSum(scaledTanh(x), r), x, scaledTanhBackward(x, r), {
    label: "scaledTanh dx",
  });
});

test("scaledTanhBackward2: f'(a)² times d2y (Gauss–Newton)", () => {
  const d2a = scaledTanhBackward2(tensor([3], [0, 1, -2]), tensor([3], [1, 2, 3]));
  const expected = [0, 1, -2].map((a, i) => scaledTanhDerivative(a) ** 2 * (i + 1));
  assertClose(d2a.data, expected, { rtol: 1e-6 });
  assertClose([d2a.data[0]], [(SCALED_TANH_A * SCALED_TANH_S) ** 2], { rtol: 1e-6 }); // ≈ 1.3086
});
