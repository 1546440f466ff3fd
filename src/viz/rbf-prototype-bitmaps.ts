/**
 * The output layer's ten RBF prototypes as pictures: each unit i's fixed parameter vector w_i is a
 * stylised 7×12 bitmap of ±1 (Section II-B, Fig. 3 of the paper); +1 is drawn black, −1 white.
 * Input shape: prototypes [10, 84] row-major (default: `rbfPrototypes()` from src/paper).
 * Output shape: a Chart.
 */
import { RBF_BITMAP_HEIGHT, RBF_BITMAP_WIDTH, rbfPrototypes as paperPrototypes } from "../paper";
import { chart, composeFigure, type Chart, type ChartOptions } from "./chart";
import { grayRamp, rampIndices, rampLegend } from "./color-ramp";
import { rasterGrid } from "./raster-grid";

/** Options of {@link rbfPrototypeBitmaps}. */
export interface RbfPrototypeBitmapsOptions extends ChartOptions {
  /** Prototype vectors [classes, 84] (default: the paper-style bitmaps). */
  readonly prototypes?: ArrayLike<number>;
  /** Screen width of one bitmap in px (default 44). */
  readonly bitmapSize?: number;
}

/**
 * The RBF prototypes (7×12 bitmaps of ±1) as a row of pictures, one per digit.
 * @example
 * ```ts
 * const svg = renderSvg(rbfPrototypeBitmaps());
 * ```
 */
export function rbfPrototypeBitmaps(options: RbfPrototypeBitmapsOptions = {}): Chart {
  const size = RBF_BITMAP_WIDTH * RBF_BITMAP_HEIGHT;
  const prototypes = options.prototypes ?? paperPrototypes();
  if (prototypes.length === 0 || prototypes.length % size !== 0)
    throw new RangeError(
      `rbfPrototypeBitmaps: expected [classes, ${size}] values, got ${prototypes.length}`,
    );
  const classes = prototypes.length / size;
  const ramp = grayRamp([-1, 1]);
  const panels = Array.from({ length: classes }, (_, digit) => ({
    indices: rampIndices(prototypes, ramp.domain, size, digit * size),
    caption: String(digit),
  }));
  return chart((document) =>
    composeFigure(document, {
      title:
        options.title ??
        `RBF prototypes: ${classes} bitmaps of ${RBF_BITMAP_WIDTH}×${RBF_BITMAP_HEIGHT}`,
      subtitle: options.subtitle ?? "each output unit's fixed weights w_i; black +1, white −1",
      theme: options.theme,
      legend: { kind: "plot", svg: rampLegend(document, ramp, "weight w_ij →", 220) },
      bodies: [
        rasterGrid(document, {
          panels,
          height: RBF_BITMAP_HEIGHT,
          width: RBF_BITMAP_WIDTH,
          columns: classes,
          ramp,
          panelSize: options.bitmapSize ?? 44,
          xLabel: "column →",
          yLabel: "row",
          description: "prototype",
        }),
      ],
    }),
  );
}
