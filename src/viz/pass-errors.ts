/**
 * Training and test error (in %) against the pass through the training set, with the paper's
 * reported values drawn beside the curves as dashed reference lines: the paper's Fig. 5
 * (LeCun et al. 1998, Section III-B) regenerated from a run's per-pass history.
 * Input shape: per-pass records [n] with a pass number and error rates (0–1), or accuracies.
 * Output shape: a Chart.
 */
import * as Plot from "@observablehq/plot";
import { SERIES_COLORS, chart, composeFigure, type Chart, type ChartOptions } from "./chart";
import { formatTick, logTicks } from "./format";
import { plotSvg } from "./plot-svg";

/** One per-pass record: `epoch` (or `pass`) and training/test accuracy or error, 0–1. */
export interface PassRecord {
  readonly epoch?: number;
  readonly pass?: number;
  readonly trainAccuracy?: number | null;
  readonly testAccuracy?: number | null;
  readonly trainError?: number | null;
  readonly testError?: number | null;
}

/** A value the paper reports, drawn as a dashed line across the chart. */
export interface PaperReference {
  /** Which curve it belongs to. */
  readonly curve: "training" | "test";
  /** The error rate, 0–1. */
  readonly error: number;
  /** Its label, e.g. "paper: 0.35% after 19 passes". */
  readonly label: string;
}

/** Options of {@link passErrors}. */
export interface PassErrorsOptions extends ChartOptions {
  /** The paper's values to draw beside the curves (default none). */
  readonly paper?: readonly PaperReference[];
}

/** One point of a curve: error in %. */
export interface PassErrorPoint {
  readonly pass: number;
  readonly error: number;
  readonly curve: "training" | "test";
}

/** The error of a record's `kind`, from its error field or 1 − its accuracy field. */
function errorOf(record: PassRecord, kind: "train" | "test"): number | undefined {
  const error = kind === "train" ? record.trainError : record.testError;
  if (typeof error === "number" && Number.isFinite(error)) return error;
  const accuracy = kind === "train" ? record.trainAccuracy : record.testAccuracy;
  if (typeof accuracy === "number" && Number.isFinite(accuracy)) return 1 - accuracy;
  return undefined;
}

/** The curves' points (error in %), before drawing; records without a value leave gaps. */
export function passErrorData(records: readonly PassRecord[]): PassErrorPoint[] {
  if (records.length === 0) throw new RangeError("passErrors: no records");
  const points: PassErrorPoint[] = [];
  records.forEach((record, index) => {
    const pass = record.pass ?? record.epoch ?? index + 1;
    for (const [kind, curve] of [
      ["train", "training"],
      ["test", "test"],
    ] as const) {
      const error = errorOf(record, kind);
      if (error !== undefined) points.push({ pass, error: 100 * error, curve });
    }
  });
  if (points.length === 0)
    throw new RangeError("passErrors: the records hold no error or accuracy");
  return points;
}

/**
 * Fig. 5 of the paper for any run: training and test error per pass, log scale, the paper's
 * values as dashed lines in the same colours.
 * @example
 * ```ts
 * const history = [
 *   { epoch: 1, trainAccuracy: 0.96, testAccuracy: 0.97 },
 *   { epoch: 2, trainAccuracy: 0.98, testAccuracy: 0.98 },
 * ];
 * const svg = renderSvg(
 *   passErrors(history, { paper: [{ curve: "test", error: 0.0095, label: "paper: 0.95%" }] }),
 * );
 * ```
 */
export function passErrors(records: readonly PassRecord[], options: PassErrorsOptions = {}): Chart {
  const points = passErrorData(records);
  const paper = options.paper ?? [];
  const curves = ["training", "test"] as const;
  const colors = [SERIES_COLORS[0], SERIES_COLORS[1]];
  const colorOf = (curve: "training" | "test") => colors[curves.indexOf(curve)];
  const values = [...points.map((p) => p.error), ...paper.map((p) => 100 * p.error)].filter(
    (v) => v > 0,
  );
  const low = Number(`1e${Math.floor(Math.log10(Math.min(...values)))}`);
  const high = Number(`1e${Math.ceil(Math.log10(Math.max(...values)))}`);
  const passes = points.map((p) => p.pass);
  const references = paper.map((p) => ({ ...p, percent: 100 * p.error }));
  return chart((document) =>
    composeFigure(document, {
      title: options.title ?? "Training and test error per pass",
      subtitle: options.subtitle,
      theme: options.theme,
      legend: {
        kind: "swatches",
        entries: [
          ...curves.map((curve) => ({
            label: `${curve} error`,
            color: colorOf(curve),
            shape: "line" as const,
          })),
        ],
      },
      bodies: [
        plotSvg(document, {
          width: options.width ?? 640,
          height: 300,
          marginLeft: 52,
          marginRight: 20,
          marginTop: 24,
          marginBottom: 40,
          x: {
            domain: [Math.min(...passes), Math.max(...passes)],
            label: "pass through the training set →",
            labelAnchor: "center",
          },
          y: {
            type: "log",
            label: "↑ error (%, log scale)",
            grid: true,
            domain: [low, high],
            ticks: logTicks(low, high),
            tickFormat: formatTick,
          },
          marks: [
            Plot.ruleY(references, {
              y: "percent",
              stroke: (d: PaperReference) => colorOf(d.curve),
              strokeDasharray: "5 4",
              strokeWidth: 1.5,
            }),
            Plot.text(references, {
              // At the first pass, where the curves are highest: clear of them.
              x: Math.min(...passes),
              y: "percent",
              text: "label",
              textAnchor: "start",
              dx: 4,
              dy: -7,
              // Text in the page's colour: the dashed line beside it carries the curve's colour
              // (the test curve's yellow is too faint for text on white).
            }),
            ...curves.map((curve) =>
              Plot.line(
                points.filter((p) => p.curve === curve),
                { x: "pass", y: "error", stroke: colorOf(curve), strokeWidth: 2 },
              ),
            ),
            ...curves.map((curve) =>
              Plot.dot(
                points.filter((p) => p.curve === curve),
                { x: "pass", y: "error", fill: colorOf(curve), r: 2.5 },
              ),
            ),
          ],
        }),
      ],
    }),
  );
}
