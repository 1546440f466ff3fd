/**
 * A grid of small raster images drawn with Observable Plot facets: one facet per image, each image
 * a palette PNG stretched over its facet's pixel axes (x = column 0…W, y = row 0…H, row 0 on
 * top), optional captions above. The shared engine of digitImage, imageGrid, featureMaps,
 * kernels and rbfPrototypeBitmaps. No paper reference: chart plumbing.
 *
 * Layout: facet fx = i mod columns, fy = ⌊i / columns⌋. Plot writes facets column by column, so
 * each image and caption carries an aria-label "<description> <i>[: <caption>]" naming its panel.
 * `aspectRatio: 1` keeps image pixels square.
 * Axes (ticks at 0 and the side length) sit on the bottom and left facets only, as Plot does;
 * the y label runs up the left side so that it never meets a caption.
 */
import * as Plot from "@observablehq/plot";
import { HIGHLIGHT_COLOR, expectPositiveInteger, type DomDocument, type DomElement } from "./chart";
import { plotSvg } from "./plot-svg";
import type { ColorRamp } from "./color-ramp";
import { paletteImageDataUrl } from "./png-data-url";
import { stretchImages } from "./stretch-image";

/** One image of a grid. */
export interface RasterPanel {
  /** Palette index per pixel, row-major, height × width of them. */
  readonly indices: Uint8Array;
  /** Text above the image. */
  readonly caption?: string;
  /** Draw the caption in the highlight colour (a wrong prediction). */
  readonly flagged?: boolean;
}

/** What {@link rasterGrid} draws. */
export interface RasterGridSpec {
  readonly panels: readonly RasterPanel[];
  /** Pixel rows of every image. */
  readonly height: number;
  /** Pixel columns of every image. */
  readonly width: number;
  /** Images per row of the grid. */
  readonly columns: number;
  readonly ramp: ColorRamp;
  /** Screen width of one image, in px. */
  readonly panelSize: number;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Accessible description of the image mark ("digit", "feature map", …). */
  readonly description: string;
}

/** One facet's record. */
interface PanelRecord {
  /** Accessible name of the image and its caption: "<description> <index>[: <caption>]". */
  readonly label: string;
  readonly fx: number;
  readonly fy: number;
  readonly src: string;
  readonly caption: string;
  readonly flagged: boolean;
}

const MARGIN_LEFT = 46;
const MARGIN_RIGHT = 10;
const MARGIN_BOTTOM = 36;
const GAP_X = 10;
const CAPTION_GAP = 18;

/** Draws the grid (a Plot SVG, no title: see composeFigure). */
export function rasterGrid(document: DomDocument, spec: RasterGridSpec): DomElement {
  const { panels, height, width } = spec;
  expectPositiveInteger("rasterGrid: image height", height);
  expectPositiveInteger("rasterGrid: image width", width);
  expectPositiveInteger("rasterGrid: columns", spec.columns);
  if (panels.length === 0) throw new RangeError("rasterGrid: no images to draw");
  const columns = Math.min(spec.columns, panels.length);
  const rows = Math.ceil(panels.length / columns);
  const records: PanelRecord[] = panels.map((panel, i) => {
    if (panel.indices.length !== height * width)
      throw new RangeError(
        `rasterGrid: image ${i} has ${panel.indices.length} pixels, expected ${height}×${width}`,
      );
    return {
      label: `${spec.description} ${i}${panel.caption ? `: ${panel.caption}` : ""}`,
      fx: i % columns,
      fy: Math.floor(i / columns),
      src: paletteImageDataUrl(panel.indices, width, height, spec.ramp.palette),
      caption: panel.caption ?? "",
      flagged: panel.flagged ?? false,
    };
  });
  const captioned = records.some((record) => record.caption !== "");
  const gapY = captioned ? CAPTION_GAP : GAP_X;
  const panelHeight = (spec.panelSize * height) / width;
  return plotSvg(document, {
    width: Math.round(MARGIN_LEFT + MARGIN_RIGHT + columns * (spec.panelSize + GAP_X)),
    aspectRatio: 1, // one image pixel is as tall as it is wide; Plot derives the height
    marginLeft: MARGIN_LEFT,
    marginRight: MARGIN_RIGHT,
    marginTop: captioned ? 16 : 6,
    marginBottom: MARGIN_BOTTOM,
    fx: { axis: null, domain: range(columns), padding: GAP_X / (spec.panelSize + GAP_X) },
    fy: { axis: null, domain: range(rows), padding: gapY / (panelHeight + gapY) },
    x: { domain: [0, width] },
    y: { domain: [0, height], reverse: true },
    marks: [
      // Tick labels at 0 and W, anchored inwards so neighbouring facets' labels never touch.
      Plot.axisX({
        ticks: [0],
        tickFormat: String,
        textAnchor: "start",
        label: spec.xLabel,
        labelAnchor: "center",
      }),
      Plot.axisX({ ticks: [width], tickFormat: String, textAnchor: "end", label: null }),
      Plot.axisY({
        ticks: [0, height],
        tickFormat: String,
        label: spec.yLabel,
        labelAnchor: "center",
      }),
      Plot.image(records, {
        fx: "fx",
        fy: "fy",
        src: "src",
        frameAnchor: "middle",
        preserveAspectRatio: "none",
        imageRendering: "pixelated",
        ariaDescription: spec.description,
        ariaLabel: "label",
        render: stretchImages([0, width], [0, height]),
      }),
      Plot.frame({ strokeOpacity: 0.35 }),
      captioned
        ? Plot.text(records, {
            fx: "fx",
            fy: "fy",
            text: "caption",
            frameAnchor: "top",
            lineAnchor: "bottom",
            dy: -4,
            fontSize: 11,
            fill: (record: PanelRecord) => (record.flagged ? HIGHLIGHT_COLOR : "currentColor"),
            ariaDescription: "caption",
            ariaLabel: "label",
          })
        : null,
    ],
  });
}

/** [0, 1, …, n − 1]. */
function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
