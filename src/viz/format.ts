/**
 * Numbers as a reader expects them on a chart: plain decimals ("0.1", "0.0005", "48,120"), and
 * powers of ten as "1e-5" once they get too small or too large to read as decimals — never SI
 * prefixes ("100m", "500µ"), which Plot's log axes use by default. Also the tick positions of a
 * log axis (decades, with 2 and 5 between them when the axis spans few decades) and the rough
 * text widths the builders use to decide whether labels fit. No paper reference: chart plumbing.
 */

/** At or below this magnitude (and at or above {@link EXPONENT_ABOVE}) numbers are written as "1e-4"; 0.0005 stays a decimal. */
const EXPONENT_BELOW = 1e-4;
/** At or above this magnitude numbers are written as "1e6". */
const EXPONENT_ABOVE = 1e6;

/** "5.00e-5" → "5e-5", "1.20e+6" → "1.2e6": exponent notation without padding zeros or "+". */
function shortExponential(value: number, significant: number): string {
  const [mantissa, exponent] = value.toExponential(significant - 1).split("e");
  const trimmed = mantissa.includes(".") ? mantissa.replace(/\.?0+$/, "") : mantissa;
  return `${trimmed}e${Number(exponent)}`;
}

/**
 * A number for a chart label, to `significant` digits (default 3): "0.0005", "0.95", "153",
 * "48,120", "1e-5", "2.5e-4". Integers of 1,000 and more keep all their digits, with commas.
 * @example
 * ```ts
 * formatNumber(0.0005); // "0.0005"
 * formatNumber(1e-5); // "1e-5"
 * formatNumber(48120); // "48,120"
 * ```
 */
export function formatNumber(value: number, significant = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude <= EXPONENT_BELOW || magnitude >= EXPONENT_ABOVE)
    return shortExponential(value, significant);
  if (magnitude >= 1000) return value.toLocaleString("en-US", { maximumFractionDigits: 0 });
  return String(Number(value.toPrecision(significant)));
}

/**
 * Tick positions of a log axis over `[low, high]` (both > 0): every power of ten inside it, and
 * 2× and 5× between them when it spans fewer than three decades, so that a short axis still has
 * labelled ticks. Includes `low` itself when it is a power of ten (the axis floor is labelled).
 */
export function logTicks(low: number, high: number): number[] {
  if (!(low > 0 && high >= low)) throw new RangeError(`logTicks: bad domain [${low}, ${high}]`);
  const from = Math.floor(Math.log10(low));
  const to = Math.ceil(Math.log10(high));
  const multiples = to - from < 3 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let e = from; e <= to; e++)
    for (const m of multiples) {
      const tick = Number(`${m}e${e}`); // exact decimal, unlike m * 10 ** e
      if (tick >= low * (1 - 1e-9) && tick <= high * (1 + 1e-9)) ticks.push(tick);
    }
  return ticks;
}

/**
 * The floor of a log bar axis: the power of ten strictly below the smallest value, so that the
 * smallest bar still has a visible height (a bar from its own value to itself draws nothing).
 */
export function logFloor(smallest: number): number {
  if (!(smallest > 0)) throw new RangeError(`logFloor: ${smallest} is not > 0`);
  return Number(`1e${Math.ceil(Math.log10(smallest) - 1e-9) - 1}`);
}

/** Rough rendered width in px of `text` in a sans-serif font of `fontSize` px (no measuring). */
export function textWidth(text: string, fontSize: number): number {
  let ems = 0;
  for (const c of text) ems += /[.,:;|!il1' ]/.test(c) ? 0.32 : /[A-Zmw]/.test(c) ? 0.72 : 0.58;
  return ems * fontSize;
}

/**
 * The smallest tick rotation (degrees, 0 … 90) at which labels `step` px apart do not overlap:
 * 0 if the widest fits flat, else the angle at which neighbouring slanted labels stand a line
 * height apart.
 */
export function tickRotation(labels: readonly string[], step: number, fontSize: number): number {
  const widest = Math.max(0, ...labels.map((label) => textWidth(label, fontSize)));
  if (widest + 4 <= step) return 0;
  const line = fontSize * 1.25;
  for (const angle of [30, 45, 60])
    if (step * Math.sin((angle * Math.PI) / 180) >= line) return angle;
  return 90;
}

/** Height in px that labels of `fontSize` need below an axis when rotated by `angle` degrees. */
export function rotatedHeight(labels: readonly string[], angle: number, fontSize: number): number {
  const widest = Math.max(0, ...labels.map((label) => textWidth(label, fontSize)));
  const radians = (angle * Math.PI) / 180;
  return widest * Math.sin(radians) + fontSize * Math.cos(radians);
}

/** {@link formatNumber} with its default precision, safe to pass where an index follows the value (Array.map, Plot's tickFormat). */
export const formatTick = (value: number): string => formatNumber(value);
