// Painting numbers into small canvases for the interactive LeNet-5: a diverging colour ramp for
// activations (negative blue, zero neutral, positive red; the neutral is near-white on a light
// page and near-black on a dark one, so zero never glares) and a gray ramp for input pixels.
// Pure helpers; the component owns the canvases.

/** An RGB colour. */
export type Rgb = readonly [number, number, number];

/** The three anchors of a diverging ramp. */
export interface DivergingPalette {
  readonly negative: Rgb;
  readonly zero: Rgb;
  readonly positive: Rgb;
}

/** Light page: ColorBrewer RdBu ends, near-white middle. */
export const LIGHT_PALETTE: DivergingPalette = {
  negative: [33, 102, 172],
  zero: [247, 247, 247],
  positive: [178, 24, 43],
};

/** Dark page: lighter ends, near-black middle (Docusaurus's dark background is #1b1b1d). */
export const DARK_PALETTE: DivergingPalette = {
  negative: [90, 160, 230],
  zero: [30, 30, 34],
  positive: [244, 109, 67],
};

/** The palette for a colour mode. */
export function paletteFor(mode: "light" | "dark"): DivergingPalette {
  return mode === "dark" ? DARK_PALETTE : LIGHT_PALETTE;
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** The colour of `value` on a ramp from −limit to +limit. */
export function divergingColor(value: number, limit: number, palette: DivergingPalette): Rgb {
  const t = Math.max(-1, Math.min(1, limit > 0 ? value / limit : 0));
  return t < 0 ? mix(palette.zero, palette.negative, -t) : mix(palette.zero, palette.positive, t);
}

/** Largest |value| (0 for an empty array). */
export function maxAbs(values: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i]));
  return largest;
}

/**
 * Paints channel `channel` of an NHWC activation [height, width, channels] into `canvas`
 * (resized to width×height pixels; CSS scales it up with pixelated rendering).
 */
export function paintChannel(
  canvas: HTMLCanvasElement,
  data: ArrayLike<number>,
  height: number,
  width: number,
  channels: number,
  channel: number,
  limit: number,
  palette: DivergingPalette,
): void {
  paintPixels(canvas, width, height, (i) =>
    divergingColor(data[i * channels + channel], limit, palette),
  );
}

/** Paints a row-major gray image, mapping `low`…`high` to black…white. */
export function paintGray(
  canvas: HTMLCanvasElement,
  data: ArrayLike<number>,
  width: number,
  height: number,
  low: number,
  high: number,
): void {
  paintPixels(canvas, width, height, (i) => {
    const level = Math.round((255 * (data[i] - low)) / (high - low));
    const v = Math.max(0, Math.min(255, level));
    return [v, v, v];
  });
}

/** Sizes `canvas` to width×height and paints pixel i (row-major) with the colour `rgbAt(i)`. */
function paintPixels(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
  rgbAt: (i: number) => Rgb,
): void {
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const context = canvas.getContext("2d");
  if (!context) return;
  const image = context.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const [r, g, b] = rgbAt(i);
    image.data.set([r, g, b, 255], 4 * i);
  }
  context.putImageData(image, 0, 0);
}
