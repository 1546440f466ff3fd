/**
 * A confusion matrix as a 10×10 grid of cells: row = true digit, column = predicted digit, each
 * cell holding its image count; the diagonal is what the network got right. No paper reference
 * (Fig. 8 of the paper shows the misclassified test digits themselves).
 *
 * Colours: counts on a log scale (light to dark blue), because the diagonal holds about a
 * thousand images per digit and most errors one or two; empty cells stay unfilled and unlabelled.
 * Input shape: counts [true classes][predicted classes] (e.g. `EvaluationResult.confusion`).
 * Output shape: a Chart.
 */
import * as Plot from "@observablehq/plot";
import { chart, composeFigure, type Chart, type ChartOptions } from "./chart";
import { plotSvg } from "./plot-svg";

/** Options of {@link confusionMatrix}. */
export interface ConfusionMatrixOptions extends ChartOptions {
  /** Class names (default "0", "1", …). */
  readonly classes?: readonly string[];
}

/** One cell. */
interface ConfusionCell {
  readonly actual: number;
  readonly predicted: number;
  readonly count: number;
}

/**
 * Confusion matrix counts as a grid: rows true class, columns predicted class.
 * @example
 * ```ts
 * const counts = Array.from({ length: 10 }, (_, i) =>
 *   Array.from({ length: 10 }, (_, j) => (i === j ? 95 : i === (j + 1) % 10 ? 5 : 0)),
 * );
 * const svg = renderSvg(confusionMatrix(counts)); // 100 cells, accuracy 95%
 * ```
 */
export function confusionMatrix(
  matrix: readonly (readonly number[])[],
  options: ConfusionMatrixOptions = {},
): Chart {
  const n = matrix.length;
  if (n === 0 || matrix.some((row) => row.length !== n))
    throw new RangeError("confusionMatrix: expected a square matrix [true][predicted]");
  const cells: ConfusionCell[] = [];
  matrix.forEach((row, actual) =>
    row.forEach((count, predicted) => {
      if (!(Number.isInteger(count) && count >= 0))
        throw new RangeError(
          `confusionMatrix: cell [${actual}][${predicted}] = ${count} is not a count`,
        );
      cells.push({ actual, predicted, count });
    }),
  );
  const total = cells.reduce((sum, cell) => sum + cell.count, 0);
  const right = cells.filter((c) => c.actual === c.predicted).reduce((s, c) => s + c.count, 0);
  const filled = cells.filter((cell) => cell.count > 0);
  const largest = Math.max(1, ...cells.map((cell) => cell.count));
  const classes = options.classes ?? Array.from({ length: n }, (_, i) => String(i));
  const name = (index: number): string => classes[index] ?? String(index);
  // Dark cells get white text: above ~45% of the log range the blue is too deep for black.
  const dark = (count: number): boolean => Math.log(count) > 0.45 * Math.log(largest);
  const cellSize = 40;
  const accuracy = total > 0 ? `${((100 * right) / total).toFixed(2)}%` : "n/a";
  return chart((document) =>
    composeFigure(document, {
      title: options.title ?? "Confusion matrix",
      subtitle:
        options.subtitle ??
        `${total.toLocaleString("en-US")} images, accuracy ${accuracy}; off-diagonal cells are errors`,
      theme: options.theme,
      bodies: [
        plotSvg(document, {
          width: options.width ?? 60 + n * cellSize,
          height: 70 + n * cellSize,
          marginLeft: 50,
          marginTop: 40,
          marginBottom: 30,
          x: {
            domain: classes.slice(0, n),
            axis: "top",
            label: "predicted class →",
            labelAnchor: "center",
            tickSize: 0,
          },
          y: {
            domain: classes.slice(0, n),
            label: "true class",
            labelAnchor: "center",
            tickSize: 0,
          },
          color: { type: "log", scheme: "blues", domain: [1, largest] },
          marks: [
            Plot.cell(cells, {
              x: (cell: ConfusionCell) => name(cell.predicted),
              y: (cell: ConfusionCell) => name(cell.actual),
              fill: "none",
              stroke: "currentColor",
              strokeOpacity: 0.2,
              ariaDescription: "cell",
            }),
            Plot.cell(filled, {
              x: (cell: ConfusionCell) => name(cell.predicted),
              y: (cell: ConfusionCell) => name(cell.actual),
              fill: "count",
              inset: 0.5,
              ariaDescription: "count cell",
            }),
            Plot.text(filled, {
              x: (cell: ConfusionCell) => name(cell.predicted),
              y: (cell: ConfusionCell) => name(cell.actual),
              text: (cell: ConfusionCell) => cell.count.toLocaleString("en-US"),
              fill: (cell: ConfusionCell) => (dark(cell.count) ? "white" : "black"),
              fontSize: 10,
              ariaDescription: "count",
            }),
          ],
        }),
      ],
    }),
  );
}
