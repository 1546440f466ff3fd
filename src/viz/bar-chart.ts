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
import {
  formatNumber,
  formatTick,
  logFloor,
  logTicks,
  rotatedHeight,
  textWidth,
  tickRotation,
} from "./format";
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
  const grouped = groups.length > 0;
  const width = options.width ?? 640;
  const height = options.height ?? 320;
  const values = bars.map((bar) => bar.value);
  const layout = barLayout(categories, grouped ? groups.length : 1, values.map(formatTick), {
    width,
    height,
    log,
  });
  const base = log ? logFloor(Math.min(...values)) : 0;
  const top = headroomTop(base, Math.max(...values), layout.plotHeight, layout.valueRoom, log);
  const y1 = (): number => base;
  const format = (bar: Bar): string => formatNumber(bar.value);
  const tip = (bar: Bar): string =>
    `${bar.category}${grouped ? ` · ${bar.group}` : ""}: ${formatNumber(bar.value, 6)}`;
  const categoryAxis = {
    domain: categories,
    label: xLabel,
    labelAnchor: "center" as const,
    tickRotate: -layout.tickAngle,
  };
  const valueLabels =
    layout.valueAngle === null
      ? null
      : Plot.text(bars, {
          ...(grouped ? { fx: "category", x: "group" } : { x: "category" }),
          y: "value",
          text: format,
          ...(layout.valueAngle === 0
            ? { dy: -6 }
            : { rotate: -90, textAnchor: "start" as const, dy: -4, dx: 3 }),
          fontSize: VALUE_FONT,
          ariaDescription: "bar value",
        });
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
          width,
          height: height + layout.extraBottom,
          marginLeft: MARGIN_LEFT,
          marginRight: MARGIN_RIGHT,
          marginTop: MARGIN_TOP,
          marginBottom: MARGIN_BOTTOM + layout.extraBottom,
          y: {
            label: yLabel,
            type: log ? "log" : "linear",
            domain: [base, top],
            grid: true,
            ticks: log ? logTicks(base, top) : 5,
            tickFormat: formatTick,
          },
          ...(grouped
            ? {
                fx: { ...categoryAxis, padding: FACET_PADDING },
                x: { domain: groups, axis: null, padding: GROUP_PADDING },
                color: { domain: groups, range: colors },
              }
            : { x: { ...categoryAxis, padding: BAR_PADDING } }),
          marks: [
            Plot.barY(bars, {
              ...(grouped
                ? { fx: "category", x: "group", fill: "group" }
                : { x: "category", fill: ACCENT_COLOR }),
              y1,
              y2: "value",
              title: tip,
              ariaDescription: "bar",
            }),
            valueLabels,
            Plot.ruleY([base]),
          ],
        }),
      ],
    }),
  );
}

const MARGIN_LEFT = 60;
const MARGIN_RIGHT = 20;
const MARGIN_TOP = 28;
const MARGIN_BOTTOM = 40;
const FACET_PADDING = 0.15;
const GROUP_PADDING = 0.05;
const BAR_PADDING = 0.25;
/** Font size of the values printed on bars, and of Plot's axis ticks. */
const VALUE_FONT = 9;
const TICK_FONT = 10;

/** How a bar chart's labels fit: tick rotation, value labels flat/upright/left out, room. */
interface BarLayout {
  /** Rotation of the category tick labels, degrees (0 = flat). */
  readonly tickAngle: number;
  /** Extra bottom margin the rotated tick labels need, px. */
  readonly extraBottom: number;
  /** 0: values printed flat above bars; 90: upright; null: too narrow, values in tooltips only. */
  readonly valueAngle: 0 | 90 | null;
  /** Height of the plotting area, px. */
  readonly plotHeight: number;
  /** Room above the tallest bar its value label needs, px. */
  readonly valueRoom: number;
}

/**
 * Decides, from estimated text widths, how the labels fit without touching each other: category
 * ticks flat or slanted; bar values flat if they fit a bar's step, upright if a line fits it,
 * else left to the bars' tooltips (every bar has one).
 */
function barLayout(
  categories: readonly string[],
  perCategory: number,
  valueTexts: readonly string[],
  size: { width: number; height: number; log: boolean },
): BarLayout {
  const plotWidth = size.width - MARGIN_LEFT - MARGIN_RIGHT;
  const categoryStep = plotWidth / categories.length;
  const barStep =
    perCategory > 1 ? (categoryStep * (1 - FACET_PADDING)) / perCategory : categoryStep;
  const tickAngle = tickRotation(categories, categoryStep, TICK_FONT);
  const extraBottom =
    tickAngle === 0 ? 0 : Math.ceil(rotatedHeight(categories, tickAngle, TICK_FONT));
  const widest = Math.max(...valueTexts.map((text) => textWidth(text, VALUE_FONT)));
  const valueAngle = widest + 3 <= barStep ? 0 : VALUE_FONT * 1.3 <= barStep ? 90 : null;
  const valueRoom = valueAngle === 0 ? VALUE_FONT + 8 : valueAngle === 90 ? widest + 10 : 4;
  return {
    tickAngle,
    extraBottom,
    valueAngle,
    plotHeight: size.height - MARGIN_TOP - MARGIN_BOTTOM,
    valueRoom,
  };
}

/**
 * The top of the value axis: high enough above `max` that the tallest bar's label (`room` px)
 * stays inside the plot, clear of the axis title in the margin above it.
 */
function headroomTop(base: number, max: number, plotHeight: number, room: number, log: boolean) {
  const share = plotHeight / Math.max(plotHeight - room, plotHeight / 2);
  if (log) return base * (max / base) ** share;
  return max <= 0 ? 1 : max * share;
}
