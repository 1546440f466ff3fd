/**
 * Small statistics shared by Node and the browser (the benchmark, the site's playground): plain
 * arithmetic on numbers, no tfjs and no Node module. No paper reference.
 */

/**
 * The median of `values`: the middle one, or the mean of the middle two for an even count.
 * @example
 * ```ts
 * median([3, 1, 2, 10]); // 2.5
 * median([5, 1, 3]); // 3
 * ```
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median: no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
