// A small SVG line chart for the live curves (loss, test accuracy against images seen): drawn
// from scratch on every update, a few hundred points at most after thinning, so it stays cheap
// while the worker trains.
import React from "react";
import styles from "./styles.module.css";

/** Chart area in SVG units. */
const WIDTH = 420;
const HEIGHT = 200;
const PAD = { left: 46, right: 12, top: 10, bottom: 34 };
/** Points drawn at most (evenly thinned, the last kept). */
const MAX_POINTS = 400;

function thin<T>(points: readonly T[]): readonly T[] {
  if (points.length <= MAX_POINTS) return points;
  const step = points.length / MAX_POINTS;
  const kept = Array.from({ length: MAX_POINTS - 1 }, (_, i) => points[Math.floor(i * step)]);
  return [...kept, points[points.length - 1]];
}

/** Round tick values between low and high (about `count` of them). */
function ticks(low: number, high: number, count: number): number[] {
  const span = high - low || 1;
  const raw = span / count;
  const step =
    [1, 2, 2.5, 5, 10].map((m) => m * 10 ** Math.floor(Math.log10(raw))).find((s) => s >= raw) ??
    raw;
  const out: number[] = [];
  for (let v = Math.ceil(low / step) * step; v <= high + 1e-12; v += step) out.push(v);
  return out;
}

/** A line of (x, y) points with axes; `yDomain` fixes the y range, else it fits the data. */
export default function LineChart(props: {
  points: readonly { x: number; y: number }[];
  xLabel: string;
  yLabel: string;
  yDomain?: readonly [number, number];
  formatY?: (y: number) => string;
  marker?: { y: number; label: string };
  testId: string;
}): React.JSX.Element {
  const points = thin(props.points);
  const xMax = Math.max(1, ...points.map((p) => p.x));
  const ys = points.map((p) => p.y);
  // Before the first point the axis spans 0…1, not 0…1e-6 (which reads as garbage).
  const [yLow, yHigh] = props.yDomain ?? [0, ys.length > 0 ? Math.max(1e-6, ...ys) * 1.05 : 1];
  const x = (v: number) => PAD.left + ((WIDTH - PAD.left - PAD.right) * v) / xMax;
  const y = (v: number) =>
    PAD.top +
    (HEIGHT - PAD.top - PAD.bottom) *
      (1 - (Math.min(Math.max(v, yLow), yHigh) - yLow) / (yHigh - yLow));
  const path = points
    .map((p, i) => `${i === 0 ? "M" : "L"}${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`)
    .join("");
  const format = props.formatY ?? ((v: number) => String(Number(v.toPrecision(3))));
  return (
    <svg
      className={styles.chart}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={`${props.yLabel} against ${props.xLabel}`}
      data-chart={props.testId}
      data-points={props.points.length}
    >
      {ticks(yLow, yHigh, 4).map((t) => (
        <g key={`y${t}`}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} className={styles.grid} />
          <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className={styles.tick}>
            {format(t)}
          </text>
        </g>
      ))}
      {ticks(0, xMax, 4).map((t) => (
        <text
          key={`x${t}`}
          x={x(t)}
          y={HEIGHT - PAD.bottom + 16}
          textAnchor="middle"
          className={styles.tick}
        >
          {t >= 1000 ? `${Number((t / 1000).toPrecision(3))}k` : t}
        </text>
      ))}
      {props.marker && (
        <g>
          <line
            x1={PAD.left}
            x2={WIDTH - PAD.right}
            y1={y(props.marker.y)}
            y2={y(props.marker.y)}
            className={styles.marker}
          />
          <text
            x={WIDTH - PAD.right}
            y={y(props.marker.y) - 4}
            textAnchor="end"
            className={styles.tick}
          >
            {props.marker.label}
          </text>
        </g>
      )}
      <path d={path} className={styles.line} />
      {points.length === 1 && (
        <circle cx={x(points[0].x)} cy={y(points[0].y)} r={3} className={styles.dot} />
      )}
      <text
        x={(PAD.left + WIDTH - PAD.right) / 2}
        y={HEIGHT - 4}
        textAnchor="middle"
        className={styles.axis}
      >
        {props.xLabel}
      </text>
      <text
        x={12}
        y={(PAD.top + HEIGHT - PAD.bottom) / 2}
        textAnchor="middle"
        className={styles.axis}
        transform={`rotate(-90 12 ${(PAD.top + HEIGHT - PAD.bottom) / 2})`}
      >
        {props.yLabel}
      </text>
    </svg>
  );
}
