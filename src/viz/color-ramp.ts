/**
 * Colour ramps for raster charts: a value domain and 256 RGB colours, the palette of the PNGs that
 * draw digits, feature maps and kernels, and the legend that explains them. No paper reference:
 * chart plumbing (the grey ramp follows the paper's convention that ink is black on white).
 *
 * A value v maps to palette index round(255·(v − lo)/(hi − lo)), clamped to 0…255; 256 levels are
 * finer than the eye can tell apart. Diverging ramps are centred at 0 with a symmetric domain, so
 * index 127.5 is zero: blue below, red above (ColorBrewer RdBu, reversed).
 */
import * as Plot from "@observablehq/plot";
import { type DomDocument, type DomElement } from "./chart";
import { plotSvg } from "./plot-svg";
import { formatTick } from "./format";
import { paletteImageDataUrl } from "./png-data-url";
import { stretchImages } from "./stretch-image";

/** A value domain and its 256 colours. */
export interface ColorRamp {
  /** Values at palette index 0 and 255; lower and higher values clamp. */
  readonly domain: readonly [number, number];
  /** 256 RGB triples. */
  readonly palette: Uint8Array;
}

/** Parses `rgb(r, g, b)` or `#rrggbb`, the two forms Plot's colour scales return. */
export function parseColor(color: string): [number, number, number] {
  const rgb = /^rgb\(\s*(\d+),\s*(\d+),\s*(\d+)\s*\)$/.exec(color);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (hex) return [parseInt(hex[1], 16), parseInt(hex[2], 16), parseInt(hex[3], 16)];
  throw new Error(`parseColor: cannot read colour "${color}"`);
}

/** Checks a domain: finite, increasing. */
function checkDomain(domain: readonly [number, number]): void {
  const [lo, hi] = domain;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi))
    throw new RangeError(`colour domain must be finite and increasing, got [${lo}, ${hi}]`);
}

/**
 * Grey ramp: `domain[0]` white (paper background), `domain[1]` black (ink).
 * @example
 * ```ts
 * const ramp = grayRamp([-0.1, 1.175]); // the paper's input levels
 * Array.from(ramp.palette.subarray(0, 3)); // [255, 255, 255]
 * ```
 */
export function grayRamp(domain: readonly [number, number]): ColorRamp {
  checkDomain(domain);
  const palette = new Uint8Array(768);
  for (let i = 0; i < 256; i++) palette.fill(255 - i, 3 * i, 3 * i + 3);
  return { domain: [domain[0], domain[1]], palette };
}

/**
 * Diverging ramp over [−limit, limit]: negative blue, zero near-white, positive red.
 * @example
 * ```ts
 * const ramp = divergingRamp(1.7159); // the range of f(a) = 1.7159·tanh(2a/3)
 * ramp.domain; // [-1.7159, 1.7159]
 * ```
 */
export function divergingRamp(limit: number): ColorRamp {
  const domain: [number, number] = [-limit, limit];
  checkDomain(domain);
  const scale = Plot.scale({
    color: { type: "diverging", scheme: "rdbu", domain, pivot: 0, reverse: true },
  });
  const palette = new Uint8Array(768);
  for (let i = 0; i < 256; i++) {
    const value = -limit + (2 * limit * i) / 255;
    palette.set(parseColor(String(scale.apply(value))), 3 * i);
  }
  return { domain, palette };
}

/** Palette index of `value` in `domain` (see the file header). */
export function rampIndex(value: number, domain: readonly [number, number]): number {
  const [lo, hi] = domain;
  const index = Math.round((255 * (value - lo)) / (hi - lo));
  return Number.isNaN(index) ? 0 : Math.min(255, Math.max(0, index));
}

/** Palette indices of `count` values of `data` from `offset`, with a stride. */
export function rampIndices(
  data: ArrayLike<number>,
  domain: readonly [number, number],
  count: number,
  offset = 0,
  stride = 1,
): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = rampIndex(data[offset + i * stride], domain);
  return out;
}

/** Smallest and largest finite value of some arrays; [0, 1] when there is none. */
export function extent(arrays: readonly ArrayLike<number>[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const values of arrays)
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** Widens a domain of one value (a blank image) so that it can be drawn. */
export function nonEmptyDomain(domain: readonly [number, number]): [number, number] {
  const [lo, hi] = domain;
  return lo < hi ? [lo, hi] : [lo - 0.5, hi + 0.5];
}

/** Largest |value| over some arrays, at least `floor` (so an all-zero layer still has a scale). */
export function maxAbs(arrays: readonly ArrayLike<number>[], floor = 1e-6): number {
  const [lo, hi] = extent(arrays);
  return Math.max(Math.abs(lo), Math.abs(hi), floor);
}

/** A legend for a ramp: the colour bar over an x axis labelled `label` (a Plot SVG). */
export function rampLegend(
  document: DomDocument,
  ramp: ColorRamp,
  label: string,
  width = 300,
): DomElement {
  const indices = Uint8Array.from({ length: 256 }, (_, i) => i);
  const src = paletteImageDataUrl(indices, 256, 1, ramp.palette);
  return plotSvg(document, {
    width,
    height: 54,
    marginTop: 6,
    marginLeft: 14,
    marginRight: 14,
    marginBottom: 34,
    x: {
      domain: [...ramp.domain],
      label,
      labelAnchor: "center",
      ticks: 5,
      tickFormat: formatTick,
    },
    y: { domain: [0, 1], axis: null },
    marks: [
      Plot.image([ramp], {
        frameAnchor: "middle",
        src,
        preserveAspectRatio: "none",
        ariaDescription: "colour ramp",
        render: stretchImages(ramp.domain, [0, 1]),
      }),
    ],
  });
}
