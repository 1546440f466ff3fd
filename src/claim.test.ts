// Tests of the notebooks' claim helper (claim.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { claim, ClaimError, formatMeasured } from "./claim";

function quietly<T>(run: () => T): { value: T; printed: string[] } {
  const printed: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => printed.push(args.join(" "));
  try {
    return { value: run(), printed };
  } finally {
    console.log = log;
  }
}

test("a true claim prints ✓ with the measured value and returns it", () => {
  const { value, printed } = quietly(() =>
    claim("more than a third saturate", 0.712, (v) => v > 1 / 3),
  );
  assert.equal(value, 0.712);
  assert.deepEqual(printed, ["✓ more than a third saturate — measured 0.712"]);
});

test("a false claim throws ClaimError naming the statement and the value, printing nothing", () => {
  const { printed } = quietly(() =>
    assert.throws(
      () => claim("the weights grew ten times", 18.9, (v) => v > 8 && v < 12),
      (error: unknown) =>
        error instanceof ClaimError &&
        error.message === '✗ claim false: "the weights grew ten times" — measured 18.9' &&
        error.statement === "the weights grew ten times",
    ),
  );
  assert.deepEqual(printed, []);
});

test("a custom format is used in the printed line and the error", () => {
  const percent = (v: number) => `${(v * 100).toFixed(1)}%`;
  const { printed } = quietly(() => claim("about 71% saturate", 0.7123, (v) => v > 0.7, percent));
  assert.deepEqual(printed, ["✓ about 71% saturate — measured 71.2%"]);
  assert.throws(() => claim("under 1%", 0.0118, (v) => v < 0.01, percent), /measured 1\.2%$/);
});

test("formatMeasured: one line per kind of value", () => {
  assert.equal(formatMeasured(48120), "48,120");
  assert.equal(formatMeasured(0.71234), "0.7123");
  assert.equal(formatMeasured(1e-5), "0.00001");
  assert.equal(formatMeasured(Number.NaN), "NaN");
  assert.equal(formatMeasured([0.133, 0.0712345]), "[0.133, 0.07123]");
  assert.equal(formatMeasured("C3"), "C3");
  assert.equal(formatMeasured({ a: 1 }), '{"a":1}');
});
