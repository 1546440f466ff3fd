/**
 * Training progress as line charts: loss on top, accuracy (in %) below, one line per metric and
 * per run, sharing one x axis (epoch or step). No paper reference (Fig. 5 of the paper plots
 * training and test error against passes in the same spirit).
 *
 * Records are plain objects, e.g. lenet5's per-epoch `EpochResult`s or per-step `BatchProgress`es.
 * Defaults: x is the `step` field if records have one, else the `epoch` field — for records with
 * `epoch`, `batch` and `batches` (BatchProgress) the fractional epoch epoch − 1 + batch/batches —
 * else the record's position. Loss metrics: numeric fields whose name contains "loss"; accuracy
 * metrics: those containing "accuracy" (fractions 0–1 are drawn as %). Missing or null values
 * (a test accuracy not evaluated that epoch) leave gaps.
 * Input shape: records [n]. Output shape: a Chart.
 */
import * as Plot from "@observablehq/plot";
import {
  SERIES_COLORS,
  chart,
  composeFigure,
  keyToWords,
  type Chart,
  type ChartOptions,
  type DomDocument,
  type DomElement,
} from "./chart";
import { formatTick, logTicks } from "./format";
import { plotSvg } from "./plot-svg";

/** Options of {@link trainingCurves}; `T` is the record type. */
export interface TrainingCurvesOptions<T> extends ChartOptions {
  /** Field for the x axis (default: see the file header). */
  readonly x?: keyof T & string;
  /** Loss fields to draw (default: numeric fields whose name contains "loss"). */
  readonly loss?: readonly (keyof T & string)[];
  /** Accuracy fields to draw (default: fields whose name contains "accuracy"). */
  readonly accuracy?: readonly (keyof T & string)[];
  /** Field naming the run a record belongs to, for several runs in one chart (e.g. "model"). */
  readonly series?: keyof T & string;
  /** Loss axis type (default linear). */
  readonly lossScale?: "linear" | "log";
}

/** One point of one line. */
export interface TrainingPoint {
  readonly x: number;
  readonly value: number;
  readonly line: string;
}

/** The curves' points and axis names, before drawing. */
export interface TrainingCurveData {
  readonly xLabel: string;
  readonly loss: readonly TrainingPoint[];
  readonly accuracy: readonly TrainingPoint[];
  /** Line names in order of first appearance (legend order). */
  readonly lines: readonly string[];
}

type Row = Readonly<Record<string, unknown>>;

/** Field names present in any record with a number (or null) value. */
function numericKeys(rows: readonly Row[]): string[] {
  const keys = new Set<string>();
  for (const row of rows)
    for (const [key, value] of Object.entries(row))
      if (typeof value === "number" || value === null) keys.add(key);
  return [...keys];
}

/** Splits records into loss and accuracy points (see the file header for the defaults). */
export function trainingCurveData<T extends object>(
  records: readonly T[],
  options: TrainingCurvesOptions<T> = {},
): TrainingCurveData {
  if (records.length === 0) throw new RangeError("trainingCurves: no records");
  const rows = records as readonly object[] as readonly Row[];
  const keys = numericKeys(rows);
  const has = (key: string): boolean => keys.includes(key);
  let xOf: (row: Row, index: number) => unknown;
  let xLabel: string;
  if (options.x !== undefined) {
    const key = options.x;
    [xOf, xLabel] = [(row) => row[key], keyToWords(key)];
  } else if (has("step")) [xOf, xLabel] = [(row) => row.step, "step"];
  else if (has("epoch") && has("batch") && has("batches"))
    [xOf, xLabel] = [
      (row) => (row.epoch as number) - 1 + (row.batch as number) / (row.batches as number),
      "epoch",
    ];
  else if (has("epoch")) [xOf, xLabel] = [(row) => row.epoch, "epoch"];
  else [xOf, xLabel] = [(_, index) => index + 1, "record"];
  const lossKeys = options.loss ?? keys.filter((key) => /loss/i.test(key));
  const accuracyKeys = options.accuracy ?? keys.filter((key) => /accuracy/i.test(key));
  if (lossKeys.length + accuracyKeys.length === 0)
    throw new RangeError(
      `trainingCurves: no loss or accuracy fields among ${keys.join(", ") || "(none)"}; name them with the loss/accuracy options`,
    );
  const lines: string[] = [];
  const collect = (metricKeys: readonly string[]): TrainingPoint[] => {
    const points: TrainingPoint[] = [];
    for (const key of metricKeys)
      rows.forEach((row, index) => {
        const [x, value] = [xOf(row, index), row[key]];
        if (typeof x !== "number" || typeof value !== "number" || !Number.isFinite(value)) return;
        const run = options.series === undefined ? undefined : row[options.series];
        const line = run === undefined ? keyToWords(key) : `${String(run)} · ${keyToWords(key)}`;
        if (!lines.includes(line)) lines.push(line);
        points.push({ x, value, line });
      });
    return points;
  };
  const loss = collect(lossKeys);
  const rawAccuracy = collect(accuracyKeys);
  if (loss.length + rawAccuracy.length === 0)
    throw new RangeError("trainingCurves: the records hold no finite loss or accuracy value");
  // Fractions become %; values already above 1 are taken to be % already.
  const fraction = rawAccuracy.every((point) => point.value <= 1);
  const accuracy = fraction
    ? rawAccuracy.map((point) => ({ ...point, value: 100 * point.value }))
    : rawAccuracy;
  return { xLabel, loss, accuracy, lines };
}

/**
 * A panel's value axis: ticks written as plain numbers ("0.1", "0.01", "1e-4"); on a log axis
 * one per decade (with 2 and 5 when the values span few), from the decade below the smallest
 * value to the one above the largest, so the lowest points are labelled too.
 */
function valueAxis(
  points: readonly TrainingPoint[],
  label: string,
  type: "linear" | "log",
): Plot.ScaleOptions {
  if (type === "linear") return { label, type, grid: true, nice: true, tickFormat: formatTick };
  const positive = points.map((point) => point.value).filter((value) => value > 0);
  if (positive.length === 0) return { label, type, grid: true };
  const low = Number(`1e${Math.floor(Math.log10(Math.min(...positive)))}`);
  const high = Number(`1e${Math.ceil(Math.log10(Math.max(...positive)))}`);
  return {
    label,
    type,
    grid: true,
    domain: [low, high],
    ticks: logTicks(low, high),
    tickFormat: formatTick,
  };
}

/**
 * Loss and accuracy per epoch or step, one line per metric (and per run with `series`).
 * @example
 * ```ts
 * const epochs = [
 *   { epoch: 1, loss: 0.52, trainAccuracy: 0.86, testAccuracy: 0.95 },
 *   { epoch: 2, loss: 0.17, trainAccuracy: 0.95, testAccuracy: 0.97 },
 *   { epoch: 3, loss: 0.11, trainAccuracy: 0.97, testAccuracy: 0.98 },
 * ];
 * const svg = renderSvg(trainingCurves(epochs));
 * ```
 */
export function trainingCurves<T extends object>(
  records: readonly T[],
  options: TrainingCurvesOptions<T> = {},
): Chart {
  const data = trainingCurveData(records, options);
  const colors = data.lines.map((_, i) => SERIES_COLORS[i % SERIES_COLORS.length]);
  const xs = [...data.loss, ...data.accuracy].map((point) => point.x);
  const xDomain = [Math.min(...xs), Math.max(...xs)];
  const width = options.width ?? 640;
  const panel = (
    document: DomDocument,
    points: readonly TrainingPoint[],
    yLabel: string,
    type: "linear" | "log",
    last: boolean,
  ): DomElement => {
    const perLine = points.length / new Set(points.map((point) => point.line)).size;
    return plotSvg(document, {
      width,
      height: last ? 220 : 190,
      marginLeft: 52,
      marginRight: 20,
      marginTop: 24,
      marginBottom: last ? 40 : 10,
      x: {
        domain: xDomain,
        label: `${data.xLabel} →`,
        labelAnchor: "center",
        axis: last ? "bottom" : null,
      },
      y: valueAxis(points, yLabel, type),
      color: { domain: [...data.lines], range: colors },
      marks: [
        Plot.line(points, { x: "x", y: "value", stroke: "line", z: "line", strokeWidth: 2 }),
        perLine <= 40 ? Plot.dot(points, { x: "x", y: "value", fill: "line", r: 2.5 }) : null,
      ],
    });
  };
  return chart((document) => {
    const bodies: DomElement[] = [];
    const panels = [
      { points: data.loss, label: "↑ loss", type: options.lossScale ?? "linear" },
      { points: data.accuracy, label: "↑ accuracy (%)", type: "linear" as const },
    ].filter((entry) => entry.points.length > 0);
    panels.forEach((entry, i) =>
      bodies.push(panel(document, entry.points, entry.label, entry.type, i === panels.length - 1)),
    );
    return composeFigure(document, {
      title: options.title ?? "Training curves",
      subtitle: options.subtitle,
      theme: options.theme,
      legend: {
        kind: "swatches",
        entries: data.lines.map((label, i) => ({
          label,
          color: colors[i],
          shape: "line" as const,
        })),
      },
      bodies,
    });
  });
}
