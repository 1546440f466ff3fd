/**
 * A bar chart for comparisons, e.g. trainable parameters per layer per model (Section II-B of
 * the paper counts C1 156 … F6 10,164). Bars may be grouped by a second field, one colour per
 * group, with a legend; values are printed on the bars. No paper reference beyond the example.
 * Input shape: records [n]. Output shape: a Chart.
 */
import * as Plot from "@observablehq/plot";
import {
  ACCENT_COLOR,
  SERIES_COLORS,
  chart,
  composeFigure,
  keyToWords,
  type Chart,
  type ChartOptions,
} from "./chart";
import { plotSvg } from "./plot-svg";

/** Options of {@link barChart}; `T` is the record type. */
export interface BarChartOptions<T> extends ChartOptions {
  /** Category field, along the x axis. */
  readonly x: keyof T & string;
  /** Value field, the bar height. */
  readonly y: keyof T & string;
  /** Field splitting each category into coloured bars side by side (e.g. "model"). */
  readonly group?: keyof T & string;
  /** x axis label (default: the x field in words). */
  readonly xLabel?: string;
  /** y axis label with its unit (default: the y field in words). */
  readonly yLabel?: string;
  /** Value axis type; `log` suits values spanning decades (default linear). */
  readonly yScale?: "linear" | "log";
  /** Height in px (default 320). */
  readonly height?: number;
}

/** A record's value as a number, or a clear error. */
function numberOf(record: object, key: string, index: number): number {
  const value = (record as Readonly<Record<string, unknown>>)[key];
  if (typeof value !== "number" || !Number.isFinite(value))
    throw new RangeError(`barChart: record ${index} has ${key} = ${String(value)}, not a number`);
  return value;
}

/** Distinct values of a field, in order of first appearance. */
function distinct(records: readonly object[], key: string): string[] {
  const seen: string[] = [];
  for (const record of records) {
    const value = String((record as Readonly<Record<string, unknown>>)[key]);
    if (!seen.includes(value)) seen.push(value);
  }
  return seen;
}

/** One drawn bar. */
interface Bar {
  readonly category: string;
  readonly group: string;
  readonly value: number;
}

/**
 * Bars of `y` per `x` category, optionally grouped by `group` (side by side, one colour each).
 * @example
 * ```ts
 * const rows = [
 *   { layer: "C1", model: "historical", params: 156 },
 *   { layer: "C1", model: "modern", params: 156 },
 *   { layer: "C3", model: "historical", params: 1516 },
 *   { layer: "C3", model: "modern", params: 2416 },
 * ];
 * const svg = renderSvg(barChart(rows, { x: "layer", y: "params", group: "model", yLabel: "trainable parameters" }));
 * ```
 */
export function barChart<T extends object>(
  records: readonly T[],
  options: BarChartOptions<T>,
): Chart {
  if (records.length === 0) throw new RangeError("barChart: no records");
  const categories = distinct(records, options.x);
  const groups = options.group === undefined ? [] : distinct(records, options.group);
  const bars: Bar[] = records.map((record, index) => ({
    category: String((record as Readonly<Record<string, unknown>>)[options.x]),
    group:
      options.group === undefined
        ? ""
        : String((record as Readonly<Record<string, unknown>>)[options.group]),
    value: numberOf(record, options.y, index),
  }));
  const log = options.yScale === "log";
  if (log && bars.some((bar) => bar.value <= 0))
    throw new RangeError("barChart: a log axis needs every value > 0");
  const colors = groups.map((_, i) => SERIES_COLORS[i % SERIES_COLORS.length]);
  const xLabel = options.xLabel ?? keyToWords(options.x);
  const yLabel = `↑ ${options.yLabel ?? keyToWords(options.y)}`;
  // A log axis has no 0: bars start at 1 (every value is ≥ 1 for counts).
  const base = log ? Math.min(1, ...bars.map((bar) => bar.value)) : 0;
  const y1 = (): number => base;
  const format = (bar: Bar): string =>
    bar.value.toLocaleString("en-US", { maximumFractionDigits: 3 });
  const grouped = groups.length > 0;
  return chart((document) =>
    composeFigure(document, {
      title: options.title ?? `${keyToWords(options.y)} per ${keyToWords(options.x)}`,
      subtitle: options.subtitle,
      theme: options.theme,
      legend: grouped
        ? { kind: "swatches", entries: groups.map((label, i) => ({ label, color: colors[i] })) }
        : undefined,
      bodies: [
        plotSvg(document, {
          width: options.width ?? 640,
          height: options.height ?? 320,
          marginLeft: 60,
          marginTop: 28,
          marginBottom: 40,
          y: { label: yLabel, type: log ? "log" : "linear", grid: !log, nice: !log },
          ...(grouped
            ? {
                fx: {
                  domain: categories,
                  label: xLabel,
                  labelAnchor: "center" as const,
                  padding: 0.15,
                },
                x: { domain: groups, axis: null, padding: 0.05 },
                color: { domain: groups, range: colors },
              }
            : {
                x: {
                  domain: categories,
                  label: xLabel,
                  labelAnchor: "center" as const,
                  padding: 0.25,
                },
              }),
          marks: [
            Plot.barY(bars, {
              ...(grouped
                ? { fx: "category", x: "group", fill: "group" }
                : { x: "category", fill: ACCENT_COLOR }),
              y1,
              y2: "value",
              ariaDescription: "bar",
            }),
            Plot.text(bars, {
              ...(grouped ? { fx: "category", x: "group" } : { x: "category" }),
              y: "value",
              text: format,
              dy: -6,
              fontSize: 9,
              ariaDescription: "bar value",
            }),
            Plot.ruleY([base]),
          ],
        }),
      ],
    }),
  );
}
