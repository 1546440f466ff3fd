/**
 * A layer's activations as a grid of small heatmaps, one per feature map (channel): C1's 6 maps
 * of 28×28, S2's 6 of 14×14, C3's 16 of 10×10, … (Section II-B, Fig. 2 of the paper draws them).
 *
 * Colours: diverging, centred at 0 — blue negative, white zero, red positive. Default domain
 * ±1.7159 = ±A, the range of the paper's squashing function f(a) = A·tanh(S·a) (Appendix A);
 * when some |activation| exceeds A (a ReLU network, a raw weighted sum) the domain widens to the
 * largest |activation| so that nothing clips.
 * Input shape: [1, H, W, C] or [H, W, C] (NHWC). Output shape: a Chart.
 */
import { SCALED_TANH_A } from "../paper";
import {
  chart,
  composeFigure,
  expectPositiveInteger,
  type Chart,
  type ChartOptions,
} from "./chart";
import { divergingRamp, maxAbs, rampIndices, rampLegend } from "./color-ramp";
import type { ImageInput } from "./image-grid";
import { rasterGrid } from "./raster-grid";

/** Options of {@link featureMaps}. */
export interface FeatureMapsOptions extends ChartOptions {
  /** Layer name for the title and captions ("C1", "S2", …). */
  readonly layer?: string;
  /** Colour domain is ±limit (default: 1.7159, or the largest |activation| if larger). */
  readonly limit?: number;
  /** Maps per row (default: up to 8). */
  readonly columns?: number;
  /** Screen width of one map in px (default 80). */
  readonly mapSize?: number;
}

/** Height, width and channels of an activation [1, H, W, C] or [H, W, C]; throws otherwise. */
export function activationShape(what: string, activation: ImageInput): [number, number, number] {
  const { shape } = activation;
  const dims =
    shape.length === 4 && shape[0] === 1
      ? [shape[1], shape[2], shape[3]]
      : shape.length === 3
        ? [shape[0], shape[1], shape[2]]
        : undefined;
  if (!dims)
    throw new RangeError(`${what}: expected [1, H, W, C] or [H, W, C], got [${shape.join(", ")}]`);
  dims.forEach((d) => expectPositiveInteger(`${what}: shape [${shape.join(", ")}]`, d));
  const size = dims[0] * dims[1] * dims[2];
  if (activation.data.length !== size)
    throw new RangeError(
      `${what}: shape [${shape.join(", ")}] holds ${size} values, got ${activation.data.length}`,
    );
  return [dims[0], dims[1], dims[2]];
}

/**
 * All feature maps of one layer's activation as a grid of heatmaps.
 * @example
 * ```ts
 * // 6 maps of 2×2, NHWC: map c holds the value c − 2.5 everywhere
 * const data = Float32Array.from({ length: 24 }, (_, i) => (i % 6) - 2.5);
 * const svg = renderSvg(featureMaps({ shape: [1, 2, 2, 6], data }, { layer: "C1" }));
 * ```
 */
export function featureMaps(activation: ImageInput, options: FeatureMapsOptions = {}): Chart {
  const [height, width, channels] = activationShape("featureMaps", activation);
  const largest = maxAbs([activation.data]);
  const limit = options.limit ?? Math.max(SCALED_TANH_A, largest);
  const ramp = divergingRamp(limit);
  const layer = options.layer ?? "Layer";
  const panels = Array.from({ length: channels }, (_, c) => ({
    indices: rampIndices(activation.data, ramp.domain, height * width, c, channels),
    caption: `map ${c}`,
  }));
  return chart((document) =>
    composeFigure(document, {
      title:
        options.title ??
        `${layer} feature maps: ${channels} map${channels === 1 ? "" : "s"} of ${height}×${width}`,
      subtitle:
        options.subtitle ??
        `colour: activation, 0 = white; largest |activation| ${largest.toFixed(3)}`,
      theme: options.theme,
      legend: { kind: "plot", svg: rampLegend(document, ramp, "activation →", 300) },
      bodies: [
        rasterGrid(document, {
          panels,
          height,
          width,
          columns: options.columns ?? Math.min(channels, 8),
          ramp,
          panelSize: options.mapSize ?? 80,
          xLabel: "column (units) →",
          yLabel: "row (units)",
          description: "feature map",
        }),
      ],
    }),
  );
}
