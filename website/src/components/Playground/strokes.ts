// Example digits for the interactive LeNet-5, as pen strokes in unit coordinates (0…1 across and
// down the drawing canvas), so "Example" draws them exactly as a hand would: same brush, same
// preprocessing. Each stroke is a polyline; curves are sampled arcs.

/** A point of a stroke, x and y in 0…1. */
export type Point = readonly [number, number];
/** One pen-down-to-pen-up movement. */
export type Stroke = readonly Point[];

/** Points on an elliptic arc centred (cx, cy), radii (rx, ry), from angle a0 to a1 (radians). */
function arc(
  cx: number,
  cy: number,
  rx: number,
  ry: number,
  a0: number,
  a1: number,
  steps = 24,
): Point[] {
  return Array.from({ length: steps + 1 }, (_, i) => {
    const a = a0 + ((a1 - a0) * i) / steps;
    return [cx + rx * Math.cos(a), cy + ry * Math.sin(a)] as Point;
  });
}

const PI = Math.PI;

/** Hand-drawn-style examples, by digit. */
export const EXAMPLE_DIGITS: Readonly<Record<number, readonly Stroke[]>> = {
  0: [arc(0.5, 0.5, 0.2, 0.3, -PI / 2, (3 * PI) / 2, 40)],
  1: [
    [
      [0.44, 0.28],
      [0.54, 0.2],
      [0.54, 0.8],
    ],
  ],
  2: [[...arc(0.5, 0.36, 0.18, 0.15, PI * 1.1, PI * 2.25), [0.32, 0.78], [0.72, 0.78]]],
  3: [
    [
      ...arc(0.48, 0.34, 0.17, 0.14, PI * 1.1, PI * 2.5),
      ...arc(0.48, 0.64, 0.19, 0.16, -PI / 2, PI * 0.9),
    ],
  ],
  4: [
    [
      [0.58, 0.2],
      [0.3, 0.6],
      [0.74, 0.6],
    ],
    [
      [0.6, 0.4],
      [0.6, 0.82],
    ],
  ],
  5: [
    [
      [0.68, 0.22],
      [0.38, 0.22],
      [0.35, 0.47],
      ...arc(0.49, 0.62, 0.19, 0.17, -PI * 0.75, PI * 0.85),
    ],
  ],
  6: [[...arc(0.62, 0.5, 0.24, 0.3, -PI * 0.45, -PI), ...arc(0.52, 0.64, 0.16, 0.15, PI, 3 * PI)]],
  7: [
    [
      [0.3, 0.22],
      [0.72, 0.22],
      [0.46, 0.82],
    ],
  ],
  8: [
    [
      ...arc(0.5, 0.33, 0.14, 0.13, PI / 2, PI * 2.5),
      ...arc(0.5, 0.63, 0.17, 0.17, -PI / 2, PI * 1.5),
    ],
  ],
  9: [[...arc(0.5, 0.36, 0.16, 0.14, 0, PI * 2), [0.66, 0.36], [0.6, 0.82]]],
};
