/**
 * `historical`: LeNet-5 as the paper builds it (Section II-B, Fig. 2).
 *
 *   INPUT 32×32 → C1 6@28×28 → S2 6@14×14 → C3 16@10×10 (Table I) → S4 16@5×5 → C5 120
 *   → F6 84 → OUTPUT 10 Euclidean RBF units
 *
 * The squashing function f(a) = 1.7159·tanh(2a/3) follows every C, S and F layer ("units in
 * layers up to F6", Section II-B); the RBF output is not squashed. Every weight starts uniform in
 * ±2.4/F_i (Appendix A). 60,000 trainable parameters, 340,908 connections.
 *
 * Input shape: [N, 32, 32, 1], the paper's normalisation (background −0.1, foreground 1.175).
 * Output shape: [N, 10] squared distances y_i to the ten prototypes; the prediction is the argmin.
 * Departures from the paper: the RBF bitmaps are drawn in the style of Fig. 3, not copied from it.
 *
 * Ablation options ({@link HistoricalOptions}; every one a departure, for experiments, and
 * listed as such in the fidelity ledger): C3 fully connected (`c3: "full"`, 2,416 parameters
 * instead of 1,516), another initial range (`initScale`: ±k/F_i or ±k/√F_i), and S2/S4 as plain
 * 2×2 average or max pooling (`subsampling`), which have no parameters and no squashing after
 * them (59,956 trainable parameters with Table I). The layer names stay the paper's.
 */
import * as tf from "@tensorflow/tfjs";
import { INIT_RANGE_NUMERATOR, INPUT_SIZE, TABLE_I } from "../paper";
import { conv2dLayer } from "../layers/conv2d";
import { denseLayer } from "../layers/dense";
import { Rbf } from "../layers/rbf";
import { ScaledTanh } from "../layers/scaled-tanh";
import { SparseConv2D } from "../layers/sparse-conv2d";
import { Subsampling } from "../layers/subsampling";
import { avgPoolLayer } from "../layers/avg-pool";
import { maxPoolLayer } from "../layers/max-pool";
import { type InitScale, initRange, weightSeeds } from "../layers/paper-uniform";
import {
  FULL_C3_TABLE,
  SUBSAMPLING_KINDS,
  type HistoricalParams,
  type HistoricalVariant,
  type SubsamplingKind,
} from "../scratch/historical";
import type { Tensor } from "../scratch/tensor";
import { assignLayerWeights, readLayerWeights } from "./layer-weights";

/** Options shared by every model builder. */
export interface ModelOptions {
  /** Seed of the weight initialisation (default 0): same seed, same weights. */
  seed?: number;
}

/** C3's connections: the paper's Table I, or every C3 map reading all six S2 maps. */
export type C3Connections = "table-i" | "full";

/** The values `c3` takes, the paper's first. */
export const C3_CONNECTIONS: readonly C3Connections[] = ["table-i", "full"];

/**
 * The ablation options of `historical` (see the file header); absent fields are the paper's.
 * `trainModel` records them in the checkpoint's recipe (`modelOptions`), so a checkpoint is
 * rebuilt and resumed with the same net.
 */
export interface HistoricalOptions extends ModelOptions {
  /** C3's connections (default "table-i", the paper's Table I). */
  c3?: C3Connections;
  /** S2/S4 (default "trainable", the paper's: sum × coefficient + bias, then squash). */
  subsampling?: SubsamplingKind;
  /** The initial range of every weight and bias (default the paper's ±2.4/F_i). */
  initScale?: InitScale;
}

/**
 * Checks the ablation options and returns them with the paper's values left out: what a
 * recipe records (`{}` for the paper's net). Throws a RangeError naming a bad value.
 * @example
 * ```ts
 * historicalDepartures({ c3: "table-i", subsampling: "max" }); // { subsampling: "max" }
 * ```
 */
export function historicalDepartures(options: HistoricalOptions): HistoricalOptions {
  const { c3 = "table-i", subsampling = "trainable", initScale } = options;
  if (!C3_CONNECTIONS.includes(c3)) {
    throw new RangeError(
      `historical: c3 must be one of ${C3_CONNECTIONS.join(", ")}, got ${c3 as string}`,
    );
  }
  if (!SUBSAMPLING_KINDS.includes(subsampling)) {
    throw new RangeError(
      `historical: subsampling must be one of ${SUBSAMPLING_KINDS.join(", ")}, got ${subsampling as string}`,
    );
  }
  const scale = initScale === undefined ? undefined : departingScale(initScale);
  return {
    ...(c3 === "table-i" ? {} : { c3 }),
    ...(subsampling === "trainable" ? {} : { subsampling }),
    ...(scale === undefined ? {} : { initScale: scale }),
  };
}

/** An init scale checked, with the paper's parts left out; undefined when it is the paper's. */
function departingScale(scale: InitScale): InitScale | undefined {
  initRange(1, scale); // throws on a bad numerator or divisor
  const numerator = scale.numerator ?? INIT_RANGE_NUMERATOR;
  const divisor = scale.divisor ?? "fanIn";
  if (numerator === INIT_RANGE_NUMERATOR && divisor === "fanIn") return undefined;
  return {
    ...(numerator === INIT_RANGE_NUMERATOR ? {} : { numerator }),
    ...(divisor === "fanIn" ? {} : { divisor }),
  };
}

/**
 * The scratch net's variant for these options (src/scratch/historical.ts): C3's table and the
 * S2/S4 kind. The init scale does not enter (it only draws the starting weights).
 * @example
 * ```ts
 * historicalVariant({ c3: "full" }).c3Table?.length; // 16 rows of [0, 1, 2, 3, 4, 5]
 * ```
 */
export function historicalVariant(options: HistoricalOptions = {}): HistoricalVariant {
  const checked = historicalDepartures(options);
  return {
    c3Table: checked.c3 === "full" ? FULL_C3_TABLE : TABLE_I,
    subsampling: checked.subsampling ?? "trainable",
  };
}

/** S2 or S4 and what follows it: trainable subsampling and the squash, or a pooling layer. */
function sLayers(
  name: "S2" | "S4",
  kind: SubsamplingKind,
  seed: number,
  initScale: InitScale | undefined,
): tf.layers.Layer[] {
  if (kind === "average") return [avgPoolLayer({ name })];
  if (kind === "max") return [maxPoolLayer({ name })];
  return [new Subsampling({ name, seed, initScale }), new ScaledTanh({ name: `${name}_tanh` })];
}

/**
 * Builds the paper's LeNet-5 as a tfjs model with the paper's initialisation.
 *
 * With ablation options (see {@link HistoricalOptions}) it builds that variant instead; the
 * same seed draws the same random stream, so a variant's layers that keep their shapes start
 * from the same draws as the paper's net.
 *
 * Input shape: [N, 32, 32, 1] (the paper's normalisation: background −0.1, ink 1.175). Output
 * shape: [N, 10], the squared RBF distances to the ten prototypes; the prediction is the argmin.
 * @example
 * ```ts
 * const model = createHistorical({ seed: 1 });
 * model.outputShape; // [null, 10]
 * createHistorical({ c3: "full" }).countParams(); // 60,900: C3 has 96 kernels
 * ```
 */
export function createHistorical(options: HistoricalOptions = {}): tf.Sequential {
  const { seed = 0 } = options;
  const { c3: c3Kind, subsampling: kind = "trainable", initScale } = historicalDepartures(options);
  const [c1, s2, c3, s4, c5, f6] = weightSeeds(seed, 6);
  const table = c3Kind === "full" ? FULL_C3_TABLE : TABLE_I;
  return tf.sequential({
    name: "historical",
    layers: [
      conv2dLayer({
        name: "C1",
        filters: 6,
        kernelSize: 5,
        inputShape: [INPUT_SIZE, INPUT_SIZE, 1],
        seed: c1,
        initScale,
      }), // [N, 28, 28, 6]
      new ScaledTanh({ name: "C1_tanh" }),
      ...sLayers("S2", kind, s2, initScale), // [N, 14, 14, 6]
      new SparseConv2D({ name: "C3", seed: c3, table, initScale }), // [N, 10, 10, 16]
      new ScaledTanh({ name: "C3_tanh" }),
      ...sLayers("S4", kind, s4, initScale), // [N, 5, 5, 16]
      conv2dLayer({ name: "C5", filters: 120, kernelSize: 5, inChannels: 16, seed: c5, initScale }), // [N, 1, 1, 120]
      new ScaledTanh({ name: "C5_tanh" }),
      tf.layers.flatten({ name: "C5_flatten" }), // [N, 120]
      denseLayer({ name: "F6", units: 84, inputUnits: 120, seed: f6, initScale }), // [N, 84]
      new ScaledTanh({ name: "F6_tanh" }),
      new Rbf({ name: "OUTPUT" }), // [N, 10]
    ],
  });
}

/**
 * Copies the weights out of a tfjs `historical` model into plain tensors (same layouts).
 *
 * Input shape: a model built by {@link createHistorical}. Output shape: see
 * {@link HistoricalParams} (e.g. C1's kernel [5, 5, 1, 6], C3's packed kernel [5, 5, 60]).
 * @example
 * ```ts
 * const params = historicalParams(createHistorical({ seed: 1 }));
 * params.c3.kernel.shape; // [5, 5, 60]: Table I's 60 connections
 * ```
 */
export function historicalParams(model: tf.LayersModel): HistoricalParams {
  const read = (name: string) => readLayerWeights(model, name);
  // A pooling S layer (an ablation variant) has no weights: zero-length ones stand in.
  const none: Tensor = { shape: [0], data: new Float32Array(0) };
  const readS = (name: string) => {
    const weights = read(name);
    return weights.length === 0 ? [none, none] : weights;
  };
  const [c1Kernel, c1Bias] = read("C1");
  const [s2Coefficient, s2Bias] = readS("S2");
  const [c3Kernel, c3Bias] = read("C3");
  const [s4Coefficient, s4Bias] = readS("S4");
  const [c5Kernel, c5Bias] = read("C5");
  const [f6Weight, f6Bias] = read("F6");
  const [prototypes] = read("OUTPUT");
  return {
    c1: { kernel: c1Kernel, bias: c1Bias },
    s2: { coefficient: s2Coefficient, bias: s2Bias },
    c3: { kernel: c3Kernel, bias: c3Bias },
    s4: { coefficient: s4Coefficient, bias: s4Bias },
    c5: { kernel: c5Kernel, bias: c5Bias },
    f6: { weight: f6Weight, bias: f6Bias },
    prototypes,
  };
}

/**
 * Writes a {@link HistoricalParams} record into a tfjs `historical` model (the inverse of
 * {@link historicalParams}; the fixed prototypes are written too). Throws a RangeError naming
 * the weight whose shape does not match.
 *
 * Input shape: a model built by {@link createHistorical} and a record in its layouts.
 * @example
 * ```ts
 * const model = createHistorical({ seed: 2 });
 * assignHistoricalParams(model, historicalParams(createHistorical({ seed: 1 })));
 * // model now computes what the seed-1 model computes
 * ```
 */
export function assignHistoricalParams(model: tf.LayersModel, params: HistoricalParams): void {
  // A pooling S layer (an ablation variant) takes no weights; the record's are zero-length.
  const sWeights = (weights: HistoricalParams["s2"]) =>
    weights.coefficient.data.length === 0 && weights.bias.data.length === 0
      ? []
      : [weights.coefficient, weights.bias];
  assignLayerWeights(model, [
    ["C1", [params.c1.kernel, params.c1.bias]],
    ["S2", sWeights(params.s2)],
    ["C3", [params.c3.kernel, params.c3.bias]],
    ["S4", sWeights(params.s4)],
    ["C5", [params.c5.kernel, params.c5.bias]],
    ["F6", [params.f6.weight, params.f6.bias]],
    ["OUTPUT", [params.prototypes]],
  ]);
}
