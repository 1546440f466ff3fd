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
 */
import * as tf from "@tensorflow/tfjs";
import { INPUT_SIZE, rbfPrototypes } from "../paper";
import { conv2dLayer } from "../layers/conv2d";
import { denseLayer } from "../layers/dense";
import { Rbf } from "../layers/rbf";
import { ScaledTanh } from "../layers/scaled-tanh";
import { SparseConv2D } from "../layers/sparse-conv2d";
import { Subsampling } from "../layers/subsampling";
import { weightSeeds } from "../layers/paper-uniform";
import { conv2d } from "../scratch/conv2d";
import { dense } from "../scratch/dense";
import { rbf } from "../scratch/rbf";
import { scaledTanh } from "../scratch/scaled-tanh";
import { sparseConv2d } from "../scratch/sparse-conv2d";
import { subsampling } from "../scratch/subsampling";
import { Tensor, expectShape } from "../scratch/tensor";

/** Options shared by every model builder. */
export interface ModelOptions {
  /** Seed of the weight initialisation (default 0): same seed, same weights. */
  seed?: number;
}

/**
 * Builds the paper's LeNet-5 as a tfjs model with the paper's initialisation.
 *
 * Input shape: [N, 32, 32, 1] (the paper's normalisation: background −0.1, ink 1.175). Output
 * shape: [N, 10], the squared RBF distances to the ten prototypes; the prediction is the argmin.
 * @example
 * ```ts
 * const model = createHistorical({ seed: 1 });
 * model.outputShape; // [null, 10]
 * ```
 */
export function createHistorical({ seed = 0 }: ModelOptions = {}): tf.Sequential {
  const [c1, s2, c3, s4, c5, f6] = weightSeeds(seed, 6);
  return tf.sequential({
    name: "historical",
    layers: [
      conv2dLayer({
        name: "C1",
        filters: 6,
        kernelSize: 5,
        inputShape: [INPUT_SIZE, INPUT_SIZE, 1],
        seed: c1,
      }), // [N, 28, 28, 6]
      new ScaledTanh({ name: "C1_tanh" }),
      new Subsampling({ name: "S2", seed: s2 }), // [N, 14, 14, 6]
      new ScaledTanh({ name: "S2_tanh" }),
      new SparseConv2D({ name: "C3", seed: c3 }), // [N, 10, 10, 16]
      new ScaledTanh({ name: "C3_tanh" }),
      new Subsampling({ name: "S4", seed: s4 }), // [N, 5, 5, 16]
      new ScaledTanh({ name: "S4_tanh" }),
      conv2dLayer({ name: "C5", filters: 120, kernelSize: 5, inChannels: 16, seed: c5 }), // [N, 1, 1, 120]
      new ScaledTanh({ name: "C5_tanh" }),
      tf.layers.flatten({ name: "C5_flatten" }), // [N, 120]
      denseLayer({ name: "F6", units: 84, inputUnits: 120, seed: f6 }), // [N, 84]
      new ScaledTanh({ name: "F6_tanh" }),
      new Rbf({ name: "OUTPUT" }), // [N, 10]
    ],
  });
}

/** The faithful net's weights as plain tensors, for the scratch forward pass. */
export interface HistoricalParams {
  /** C1, convolution 1 → 6 maps. */
  readonly c1: {
    /** Kernel [5, 5, 1, 6]. */
    kernel: Tensor;
    /** Bias [6]. */
    bias: Tensor;
  };
  /** S2, subsampling of 6 maps. */
  readonly s2: {
    /** Coefficient [6]. */
    coefficient: Tensor;
    /** Bias [6]. */
    bias: Tensor;
  };
  /** C3, sparse convolution 6 → 16 maps (Table I). */
  readonly c3: {
    /** Kernel [5, 5, 60], packed by connection. */
    kernel: Tensor;
    /** Bias [16]. */
    bias: Tensor;
  };
  /** S4, subsampling of 16 maps. */
  readonly s4: {
    /** Coefficient [16]. */
    coefficient: Tensor;
    /** Bias [16]. */
    bias: Tensor;
  };
  /** C5, convolution 16 → 120 maps. */
  readonly c5: {
    /** Kernel [5, 5, 16, 120]. */
    kernel: Tensor;
    /** Bias [120]. */
    bias: Tensor;
  };
  /** F6, full connection 120 → 84. */
  readonly f6: {
    /** Weight [120, 84]. */
    weight: Tensor;
    /** Bias [84]. */
    bias: Tensor;
  };
  /** The RBF prototypes [10, 84]: the paper's fixed ±1 bitmaps, row i = digit i. */
  readonly prototypes: Tensor;
}

/**
 * Every layer's output of {@link historicalForwardScratch}, after its squashing function (the
 * RBF output has none).
 */
export interface HistoricalActivations {
  /** C1's feature maps [N, 28, 28, 6]. */
  readonly C1: Tensor;
  /** S2's feature maps [N, 14, 14, 6]. */
  readonly S2: Tensor;
  /** C3's feature maps [N, 10, 10, 16]. */
  readonly C3: Tensor;
  /** S4's feature maps [N, 5, 5, 16]. */
  readonly S4: Tensor;
  /** C5's units [N, 1, 1, 120]. */
  readonly C5: Tensor;
  /** F6's units [N, 84]. */
  readonly F6: Tensor;
  /** The RBF distances [N, 10], one per digit; the prediction is the argmin. */
  readonly OUTPUT: Tensor;
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
  const read = (layerName: string): Tensor[] =>
    model
      .getLayer(layerName)
      .getWeights()
      .map((w) => ({ shape: w.shape, data: w.dataSync() as Float32Array }));
  const [c1k, c1b] = read("C1");
  const [s2c, s2b] = read("S2");
  const [c3k, c3b] = read("C3");
  const [s4c, s4b] = read("S4");
  const [c5k, c5b] = read("C5");
  const [f6w, f6b] = read("F6");
  const [prototypes] = read("OUTPUT");
  return {
    c1: { kernel: c1k, bias: c1b },
    s2: { coefficient: s2c, bias: s2b },
    c3: { kernel: c3k, bias: c3b },
    s4: { coefficient: s4c, bias: s4b },
    c5: { kernel: c5k, bias: c5b },
    f6: { weight: f6w, bias: f6b },
    prototypes: prototypes ?? { shape: [10, 84], data: rbfPrototypes() },
  };
}

/**
 * The faithful LeNet-5's forward pass in plain TypeScript, layer by layer — the reference the
 * tfjs model is tested against, and what the notebooks open up to show every feature map.
 *
 * Input shape: x [N, 32, 32, 1]. Output shape: every layer's activations, C1 [N, 28, 28, 6] …
 * OUTPUT [N, 10] (see {@link HistoricalActivations}).
 * @example
 * ```ts
 * const params = historicalParams(createHistorical({ seed: 1 }));
 * const x = zeros([1, 32, 32, 1]);
 * const { C1, OUTPUT } = historicalForwardScratch(params, x);
 * C1.shape; // [1, 28, 28, 6]
 * OUTPUT.shape; // [1, 10]
 * ```
 */
export function historicalForwardScratch(
  params: HistoricalParams,
  x: Tensor,
): HistoricalActivations {
  expectShape("historicalForwardScratch input", x, [null, INPUT_SIZE, INPUT_SIZE, 1]);
  const n = x.shape[0];
  const C1 = scaledTanh(conv2d(x, params.c1.kernel, params.c1.bias)); // [N, 28, 28, 6]
  const S2 = scaledTanh(subsampling(C1, params.s2.coefficient, params.s2.bias)); // [N, 14, 14, 6]
  const C3 = scaledTanh(sparseConv2d(S2, params.c3.kernel, params.c3.bias)); // [N, 10, 10, 16]
  const S4 = scaledTanh(subsampling(C3, params.s4.coefficient, params.s4.bias)); // [N, 5, 5, 16]
  const C5 = scaledTanh(conv2d(S4, params.c5.kernel, params.c5.bias)); // [N, 1, 1, 120]
  const flat: Tensor = { shape: [n, 120], data: C5.data }; // [N, 120], same memory
  const F6 = scaledTanh(dense(flat, params.f6.weight, params.f6.bias)); // [N, 84]
  const OUTPUT = rbf(F6, params.prototypes); // [N, 10]
  return { C1, S2, C3, S4, C5, F6, OUTPUT };
}
