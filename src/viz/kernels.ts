/**
 * Convolution kernels as a grid of small heatmaps: one K×K picture per (input map, output map)
 * pair — C1's 6 kernels of 5×5 on the single input, C3's 6×16 (Section II-B). In a C3 stored
 * dense with Table I's missing connections as zeros, those kernels show as blank squares.
 *
 * Colours: diverging, centred at 0 (blue negative, red positive), domain ±max|weight| unless
 * given. Layout: one row per input map, one column per output map; captions "in→out".
 * Input shape: [K, K, Cin, Cout] (tfjs's kernel layout). Output shape: a Chart.
 */
import {
  chart,
  composeFigure,
  expectPositiveInteger,
  type Chart,
  type ChartOptions,
} from "./chart";
import { divergingRamp, maxAbs, rampIndices, rampLegend } from "./color-ramp";
import type { ImageInput } from "./image-grid";
import { rasterGrid, type RasterPanel } from "./raster-grid";

/** Options of {@link kernels}. */
export interface KernelsOptions extends ChartOptions {
  /** Layer name for the title ("C1", "C3", …). */
  readonly layer?: string;
  /** Colour domain is ±limit (default: the largest |weight|). */
  readonly limit?: number;
  /** Screen width of one kernel in px (default: 64 for one input map, else 36). */
  readonly kernelSize?: number;
}

/**
 * Convolution kernels [K, K, Cin, Cout] as a grid: rows are input maps, columns output maps.
 * @example
 * ```ts
 * // C1-like: 6 kernels of 3×3 on one input map
 * const data = Float32Array.from({ length: 54 }, (_, i) => Math.sin(i));
 * const svg = renderSvg(kernels({ shape: [3, 3, 1, 6], data }, { layer: "C1" }));
 * ```
 */
export function kernels(weights: ImageInput, options: KernelsOptions = {}): Chart {
  const { shape, data } = weights;
  if (shape.length !== 4)
    throw new RangeError(`kernels: expected [K, K, Cin, Cout], got [${shape.join(", ")}]`);
  const [kh, kw, cin, cout] = shape;
  [kh, kw, cin, cout].forEach((d) => expectPositiveInteger(`kernels: shape [${shape}]`, d));
  if (data.length !== kh * kw * cin * cout)
    throw new RangeError(
      `kernels: shape [${shape}] holds ${kh * kw * cin * cout} values, got ${data.length}`,
    );
  const ramp = divergingRamp(options.limit ?? maxAbs([data]));
  const panels: RasterPanel[] = [];
  for (let i = 0; i < cin; i++)
    for (let o = 0; o < cout; o++)
      panels.push({
        // weight (ky, kx, i, o) sits at ((ky·kw + kx)·cin + i)·cout + o
        indices: rampIndices(data, ramp.domain, kh * kw, i * cout + o, cin * cout),
        caption: cin === 1 ? `${o}` : `${i}→${o}`,
      });
  const layer = options.layer ?? "Convolution";
  return chart((document) =>
    composeFigure(document, {
      title:
        options.title ?? `${layer} kernels: ${cin * cout} of ${kh}×${kw} (${cin} in × ${cout} out)`,
      subtitle:
        options.subtitle ??
        (cin === 1 ? "caption: output map" : "caption: input map → output map; rows: input maps"),
      theme: options.theme,
      legend: { kind: "plot", svg: rampLegend(document, ramp, "weight →", 300) },
      bodies: [
        rasterGrid(document, {
          panels,
          height: kh,
          width: kw,
          columns: cout,
          ramp,
          panelSize: options.kernelSize ?? (cin === 1 ? 64 : 36),
          xLabel: "kernel column →",
          yLabel: "kernel row",
          description: "kernel",
        }),
      ],
    }),
  );
}
