/**
 * The per-layer table every model reports: name, output shape, trainable parameters and
 * connections, counted the way the paper counts them (Section II-B).
 *
 * Rows follow the paper's layer names. A tfjs layer named `C1` and its helpers named `C1_…`
 * (activation, batch norm, dropout) make one row, as the paper folds the squashing function into
 * each layer. Connections are the multiply–adds of the layer's units: each output unit counts one
 * per input it reads plus one for its bias. Elementwise layers (activations, batch norm, dropout,
 * flatten) add none.
 */
import type * as tf from "@tensorflow/tfjs";

/** One row of a model summary. */
export interface LayerSummary {
  /** The paper's layer name (C1, S2, …, OUTPUT). */
  readonly name: string;
  /** Output shape without the batch axis, NHWC for images. */
  readonly outputShape: readonly number[];
  /** Trainable parameters. */
  readonly params: number;
  /** Connections (see the module comment). */
  readonly connections: number;
}

/** A model's whole summary, as `lenet5 summary --json` prints it. */
export interface ModelSummary {
  /** The model's name (e.g. "historical"). */
  readonly model: string;
  /** The tfjs backend the model was built on (e.g. "wasm"). */
  readonly backend: string;
  /** One row per paper layer, input to output. */
  readonly layers: readonly LayerSummary[];
  /** Sum of the rows' trainable parameters. */
  readonly totalParams: number;
  /** Sum of the rows' connections. */
  readonly totalConnections: number;
}

/**
 * Connections of one tfjs layer, from its class, input shape and output shape.
 * Throws for a layer class it does not know, so a new layer cannot silently count as zero.
 */
export function layerConnections(layer: tf.layers.Layer): number {
  const inShape = dropBatch((layer.input as tf.SymbolicTensor).shape);
  const outShape = dropBatch(layer.outputShape);
  const outUnits = outShape.reduce((a, b) => a * b, 1);
  const bias = (layer.getConfig().useBias ?? true) ? 1 : 0;
  switch (layer.getClassName()) {
    case "Conv2D": {
      const [kh, kw] = layer.getConfig().kernelSize as number[];
      const inChannels = inShape[inShape.length - 1];
      return outUnits * (kh * kw * inChannels + bias); // every unit: K·K·Cin inputs + bias
    }
    case "SparseConv2D": {
      // Each map j reads K·K·n_j inputs plus its bias: the sum over maps is the parameter count.
      const [h, w] = outShape;
      return h * w * layer.countParams();
    }
    case "Subsampling":
      return outUnits * (4 + 1); // 2×2 inputs, then coefficient and bias
    case "MaxPooling2D":
    case "AveragePooling2D": {
      const [ph, pw] = layer.getConfig().poolSize as number[];
      return outUnits * ph * pw;
    }
    case "Dense":
      return outUnits * (inShape[inShape.length - 1] + bias);
    case "Rbf":
      return outUnits * inShape[inShape.length - 1]; // fixed prototypes, no bias
    case "ScaledTanh":
    case "Activation":
    case "ReLU":
    case "BatchNormalization":
    case "Dropout":
    case "Flatten":
    case "ZeroPadding2D":
      return 0;
    default:
      throw new Error(
        `layerConnections: no connection rule for layer class ${layer.getClassName()}`,
      );
  }
}

/** Trainable parameters of one layer (fixed weights such as RBF prototypes do not count). */
function trainableParams(layer: tf.layers.Layer): number {
  return layer.trainableWeights.reduce(
    (n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 0), 1),
    0,
  );
}

function dropBatch(shape: tf.Shape | tf.Shape[]): number[] {
  const single = Array.isArray(shape[0]) ? (shape as tf.Shape[])[0] : (shape as tf.Shape);
  return single.slice(1).map((d) => d ?? -1);
}

/**
 * Summarises a model built by lenet5: one row per paper layer (layers named `X` and `X_…` are
 * grouped under `X`).
 * @example
 * ```ts
 * const model = createModel("historical", { seed: 1 });
 * const s = summarizeModel("historical", model, "wasm");
 * s.totalParams; // 60000
 * ```
 */
export function summarizeModel(
  modelName: string,
  model: tf.LayersModel,
  backend: string,
): ModelSummary {
  const rows: { name: string; outputShape: number[]; params: number; connections: number }[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() === "InputLayer") continue;
    const group = layer.name.split("_")[0];
    let row = rows[rows.length - 1];
    if (!row || row.name !== group) {
      row = { name: group, outputShape: [], params: 0, connections: 0 };
      rows.push(row);
    }
    row.outputShape = dropBatch(layer.outputShape);
    row.params += trainableParams(layer);
    row.connections += layerConnections(layer);
  }
  return {
    model: modelName,
    backend,
    layers: rows,
    totalParams: rows.reduce((n, r) => n + r.params, 0),
    totalConnections: rows.reduce((n, r) => n + r.connections, 0),
  };
}

/**
 * The summary as an aligned text table, for terminals and notebooks.
 * @example
 * ```ts
 * const text = formatSummary(summarizeModel("historical", createModel("historical"), "wasm"));
 * // model historical · backend wasm
 * // layer   output shape  params  connections
 * // C1           28×28×6     156      122,304   …
 * ```
 */
export function formatSummary(summary: ModelSummary): string {
  const header = ["layer", "output shape", "params", "connections"];
  const body = summary.layers.map((l) => [
    l.name,
    l.outputShape.join("×"),
    l.params.toLocaleString("en-US"),
    l.connections.toLocaleString("en-US"),
  ]);
  const total = [
    "total",
    "",
    summary.totalParams.toLocaleString("en-US"),
    summary.totalConnections.toLocaleString("en-US"),
  ];
  const table = [header, ...body, total];
  const widths = header.map((_, c) => Math.max(...table.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ");
  const rule = widths.map((w) => "─".repeat(w)).join("  ");
  return [
    `model ${summary.model} · backend ${summary.backend}`,
    line(header),
    rule,
    ...body.map(line),
    rule,
    line(total),
  ].join("\n");
}
