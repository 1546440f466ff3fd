// "Inside the network": every feature map of C1 … S4, C5's 120 values as a grid, and F6 with
// the output layer (OutputPanel), for the current drawing.
import React from "react";
import { MapCanvas, RampLegend } from "./canvases";
import OutputPanel from "./OutputPanel";
import { maxAbs, type DivergingPalette } from "./paint";
import { MODEL_VIEWS, type LayerActivation, type Lenet5, type Result } from "./types";
import styles from "./styles.module.css";

/** Every layer of `result`'s model for the drawing, coloured with `palette`. */
export default function LayerView(props: {
  lenet5: Lenet5;
  result: Result;
  palette: DivergingPalette;
  colorMode: "light" | "dark";
}): React.JSX.Element {
  const { lenet5, result, palette } = props;
  const view = MODEL_VIEWS[result.model];
  const maps = result.activations.filter((a) => a.shape.length === 3 && a.shape[0] > 1);
  const c5 = result.activations.find((a) => a.name === "C5");
  const limit = (activation: LayerActivation) =>
    view.range === "tanh" ? lenet5.SCALED_TANH_A : Math.max(maxAbs(activation.data), 1e-6);
  return (
    <>
      <h2 className={styles.sectionTitle}>Inside {view.label}</h2>
      <p className={styles.note}>
        Every feature map of every layer for the digit above, recomputed as you draw. Colour: blue
        negative, {props.colorMode === "dark" ? "dark" : "white"} zero, red positive.
      </p>
      {view.range === "own-max" && (
        <p className={styles.note}>
          ReLU layers have no fixed range: each layer's colours span its own largest value.
        </p>
      )}
      {maps.map((activation) => (
        <LayerMaps
          key={activation.name}
          activation={activation}
          palette={palette}
          limit={limit(activation)}
          note={view.layerNotes[activation.name] ?? ""}
        />
      ))}
      {c5 && (
        <VectorGrid
          activation={c5}
          palette={palette}
          limit={limit(c5)}
          note={view.layerNotes.C5}
          columns={12}
        />
      )}
      <OutputPanel lenet5={lenet5} result={result} />
    </>
  );
}

/** Every map of one convolution or subsampling layer. */
function LayerMaps(props: {
  activation: LayerActivation;
  palette: DivergingPalette;
  limit: number;
  note: string;
}): React.JSX.Element {
  const { activation, palette, limit } = props;
  const [h, w, c] = activation.shape;
  const size = h >= 28 ? 84 : h >= 14 ? 70 : h >= 10 ? 56 : 44;
  return (
    <section className={styles.layer} data-layer={activation.name}>
      <h3 className={styles.layerTitle}>
        {activation.name}{" "}
        <span className={styles.shape}>
          {c}@{h}×{w} · [{activation.shape.join(", ")}]
        </span>
        <RampLegend limit={limit} palette={palette} />
      </h3>
      <p className={styles.note}>{props.note}</p>
      <div className={styles.maps}>
        {Array.from({ length: c }, (_, channel) => (
          <figure key={channel} className={styles.thumb}>
            <MapCanvas
              activation={activation}
              channel={channel}
              limit={limit}
              palette={palette}
              size={size}
            />
            <figcaption>{channel}</figcaption>
          </figure>
        ))}
      </div>
    </section>
  );
}

/** A vector layer (C5's 120 values) as a grid of `columns` cells a row. */
function VectorGrid(props: {
  activation: LayerActivation;
  palette: DivergingPalette;
  limit: number;
  note: string;
  columns: number;
}): React.JSX.Element {
  const { activation, columns } = props;
  const length = activation.data.length;
  const rows = Math.ceil(length / columns);
  return (
    <section className={styles.layer} data-layer={activation.name}>
      <h3 className={styles.layerTitle}>
        {activation.name}{" "}
        <span className={styles.shape}>
          {length} units · [{activation.shape.join(", ")}] shown as {rows}×{columns}
        </span>
        <RampLegend limit={props.limit} palette={props.palette} />
      </h3>
      <p className={styles.note}>{props.note}</p>
      <MapCanvas
        activation={activation}
        channel={0}
        limit={props.limit}
        palette={props.palette}
        size={columns * 12}
        asImage={{ width: columns, height: rows }}
      />
    </section>
  );
}
