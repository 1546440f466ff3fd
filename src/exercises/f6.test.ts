import { test } from "node:test";
import assert from "node:assert/strict";
import { checkScaledTanh } from "./f6";

const A = 1.7159;
const S = 2 / 3;
const rightF = (a: number): number => A * Math.tanh(S * a);
const rightFPrime = (a: number): number => A * S * (1 - Math.tanh(S * a) ** 2);

test("doc example: the right f and f' pass", () => {
  const result = checkScaledTanh(
    (a) => 1.7159 * Math.tanh((2 / 3) * a),
    (a) => 1.7159 * (2 / 3) * (1 - Math.tanh((2 / 3) * a) ** 2),
  );
  assert.equal(result.ok, true);
  // f(1) = 1.7159·tanh(2/3) = 1.7159·0.58278 = 1.0000; f'(0) = 1.7159·2/3 = 1.1439
  assert.match(result.message, /^✓ .*f\(1\) = 1\.0000, f'\(0\) = A·S = 1\.1439/);
});

test("the unfinished starter (return 0) fails at the first non-zero point without throwing", () => {
  const result = checkScaledTanh(
    () => 0,
    () => 0,
  );
  assert.equal(result.ok, false);
  // f(0) = 0 is right by luck; f(1) = 1.7159·tanh(2/3) = 0.999997 (A is rounded to 4 decimals).
  assert.match(result.message, /^✗ f\(1\) returned 0\.000000; expected 0\.999997$/);
});

test("plain tanh is named", () => {
  const result = checkScaledTanh(Math.tanh, rightFPrime);
  assert.match(result.message, /f\(1\) returned 0\.761594; .*plain tanh/);
});

test("a missing S is named", () => {
  const result = checkScaledTanh((a) => A * Math.tanh(a), rightFPrime);
  assert.match(result.message, /not multiplied by S/);
});

test("a missing A is named", () => {
  const result = checkScaledTanh((a) => Math.tanh(S * a), rightFPrime);
  assert.match(result.message, /not multiplied by A/);
});

test("f' without the chain rule's S is named: f'(0) = 1.7159", () => {
  const result = checkScaledTanh(rightF, (a) => A * (1 - Math.tanh(S * a) ** 2));
  assert.match(result.message, /f'\(0\) returned 1\.715900; expected 1\.143933: the chain rule/);
});

test("f' = 1 − f² is named", () => {
  const result = checkScaledTanh(rightF, (a) => 1 - rightF(a) ** 2);
  assert.match(result.message, /1 − f² is the rule for plain tanh/);
});

test("an unsquared tanh in f' is caught at a negative a", () => {
  // At a = 0, 0.5 and 1 the value differs already: 1 − t vs 1 − t².
  const result = checkScaledTanh(rightF, (a) => A * S * (1 - Math.tanh(S * a)));
  assert.match(result.message, /tanh must be squared/);
});

test("a throwing f' is reported with the point", () => {
  const result = checkScaledTanh(rightF, () => {
    throw new Error("TODO");
  });
  assert.match(result.message, /^✗ your f' threw: TODO \(at a = 0\)$/);
});
