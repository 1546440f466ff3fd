// What the playground's parts share: lenet5's browser entry as loaded on the client, the models
// on offer with their labels and layer notes, and what one classification of the drawing gives.
import type { ActivationProbe, DigitWarning, LayerActivation, ModelName } from "lenet5/browser";

export type { DigitWarning, LayerActivation };

/** lenet5's browser entry, loaded on the client only (`import("lenet5/browser")`). */
export type Lenet5 = typeof import("lenet5/browser");

/** The models the playground offers (their shipped weights are served with the site). */
export type ShownModel = Extract<ModelName, "historical" | "modern">;

/** A shipped model, fetched and warmed up. */
export interface LoadedModel {
  /** One forward pass returning every paper layer's output. */
  readonly probe: ActivationProbe;
  /** Passes the shipped weights were trained for. */
  readonly epoch: number;
  /** Their accuracy on the MNIST test set after the last pass, 0–1 (null if not recorded). */
  readonly testAccuracy: number | null;
}

/** One classification of the drawing. */
export interface Result {
  readonly model: ShownModel;
  /** True when there is no digit to read (nothing drawn, or one uniform shade). */
  readonly empty: boolean;
  /** Why there is no digit to read, or null (lenet5's digitWarning, as `predict` uses). */
  readonly warning: DigitWarning | null;
  /** The drawing in MNIST's form: 28×28, 0 background … 255 ink. */
  readonly digit28: Uint8Array;
  /** The model's input [inputSize, inputSize], normalised. */
  readonly input: Float32Array;
  readonly inputSize: number;
  /** C1 … OUTPUT, in order. */
  readonly activations: readonly LayerActivation[];
  readonly prediction: ReturnType<Lenet5["predictionFrom"]>;
  /** The forward pass with its readback, ms. */
  readonly latencyMs: number;
}

/** How the playground presents each model. */
export interface ModelView {
  /** The switch button's label and the section title's name. */
  readonly label: string;
  /** One line per paper layer: what it computes. */
  readonly layerNotes: Readonly<Record<string, string>>;
  /**
   * The colour range of the feature maps: the scaled tanh's own ±A (the same for every layer),
   * or each layer's largest value (ReLU has no fixed range).
   */
  readonly range: "tanh" | "own-max";
}

/** The playground's models, in the switch's order. */
export const SHOWN_MODELS: readonly ShownModel[] = ["historical", "modern"];

/** Each model's presentation. */
export const MODEL_VIEWS: Readonly<Record<ShownModel, ModelView>> = {
  historical: {
    label: "LeNet-5 (1998, faithful)",
    range: "tanh",
    layerNotes: {
      C1: "6 convolutions 5×5 of the 32×32 input, then f(a) = 1.7159·tanh(2a/3)",
      S2: "2×2 sums × a trainable coefficient + bias, squashed",
      C3: "16 maps, each from the subset of S2 maps in Table I",
      S4: "2×2 subsampling again",
      C5: "120 convolutions 5×5 over all of S4: one value each",
      F6: "84 units, read as a 7×12 picture",
    },
  },
  modern: {
    label: "Modern LeNet-5",
    range: "own-max",
    layerNotes: {
      C1: "6 convolutions 5×5 ('same' padding) + batch norm + ReLU",
      S2: "2×2 max pooling",
      C3: "16 convolutions 5×5 over all 6 maps + batch norm + ReLU",
      S4: "2×2 max pooling",
      C5: "120 units (5×5 convolution) + ReLU",
      F6: "84 units + ReLU, shown as 7×12 like the paper's F6",
    },
  },
};
