// The small pixelated pictures of the playground: a gray image (the input, F6, a prototype), one
// channel of an activation as a heatmap, and the heatmaps' colour legend.
import React, { useEffect, useRef } from "react";
import { paintChannel, paintGray, type DivergingPalette } from "./paint";
import type { LayerActivation } from "./types";
import styles from "./styles.module.css";

/** A gray image, `low` black … `high` white, with its caption. */
export function GrayImage(props: {
  data: ArrayLike<number>;
  width: number;
  height: number;
  low: number;
  high: number;
  size: number;
  label: string;
}): React.JSX.Element {
  const ref = useRef<HTMLCanvasElement>(null);
  const { data, width, height, low, high } = props;
  useEffect(() => {
    if (ref.current) paintGray(ref.current, data, width, height, low, high);
  }, [data, width, height, low, high]);
  return (
    <figure className={styles.thumb}>
      <canvas
        ref={ref}
        className={styles.pixelated}
        style={{ width: props.size, height: (props.size * height) / width }}
        aria-label={props.label}
      />
      <figcaption>{props.label}</figcaption>
    </figure>
  );
}

/** One channel of an activation as a heatmap, ±`limit` at the palette's ends. */
export function MapCanvas(props: {
  activation: LayerActivation;
  channel: number;
  limit: number;
  palette: DivergingPalette;
  size: number;
  /** Draw the whole vector as a width×height picture instead of one channel. */
  asImage?: { width: number; height: number };
}): React.JSX.Element {
  const ref = useRef<HTMLCanvasElement>(null);
  const { activation, channel, limit, palette, asImage } = props;
  const [h, w, c] = asImage
    ? [asImage.height, asImage.width, 1]
    : [activation.shape[0], activation.shape[1], activation.shape[2]];
  useEffect(() => {
    if (ref.current) paintChannel(ref.current, activation.data, h, w, c, channel, limit, palette);
  }, [activation, channel, limit, palette, h, w, c]);
  return (
    <canvas
      ref={ref}
      className={styles.pixelated}
      style={{ width: props.size, height: (props.size * h) / w }}
      role="img"
      aria-label={asImage ? activation.name : `${activation.name} map ${channel}`}
    />
  );
}

/** Colour legend of the diverging ramp, −limit … +limit. */
export function RampLegend(props: { limit: number; palette: DivergingPalette }): React.JSX.Element {
  const { negative, zero, positive } = props.palette;
  const css = (rgb: readonly number[]) => `rgb(${rgb.join(",")})`;
  return (
    <span className={styles.legend}>
      <span>−{props.limit.toFixed(2)}</span>
      <span
        className={styles.legendBar}
        style={{
          background: `linear-gradient(to right, ${css(negative)}, ${css(zero)}, ${css(positive)})`,
        }}
      />
      <span>+{props.limit.toFixed(2)}</span>
    </span>
  );
}
