/**
 * SDLM's per-weight learning rates ε_k = η/(μ + h_kk) as a histogram on a log axis, stacked by
 * layer, with the range the paper reports for its first pass shaded behind the bars (LeCun et
 * al. 1998, Section III-B: "between approximately 7×10⁻⁵ and 0.016").
 * Input shape: counts per tensor over log-spaced bins (scripts/sdlm-study.mjs's
 * `firstPassHistogram`). Output shape: a Chart.
 */
import * as Plot from "@observablehq/plot";
import { SERIES_COLORS, chart, composeFigure, type Chart, type ChartOptions } from "./chart";
import { formatTick, logTicks } from "./format";
import { plotSvg } from "./plot-svg";

/** Weights counted per tensor over bins of log10 ε: bin b covers [from + b/k, from + (b+1)/k). */
export interface RateHistogramInput {
  /** log10 of the first bin's lower edge. */
  readonly log10From: number;
  /** Bins per decade, k. */
  readonly binsPerDecade: number;
  /** Per tensor name ("c1.kernel", "f6.bias", …): the count in each bin. */
  readonly counts: Readonly<Record<string, readonly number[]>>;
}

/** Options of {@link rateHistogram}. */
export interface RateHistogramOptions extends ChartOptions {
  /** The range to shade, e.g. the paper's [7e-5, 0.016] (default none). */
  readonly range?: readonly [number, number];
  /** Its label (default "paper's range"). */
  readonly rangeLabel?: string;
}

/** One bar segment: a layer's weights in one bin. */
export interface RateBin {
  readonly layer: string;
  readonly low: number;
  readonly high: number;
  readonly count: number;
}

/** "c3.kernel" → "C3": the layer a tensor belongs to. */
const layerOf = (tensor: string): string => tensor.split(/[./]/)[0].toUpperCase();

/** The bars' segments, tensors summed per layer; empty bins left out. */
export function rateHistogramData(input: RateHistogramInput): {
  readonly bins: readonly RateBin[];
  readonly layers: readonly string[];
  readonly total: number;
} {
  const { log10From, binsPerDecade } = input;
  if (!(binsPerDecade > 0)) throw new RangeError("rateHistogram: binsPerDecade must be > 0");
  const perLayer = new Map<string, number[]>();
  for (const [tensor, counts] of Object.entries(input.counts)) {
    const layer = layerOf(tensor);
    const sums = perLayer.get(layer) ?? [];
    counts.forEach((c, b) => (sums[b] = (sums[b] ?? 0) + c));
    perLayer.set(layer, sums);
  }
  const bins: RateBin[] = [];
  let total = 0;
  for (const [layer, sums] of perLayer)
    sums.forEach((count, b) => {
      total += count;
      if (count > 0)
        bins.push({
          layer,
          low: 10 ** (log10From + b / binsPerDecade),
          high: 10 ** (log10From + (b + 1) / binsPerDecade),
          count,
        });
    });
  if (total === 0) throw new RangeError("rateHistogram: no weights counted");
  return { bins, layers: [...perLayer.keys()], total };
}

/**
 * Every weight's ε_k, counted in log bins and stacked by layer, the paper's range shaded.
 * @example
 * ```ts
 * const svg = renderSvg(
 *   rateHistogram(
 *     { log10From: -6, binsPerDecade: 10, counts: { "c1.kernel": [0, 3, 5], "f6.weight": [2, 0, 1] } },
 *     { range: [7e-5, 0.016] },
 *   ),
 * );
 * ```
 */
export function rateHistogram(
  input: RateHistogramInput,
  options: RateHistogramOptions = {},
): Chart {
  const { bins, layers } = rateHistogramData(input);
  const colors = layers.map((_, i) => SERIES_COLORS[i % SERIES_COLORS.length]);
  const edges = [...bins.map((b) => b.low), ...bins.map((b) => b.high), ...(options.range ?? [])];
  const low = Number(`1e${Math.floor(Math.log10(Math.min(...edges)))}`);
  const high = Number(`1e${Math.ceil(Math.log10(Math.max(...edges)))}`);
  const range = options.range === undefined ? [] : [{ x1: options.range[0], x2: options.range[1] }];
  return chart((document) =>
    composeFigure(document, {
      title: options.title ?? "Per-weight learning rates ε_k",
      subtitle: options.subtitle,
      theme: options.theme,
      legend: {
        kind: "swatches",
        entries: layers.map((label, i) => ({ label, color: colors[i], shape: "box" as const })),
      },
      bodies: [
        plotSvg(document, {
          width: options.width ?? 640,
          height: 280,
          marginLeft: 56,
          marginRight: 20,
          marginTop: 24,
          marginBottom: 40,
          x: {
            type: "log",
            domain: [low, high],
            ticks: logTicks(low, high),
            tickFormat: formatTick,
            label: "ε_k = η/(μ + h_kk), log scale →",
            labelAnchor: "center",
          },
          y: { label: "↑ weights", grid: true, nice: true, tickFormat: formatTick },
          color: { domain: [...layers], range: colors },
          marks: [
            Plot.rectX(range, {
              x1: "x1",
              x2: "x2",
              fill: "currentColor",
              fillOpacity: 0.08,
            }),
            Plot.rectY(
              bins,
              Plot.stackY({ x1: "low", x2: "high", y: "count", fill: "layer", order: [...layers] }),
            ),
            Plot.text(range, {
              x: (d: { x1: number; x2: number }) => Math.sqrt(d.x1 * d.x2),
              frameAnchor: "top",
              dy: 4,
              text: () => options.rangeLabel ?? "paper's range",
            }),
          ],
        }),
      ],
    }),
  );
}
