/**
 * Table I of the paper as a chart: which S2 feature maps each C3 feature map reads (Section II-B).
 * Rows are the 6 S2 maps, columns the 16 C3 maps, a filled cell marked "X" is a connection: maps
 * 0–5 read 3 contiguous S2 maps, 6–11 four contiguous, 12–14 four discontinuous, 15 all six —
 * 60 connections in all.
 * Input shape: a table [C3 maps][S2 maps read] (default TABLE_I). Output shape: a Chart.
 */
import * as Plot from "@observablehq/plot";
import { TABLE_I } from "../paper";
import { ACCENT_COLOR, chart, composeFigure, type Chart, type ChartOptions } from "./chart";
import { plotSvg } from "./plot-svg";

/** Options of {@link connectionTable}. */
export interface ConnectionTableOptions extends ChartOptions {
  /** `table[j]` lists the input maps of output map j (default: the paper's Table I). */
  readonly table?: readonly (readonly number[])[];
  /** Name of the input layer (default "S2"). */
  readonly inputLayer?: string;
  /** Name of the output layer (default "C3"). */
  readonly outputLayer?: string;
}

/** One cell of the table. */
interface Cell {
  readonly input: number;
  readonly output: number;
}

/**
 * Table I (which S2 maps feed each C3 map) as a grid of cells, connections filled.
 * @example
 * ```ts
 * const svg = renderSvg(connectionTable()); // 60 filled cells
 * ```
 */
export function connectionTable(options: ConnectionTableOptions = {}): Chart {
  const table = options.table ?? TABLE_I;
  const inputs = Math.max(0, ...table.flat()) + 1;
  const outputs = table.length;
  const inputLayer = options.inputLayer ?? "S2";
  const outputLayer = options.outputLayer ?? "C3";
  const all: Cell[] = [];
  for (let input = 0; input < inputs; input++)
    for (let output = 0; output < outputs; output++) all.push({ input, output });
  const connected = all.filter(({ input, output }) => table[output].includes(input));
  const cellSize = 30;
  return chart((document) =>
    composeFigure(document, {
      title: options.title ?? `Table I: which ${inputLayer} maps feed each ${outputLayer} map`,
      subtitle:
        options.subtitle ??
        `${connected.length} connections between ${inputs} ${inputLayer} and ${outputs} ${outputLayer} maps`,
      theme: options.theme,
      bodies: [
        plotSvg(document, {
          width: options.width ?? 60 + outputs * cellSize,
          height: 70 + inputs * cellSize,
          marginLeft: 50,
          marginTop: 44,
          marginBottom: 26,
          x: {
            domain: Array.from({ length: outputs }, (_, j) => j),
            axis: "top",
            label: `${outputLayer} feature map →`,
            labelAnchor: "center",
            tickSize: 0,
          },
          y: {
            domain: Array.from({ length: inputs }, (_, i) => i),
            label: `${inputLayer} feature map`,
            labelAnchor: "center",
            tickSize: 0,
          },
          marks: [
            Plot.cell(all, {
              x: "output",
              y: "input",
              fill: "none",
              stroke: "currentColor",
              strokeOpacity: 0.3,
              ariaDescription: "cell",
            }),
            Plot.cell(connected, {
              x: "output",
              y: "input",
              fill: ACCENT_COLOR,
              inset: 1.5,
              ariaDescription: "connection",
            }),
            Plot.text(connected, {
              x: "output",
              y: "input",
              text: () => "X",
              fill: "white",
              fontSize: 12,
              fontWeight: 600,
              ariaDescription: "connection mark",
            }),
          ],
        }),
      ],
    }),
  );
}
