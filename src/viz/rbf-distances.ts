/**
 * The network's verdict on one image as a bar chart over the ten classes: either the RBF output
 * layer's squared distances y_i = Σ_j (x_j − w_ij)² between F6's 84 outputs and each digit's
 * prototype (Section II-B, Eq. 7 of the paper; smallest wins), or class probabilities (largest
 * wins). The predicted class is highlighted; a given true label is marked under its bar.
 * Input shape: scores [classes] (10 for MNIST). Output shape: a Chart.
 */
import * as Plot from "@observablehq/plot";
import {
  ACCENT_COLOR,
  HIGHLIGHT_COLOR,
  chart,
  composeFigure,
  type Chart,
  type ChartOptions,
} from "./chart";
import { formatTick } from "./format";
import { plotSvg } from "./plot-svg";

/** The value axis reaches this factor above the tallest bar: room for its label. */
const HEADROOM = 1.14;

/** Options of {@link rbfDistances}. */
export interface RbfDistancesOptions extends ChartOptions {
  /** `distance` (RBF outputs, smallest wins; default) or `probability` (0–1, largest wins). */
  readonly kind?: "distance" | "probability";
  /** The image's true class, marked under its bar. */
  readonly label?: number;
}

/** One bar. */
interface ClassScore {
  readonly digit: number;
  readonly score: number;
  readonly predicted: boolean;
}

/** Index of the winning score: smallest distance or largest probability (first on ties). */
export function winningClass(scores: ArrayLike<number>, kind: "distance" | "probability"): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++)
    if (kind === "distance" ? scores[i] < scores[best] : scores[i] > scores[best]) best = i;
  return best;
}

/**
 * Bar chart of the RBF distances (or probabilities) of one image, prediction highlighted.
 * @example
 * ```ts
 * const distances = [30.1, 41.2, 12.5, 3.2, 50, 22, 35, 28, 19, 25];
 * const svg = renderSvg(rbfDistances(distances, { label: 3 })); // predicts 3: smallest distance
 * ```
 */
export function rbfDistances(scores: ArrayLike<number>, options: RbfDistancesOptions = {}): Chart {
  if (scores.length === 0) throw new RangeError("rbfDistances: no scores");
  for (let i = 0; i < scores.length; i++)
    if (!Number.isFinite(scores[i]))
      throw new RangeError(`rbfDistances: score ${i} is ${scores[i]}, not a finite number`);
  const kind = options.kind ?? "distance";
  const predicted = winningClass(scores, kind);
  const bars: ClassScore[] = Array.from(scores, (score, digit) => ({
    digit,
    score,
    predicted: digit === predicted,
  }));
  const probability = kind === "probability";
  const format = (value: number): string =>
    probability ? `${(100 * value).toFixed(1)}%` : value.toFixed(value < 10 ? 2 : 1);
  const barValue = (bar: ClassScore): number => (probability ? 100 * bar.score : bar.score);
  const { label } = options;
  const verdict =
    label === undefined
      ? `prediction: ${predicted}`
      : `prediction: ${predicted}, true label: ${label}${label === predicted ? "" : " (wrong)"}`;
  return chart((document) =>
    composeFigure(document, {
      title:
        options.title ??
        (probability ? "Class probabilities" : "RBF outputs: distance to each digit's prototype"),
      subtitle:
        options.subtitle ??
        `${verdict}; ${probability ? "largest probability wins" : "smallest distance wins"}`,
      theme: options.theme,
      legend: {
        kind: "swatches",
        entries: [
          { label: "prediction", color: HIGHLIGHT_COLOR },
          ...(label === undefined ? [] : [{ label: "true label ▲", color: ACCENT_COLOR }]),
        ],
      },
      bodies: [
        plotSvg(document, {
          width: options.width ?? 520,
          height: 300,
          marginLeft: 52,
          marginBottom: 44,
          x: {
            domain: bars.map((bar) => bar.digit),
            label: probability ? "class (digit)" : "RBF unit i (digit)",
            labelAnchor: "center",
            padding: 0.2,
          },
          // Headroom above the tallest bar keeps its value label clear of the axis title.
          y: probability
            ? {
                label: "↑ probability (%)",
                domain: [0, 100 * HEADROOM],
                ticks: [0, 20, 40, 60, 80, 100],
                grid: true,
              }
            : {
                label: "↑ squared distance y_i",
                domain: [0, (Math.max(...bars.map(barValue)) || 1) * HEADROOM],
                tickFormat: formatTick,
                grid: true,
              },
          marks: [
            Plot.barY(
              bars.filter((bar) => !bar.predicted),
              {
                x: "digit",
                y: barValue,
                fill: "currentColor",
                fillOpacity: 0.35,
                ariaDescription: "score",
              },
            ),
            Plot.barY(
              bars.filter((bar) => bar.predicted),
              {
                x: "digit",
                y: barValue,
                fill: HIGHLIGHT_COLOR,
                ariaDescription: "predicted score",
              },
            ),
            Plot.text(bars, {
              x: "digit",
              y: barValue,
              text: (bar: ClassScore) => format(bar.score),
              dy: -7,
              fontSize: 9,
              ariaDescription: "score value",
            }),
            Plot.ruleY([0]),
            label === undefined
              ? null
              : Plot.text([label], {
                  x: (digit: number) => digit,
                  frameAnchor: "bottom",
                  dy: 30,
                  text: () => "▲",
                  fill: ACCENT_COLOR,
                  fontSize: 12,
                  ariaDescription: "true label",
                }),
          ],
        }),
      ],
    }),
  );
}
