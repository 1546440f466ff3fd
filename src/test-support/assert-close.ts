// Test-only helper (not part of the published package): compares two arrays of numbers and, on
// failure, names the largest difference and where it is.
import assert from "node:assert/strict";

/** Largest absolute difference between two equally long arrays, and its index. */
export function maxAbsDiff(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
): { diff: number; index: number } {
  assert.equal(actual.length, expected.length, `length ${actual.length} != ${expected.length}`);
  let diff = 0;
  let index = -1;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (d > diff || Number.isNaN(d)) {
      diff = Number.isNaN(d) ? Infinity : d;
      index = i;
    }
  }
  return { diff, index };
}

/**
 * Asserts |actual − expected| ≤ atol + rtol·|expected| element-wise. The failure message gives
 * `label`, the largest difference, its index and both values there.
 */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  {
    atol = 1e-5,
    rtol = 1e-4,
    label = "values",
  }: { atol?: number; rtol?: number; label?: string } = {},
): void {
  assert.equal(
    actual.length,
    expected.length,
    `${label}: length ${actual.length} != ${expected.length}`,
  );
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < actual.length; i++) {
    const excess = Math.abs(actual[i] - expected[i]) - (atol + rtol * Math.abs(expected[i]));
    if (excess > worstExcess || Number.isNaN(excess)) {
      worstExcess = Number.isNaN(excess) ? Infinity : excess;
      worst = i;
    }
  }
  if (worst >= 0) {
    const { diff, index } = maxAbsDiff(actual, expected);
    assert.fail(
      `${label}: largest difference ${diff.toExponential(3)} at index ${index} ` +
        `(actual ${actual[index]}, expected ${expected[index]}); ` +
        `tolerance atol=${atol}, rtol=${rtol}; first element out of tolerance at index ${worst}`,
    );
  }
}
