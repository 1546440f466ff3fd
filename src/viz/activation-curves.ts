/**
 * The paper's squashing function beside its relatives, as a line chart with a legend:
 *   f(a) = A·tanh(S·a), A = 1.7159, S = 2/3 (Appendix A), chosen so that f(±1) = ±1;
 *   f′(a) = A·S·(1 − tanh²(S·a)), largest at a = 0 where it is A·S ≈ 1.144;
 *   tanh(a), and ReLU(a) = max(0, a), the modern twin's activation.
 * Input shape: a range of a. Output shape: a Chart.
 */
import * as Plot from "@observablehq/plot";
import { SCALED_TANH_A, SCALED_TANH_S } from "../paper";
import { SERIES_COLORS, chart, composeFigure, type Chart, type ChartOptions } from "./chart";
import { plotSvg } from "./plot-svg";

/** Options of {@link activationCurves}. */
export interface ActivationCurvesOptions extends ChartOptions {
  /** Smallest a (default −4). */
  readonly from?: number;
  /** Largest a (default 4). */
  readonly to?: number;
  /** Points per curve (default 161). */
  readonly samples?: number;
}

/** One point of one curve. */
export interface ActivationPoint {
  readonly curve: string;
  readonly a: number;
  readonly value: number;
}

/** The curves, by legend name. */
export function activationFunctions(): readonly { name: string; f: (a: number) => number }[] {
  const [A, S] = [SCALED_TANH_A, SCALED_TANH_S];
  return [
    { name: `f(a) = ${A}·tanh(2a/3)`, f: (a) => A * Math.tanh(S * a) },
    { name: "f′(a)", f: (a) => A * S * (1 - Math.tanh(S * a) ** 2) },
    { name: "tanh(a)", f: (a) => Math.tanh(a) },
    { name: "ReLU(a) = max(0, a)", f: (a) => Math.max(0, a) },
  ];
}

/** Samples every curve at `samples` evenly spaced a in [from, to]. */
export function activationPoints(from: number, to: number, samples: number): ActivationPoint[] {
  if (!(
    Number.isFinite(from) &&
    Number.isFinite(to) &&
    from < to &&
    Number.isInteger(samples) &&
    samples >= 2
  ))
    throw new RangeError(
      `activationCurves: need from < to and samples ≥ 2, got ${from}, ${to}, ${samples}`,
    );
  return activationFunctions().flatMap(({ name, f }) =>
    Array.from({ length: samples }, (_, i) => {
      const a = from + ((to - from) * i) / (samples - 1);
      return { curve: name, a, value: f(a) };
    }),
  );
}

/**
 * f(a) = 1.7159·tanh(2a/3), its derivative, tanh and ReLU over a range of a.
 * @example
 * ```ts
 * const svg = renderSvg(activationCurves({ from: -3, to: 3 }));
 * ```
 */
export function activationCurves(options: ActivationCurvesOptions = {}): Chart {
  const points = activationPoints(options.from ?? -4, options.to ?? 4, options.samples ?? 161);
  const names = activationFunctions().map(({ name }) => name);
  const colors = names.map((_, i) => SERIES_COLORS[i]);
  const anchors = [-1, 1].map((a) => ({ a, value: SCALED_TANH_A * Math.tanh(SCALED_TANH_S * a) }));
  return chart((document) =>
    composeFigure(document, {
      title: options.title ?? "Activation functions",
      subtitle:
        options.subtitle ??
        `the paper's f(a) = A·tanh(S·a) with A = ${SCALED_TANH_A}, S = 2/3: f(±1) = ±1`,
      theme: options.theme,
      legend: {
        kind: "swatches",
        entries: names.map((label, i) => ({ label, color: colors[i], shape: "line" as const })),
      },
      bodies: [
        plotSvg(document, {
          width: options.width ?? 640,
          height: 340,
          marginLeft: 48,
          x: { label: "weighted input a →", labelAnchor: "center" },
          y: { label: "↑ activation f(a)", grid: true },
          color: { domain: names, range: colors },
          marks: [
            Plot.ruleY([0], { strokeOpacity: 0.4 }),
            Plot.ruleX([0], { strokeOpacity: 0.4 }),
            Plot.ruleY([-SCALED_TANH_A, SCALED_TANH_A], {
              strokeDasharray: "4,3",
              strokeOpacity: 0.5,
            }),
            Plot.line(points, {
              x: "a",
              y: "value",
              stroke: "curve",
              strokeWidth: 2,
              ariaDescription: "curve",
            }),
            Plot.dot(anchors, {
              x: "a",
              y: "value",
              r: 3.5,
              fill: "currentColor",
              ariaDescription: "f(±1) = ±1",
            }),
          ],
        }),
      ],
    }),
  );
}
