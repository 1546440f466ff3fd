/**
 * Test error (in %) against the pass through the training set for several runs, one line per run,
 * on a log axis: how the shipped runs compare epoch by epoch, with the paper's reported errors as
 * dashed reference lines. No paper reference for the chart itself (the paper's Fig. 5 plots one
 * run's training and test error per pass; see ./pass-errors for that).
 * Input shape: runs [r], each with per-pass records [n]. Output shape: a Chart.
 */
import * as Plot from "@observablehq/plot";
import { SERIES_COLORS, chart, composeFigure, type Chart, type ChartOptions } from "./chart";
import { formatNumber, formatTick } from "./format";
import type { PassRecord } from "./pass-errors";
import { plotSvg } from "./plot-svg";

/** One run: its name (the legend's label) and its per-pass history. */
export interface RunHistory {
  /** The run's name, e.g. "historical-batch16". */
  readonly name: string;
  /** Per-pass records: `epoch` (or `pass`) and test accuracy or test error, 0–1. */
  readonly history: readonly PassRecord[];
}

/** A reported error drawn as a dashed line across the chart. */
export interface ErrorReference {
  /** The error rate, 0–1. */
  readonly error: number;
  /** Its label, e.g. "paper: 0.95%". */
  readonly label: string;
}

/** Options of {@link runErrors}. */
export interface RunErrorsOptions extends ChartOptions {
  /** The x axis's label (default "pass through the training set →"). */
  readonly xLabel?: string;
  /** Reported errors to draw as dashed lines (default none). */
  readonly references?: readonly ErrorReference[];
  /** Height of the plot area's panel in px (default 320). */
  readonly height?: number;
}

/** One point of one run's line: test error in %. */
export interface RunErrorPoint {
  readonly run: string;
  readonly pass: number;
  readonly error: number;
}

/** The 1–2–5 steps of a log axis: 0.5, 1, 2, 5, 10, 20, … */
const STEPS = [1, 2, 5];

/** The largest 1–2–5 value at or below `value` (> 0). */
function stepBelow(value: number): number {
  const decade = Math.floor(Math.log10(value));
  for (let e = decade; ; e--)
    for (const m of [...STEPS].reverse()) {
      const step = Number(`${m}e${e}`);
      if (step <= value * (1 + 1e-9)) return step;
    }
}

/** The smallest 1–2–5 value at or above `value` (> 0). */
function stepAbove(value: number): number {
  const decade = Math.floor(Math.log10(value));
  for (let e = decade; ; e++)
    for (const m of STEPS) {
      const step = Number(`${m}e${e}`);
      if (step >= value * (1 - 1e-9)) return step;
    }
}

/** Every 1–2–5 value in [low, high]: a short log axis still gets a tick every few lines. */
function stepTicks(low: number, high: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(low)); e <= Math.ceil(Math.log10(high)); e++)
    for (const m of STEPS) {
      const tick = Number(`${m}e${e}`);
      if (tick >= low * (1 - 1e-9) && tick <= high * (1 + 1e-9)) ticks.push(tick);
    }
  return ticks;
}

/** The test error of a record, from its error field or 1 − its accuracy, or undefined. */
function testErrorOf(record: PassRecord): number | undefined {
  if (typeof record.testError === "number" && Number.isFinite(record.testError))
    return record.testError;
  if (typeof record.testAccuracy === "number" && Number.isFinite(record.testAccuracy))
    return 1 - record.testAccuracy;
  return undefined;
}

/** The lines' points (test error in %), before drawing; records without a value leave gaps. */
export function runErrorData(runs: readonly RunHistory[]): RunErrorPoint[] {
  if (runs.length === 0) throw new RangeError("runErrors: no runs");
  const points: RunErrorPoint[] = [];
  for (const run of runs)
    run.history.forEach((record, index) => {
      const error = testErrorOf(record);
      if (error !== undefined)
        points.push({
          run: run.name,
          pass: record.pass ?? record.epoch ?? index + 1,
          error: 100 * error,
        });
    });
  if (points.length === 0)
    throw new RangeError("runErrors: the runs hold no test error or accuracy");
  return points;
}

/**
 * Test error per pass of several runs, one coloured line each, on a log axis whose ends are the
 * 1–2–5 values around the data (so that the lowest and highest points sit inside it, labelled);
 * each point's exact value is in its tooltip. References (the paper's errors) are dashed lines
 * labelled at the first pass.
 * @example
 * ```ts
 * const runs = [
 *   { name: "a", history: [{ epoch: 1, testAccuracy: 0.97 }, { epoch: 2, testAccuracy: 0.98 }] },
 *   { name: "b", history: [{ epoch: 1, testAccuracy: 0.96 }, { epoch: 2, testAccuracy: 0.99 }] },
 * ];
 * const svg = renderSvg(runErrors(runs, { references: [{ error: 0.0095, label: "paper: 0.95%" }] }));
 * ```
 */
export function runErrors(runs: readonly RunHistory[], options: RunErrorsOptions = {}): Chart {
  const points = runErrorData(runs);
  const names = [...new Set(points.map((p) => p.run))];
  const colors = names.map((_, i) => SERIES_COLORS[i % SERIES_COLORS.length]);
  const references = (options.references ?? []).map((r) => ({ ...r, percent: 100 * r.error }));
  const values = [...points.map((p) => p.error), ...references.map((r) => r.percent)].filter(
    (v) => v > 0,
  );
  const low = stepBelow(Math.min(...values));
  const high = stepAbove(Math.max(...values));
  const passes = points.map((p) => p.pass);
  const first = Math.min(...passes);
  // Reference labels sit above their line, except a lower one that would touch the label of the
  // reference just above it: that one goes below its line.
  const sorted = [...references].sort((a, b) => b.percent - a.percent);
  const below = new Set<string>();
  for (let i = 1; i < sorted.length; i++)
    if (Math.log10(sorted[i - 1].percent / sorted[i].percent) < 0.15) below.add(sorted[i].label);
  const tooltip = (p: RunErrorPoint): string =>
    `${p.run}, pass ${p.pass}: ${formatNumber(p.error, 3)}% test error`;
  return chart((document) =>
    composeFigure(document, {
      title: options.title ?? "Test error per pass",
      subtitle: options.subtitle,
      theme: options.theme,
      legend: {
        kind: "swatches",
        entries: names.map((label, i) => ({ label, color: colors[i], shape: "line" as const })),
      },
      bodies: [
        plotSvg(document, {
          width: options.width ?? 640,
          height: options.height ?? 320,
          marginLeft: 52,
          marginRight: 20,
          marginTop: 24,
          marginBottom: 40,
          x: {
            domain: [first, Math.max(...passes)],
            label: options.xLabel ?? "pass through the training set →",
            labelAnchor: "center",
            tickFormat: formatTick,
          },
          y: {
            type: "log",
            label: "↑ test error (%, log scale)",
            grid: true,
            domain: [low, high],
            ticks: stepTicks(low, high),
            tickFormat: formatTick,
          },
          color: { domain: names, range: colors },
          marks: [
            Plot.ruleY(references, {
              y: "percent",
              stroke: "currentColor",
              strokeOpacity: 0.7,
              strokeDasharray: "5 4",
              strokeWidth: 1.2,
            }),
            ...[false, true].map((under) =>
              Plot.text(
                references.filter((r) => below.has(r.label) === under),
                {
                  x: first,
                  y: "percent",
                  text: "label",
                  textAnchor: "start",
                  dx: 4,
                  dy: under ? 9 : -7,
                },
              ),
            ),
            Plot.line(points, { x: "pass", y: "error", stroke: "run", z: "run", strokeWidth: 1.8 }),
            Plot.dot(points, {
              x: "pass",
              y: "error",
              fill: "run",
              r: 2.2,
              title: tooltip,
            }),
          ],
        }),
      ],
    }),
  );
}
