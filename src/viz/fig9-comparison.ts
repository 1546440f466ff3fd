/**
 * The paper's Fig. 9 ("Error rate on the test set (%) for various classification methods",
 * Section III-C) as horizontal bars, every row in the paper's order, with rows lenet5 measured
 * itself drawn beside them in another colour: the shipped networks and the baselines a chapter
 * computes (a linear classifier, k-nearest neighbours). A log error axis keeps the 0.7% rows and
 * the 12% linear classifier readable on one chart.
 * Input: measured rows { method, error } (error as a fraction). Output: a Chart.
 */
import * as Plot from "@observablehq/plot";
import { PAPER_FIG9 } from "../paper";
import {
  ACCENT_COLOR,
  HIGHLIGHT_COLOR,
  chart,
  composeFigure,
  type Chart,
  type ChartOptions,
} from "./chart";
import { formatNumber } from "./format";
import { plotSvg } from "./plot-svg";

/** A row lenet5 measured, drawn beside the paper's rows. */
export interface MeasuredError {
  /** Its label on the chart ("lenet5 historical", "linear, 2,000 digits, 1 pass"). */
  readonly method: string;
  /** Test error as a fraction (0.0118 for 1.18%). */
  readonly error: number;
}

/** Options of {@link fig9Comparison}. */
export interface Fig9ComparisonOptions extends ChartOptions {
  /** Where the measured rows go: after the paper's rows (default) or before them. */
  readonly measuredFirst?: boolean;
}

/** One bar. */
interface Bar {
  readonly method: string;
  readonly percent: number;
  readonly source: "paper" | "lenet5";
}

const ROW_HEIGHT = 17;
const PAPER_COLOR = ACCENT_COLOR;
const MEASURED_COLOR = HIGHLIGHT_COLOR;

/**
 * Fig. 9's 27 classifiers and lenet5's measured rows as one bar chart of test error (%).
 * @example
 * ```ts
 * const svg = renderSvg(fig9Comparison([{ method: "lenet5 historical", error: 0.0101 }]));
 * ```
 */
export function fig9Comparison(
  measured: readonly MeasuredError[],
  options: Fig9ComparisonOptions = {},
): Chart {
  for (const row of measured)
    if (!(row.error > 0 && row.error < 1))
      throw new RangeError(`fig9Comparison: ${row.method}'s error ${row.error} is not in (0, 1)`);
  const paperBars: Bar[] = PAPER_FIG9.map((row) => ({
    method: row.method,
    percent: 100 * row.error,
    source: "paper",
  }));
  const measuredBars: Bar[] = measured.map((row) => ({
    method: row.method,
    percent: 100 * row.error,
    source: "lenet5",
  }));
  const bars = options.measuredFirst
    ? [...measuredBars, ...paperBars]
    : [...paperBars, ...measuredBars];
  const methods = bars.map((bar) => bar.method);
  if (new Set(methods).size !== methods.length)
    throw new RangeError("fig9Comparison: a measured row repeats a method's label");
  const smallest = Math.min(...bars.map((bar) => bar.percent));
  const largest = Math.max(...bars.map((bar) => bar.percent));
  const floor = Number(`1e${Math.floor(Math.log10(smallest)) - 1}`) * 5; // half a decade below
  const ticks = [0.5, 1, 2, 5, 10, 20].filter((t) => t >= floor && t <= largest * 1.6);
  const longest = Math.max(...methods.map((m) => m.length));
  return chart((document) =>
    composeFigure(document, {
      title: options.title ?? "MNIST test error: the paper's Fig. 9 and lenet5's measured rows",
      subtitle:
        options.subtitle ??
        "paper: Fig. 9 (Section III-C), ±0.1% by the paper's estimate; lenet5: measured here (lower is better)",
      theme: options.theme,
      legend: {
        kind: "swatches",
        entries: [
          { label: "paper (1998)", color: PAPER_COLOR, shape: "box" },
          { label: "lenet5, measured", color: MEASURED_COLOR, shape: "box" },
        ],
      },
      bodies: [
        plotSvg(document, {
          width: options.width ?? 640,
          height: 40 + ROW_HEIGHT * bars.length,
          marginLeft: Math.min(260, 12 + 6 * longest),
          marginRight: 44,
          marginBottom: 36,
          y: { domain: methods, label: null, padding: 0.15 },
          x: {
            type: "log",
            domain: [floor, largest * 1.6],
            label: "test error (%), log scale →",
            labelAnchor: "center",
            ticks,
            tickFormat: () => "", // labelled by the text mark below: Plot hides 5× labels on log axes
            grid: true,
          },
          marks: [
            Plot.barX(bars, {
              y: "method",
              x1: floor,
              x2: "percent",
              fill: (bar: Bar) => (bar.source === "paper" ? PAPER_COLOR : MEASURED_COLOR),
              ariaDescription: "error bar",
            }),
            Plot.text(ticks, {
              x: (tick: number) => tick,
              text: (tick: number) => formatNumber(tick),
              frameAnchor: "bottom",
              dy: 16,
              fontSize: 10,
              ariaDescription: "error tick",
            }),
            Plot.text(bars, {
              y: "method",
              x: "percent",
              text: (bar: Bar) => `${formatNumber(bar.percent)}%`,
              textAnchor: "start",
              dx: 3,
              fontSize: 9,
              ariaDescription: "error value",
            }),
          ],
        }),
      ],
    }),
  );
}
