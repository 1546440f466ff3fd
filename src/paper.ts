/**
 * Every constant lenet5 takes from the paper, in one place:
 * Y. LeCun, L. Bottou, Y. Bengio, P. Haffner, "Gradient-Based Learning Applied to Document
 * Recognition", Proc. IEEE 86(11), 1998. Section and figure numbers refer to that paper.
 * Scratch layers and tfjs layers both import from here; tests hold these values to the paper.
 */

/** Amplitude A of the squashing function f(a) = A·tanh(S·a) (Appendix A). */
export const SCALED_TANH_A = 1.7159;
/** Slope S of the squashing function f(a) = A·tanh(S·a) (Appendix A). */
export const SCALED_TANH_S = 2 / 3;

/** Input level of a white (background) pixel after normalisation (Section II-B). */
export const INPUT_BACKGROUND = -0.1;
/** Input level of a black (foreground) pixel after normalisation (Section II-B). */
export const INPUT_FOREGROUND = 1.175;
/** Side of the network's input field: 28×28 MNIST digits centred in 32×32 (Section II-B). */
export const INPUT_SIZE = 32;

/**
 * Weights start uniform in ±2.4/F_i, F_i the fan-in of the unit (Appendix A). The seed page says
 * Gaussian with σ = 1/√fan_in; the paper says uniform.
 */
export const INIT_RANGE_NUMERATOR = 2.4;

/**
 * Table I: which S2 feature maps each C3 feature map takes as input (Section II-B).
 * `TABLE_I[j]` lists the S2 maps of C3 map j: maps 0–5 take three contiguous maps, 6–11 four
 * contiguous, 12–14 four discontinuous, 15 all six — 60 connections, 1,516 parameters.
 */
export const TABLE_I: readonly (readonly number[])[] = [
  [0, 1, 2],
  [1, 2, 3],
  [2, 3, 4],
  [3, 4, 5],
  [0, 4, 5],
  [0, 1, 5],
  [0, 1, 2, 3],
  [1, 2, 3, 4],
  [2, 3, 4, 5],
  [0, 3, 4, 5],
  [0, 1, 4, 5],
  [0, 1, 2, 5],
  [0, 1, 3, 4],
  [1, 2, 4, 5],
  [0, 2, 3, 5],
  [0, 1, 2, 3, 4, 5],
];

/** Width of an RBF prototype bitmap: 7 columns (Section II-B, Fig. 3). */
export const RBF_BITMAP_WIDTH = 7;
/** Height of an RBF prototype bitmap: 12 rows; 7 × 12 = 84 = the units of F6. */
export const RBF_BITMAP_HEIGHT = 12;

/**
 * The output RBF units' fixed parameter vectors: stylised 7×12 images of the ten digits, `#` for
 * +1 and `.` for −1 (Section II-B, Fig. 3). The paper prints them only as a picture; these are
 * drawn in its style for lenet5 (a departure in detail, not in kind). Row-major, top row first.
 */
export const RBF_BITMAPS: readonly string[] = [
  [
    ".......",
    "..###..",
    ".##.##.",
    ".#...#.",
    "##...##",
    "##...##",
    "##...##",
    "##...##",
    ".#...#.",
    ".##.##.",
    "..###..",
    ".......",
  ],
  [
    ".......",
    "...##..",
    "..###..",
    ".####..",
    "...##..",
    "...##..",
    "...##..",
    "...##..",
    "...##..",
    "...##..",
    ".######",
    ".......",
  ],
  [
    ".......",
    ".#####.",
    "##...##",
    ".....##",
    "....##.",
    "...##..",
    "..##...",
    ".##....",
    "##.....",
    "##.....",
    "#######",
    ".......",
  ],
  [
    ".......",
    "#######",
    ".....##",
    "....##.",
    "...##..",
    "..####.",
    ".....##",
    ".....##",
    ".....##",
    "##...##",
    ".#####.",
    ".......",
  ],
  [
    ".......",
    "....##.",
    "...###.",
    "..#.##.",
    ".#..##.",
    "#...##.",
    "#######",
    "....##.",
    "....##.",
    "....##.",
    "....##.",
    ".......",
  ],
  [
    ".......",
    "#######",
    "##.....",
    "##.....",
    "######.",
    ".....##",
    ".....##",
    ".....##",
    ".....##",
    "##...##",
    ".#####.",
    ".......",
  ],
  [
    ".......",
    "...###.",
    "..##...",
    ".##....",
    "##.....",
    "######.",
    "##...##",
    "##...##",
    "##...##",
    "##...##",
    ".#####.",
    ".......",
  ],
  [
    ".......",
    "#######",
    ".....##",
    "....##.",
    "....##.",
    "...##..",
    "...##..",
    "..##...",
    "..##...",
    "..##...",
    "..##...",
    ".......",
  ],
  [
    ".......",
    ".#####.",
    "##...##",
    "##...##",
    "##...##",
    ".#####.",
    "##...##",
    "##...##",
    "##...##",
    "##...##",
    ".#####.",
    ".......",
  ],
  [
    ".......",
    ".#####.",
    "##...##",
    "##...##",
    "##...##",
    "##...##",
    ".######",
    ".....##",
    "....##.",
    "...##..",
    ".###...",
    ".......",
  ],
].map((rows) => rows.join(""));

/**
 * The ten RBF prototypes as one row-major [10, 84] array of ±1: row i is the parameter vector
 * w_i of output unit i, read from {@link RBF_BITMAPS}.
 * @example
 * ```ts
 * const w = rbfPrototypes();
 * w.length; // 840
 * ```
 */
export function rbfPrototypes(): Float32Array {
  const size = RBF_BITMAP_WIDTH * RBF_BITMAP_HEIGHT;
  const out = new Float32Array(10 * size);
  RBF_BITMAPS.forEach((bitmap, digit) => {
    for (let k = 0; k < size; k++) out[digit * size + k] = bitmap[k] === "#" ? 1 : -1;
  });
  return out;
}

/** One layer's counts as the paper states them (Section II-B). */
export interface PaperLayerCounts {
  /** The paper's layer name. */
  readonly name: "C1" | "S2" | "C3" | "S4" | "C5" | "F6" | "OUTPUT";
  /** Trainable parameters ("trainable parameters" in the paper). */
  readonly params: number;
  /** Connections ("connections" in the paper). */
  readonly connections: number;
}

/**
 * Trainable parameters and connections per layer as printed in Section II-B. The RBF output's
 * 840 weights are fixed by hand, so they count as connections, not trainable parameters. Tests
 * hold the `historical` model's computed counts to these.
 */
export const PAPER_LAYER_COUNTS: readonly PaperLayerCounts[] = [
  { name: "C1", params: 156, connections: 122_304 },
  { name: "S2", params: 12, connections: 5_880 },
  { name: "C3", params: 1_516, connections: 151_600 },
  { name: "S4", params: 32, connections: 2_000 },
  { name: "C5", params: 48_120, connections: 48_120 },
  { name: "F6", params: 10_164, connections: 10_164 },
  { name: "OUTPUT", params: 0, connections: 840 },
];

/**
 * LeNet-5's training error on the plain set, measured while training as in Fig. 5: 0.35% "after
 * 19 passes" (Section III-B).
 */
export const PAPER_TRAIN_ERROR = {
  /** The error rate, 0.35%. */
  lenet5: 0.0035,
  /** After this many passes through the training set. */
  afterPasses: 19,
} as const;

/**
 * The range of SDLM's effective learning rates ε_k over the parameters during the first pass:
 * "between approximately 7 × 10⁻⁵ and 0.016" (Section III-B).
 */
export const PAPER_SDLM_FIRST_PASS_RATES = [7e-5, 0.016] as const;

/** MNIST test error rates reported in the paper (Section III-C, Fig. 9). */
export const PAPER_TEST_ERROR = {
  /** LeNet-1: 1.7%. */
  lenet1: 0.017,
  /** LeNet-4: 1.1%. */
  lenet4: 0.011,
  /** LeNet-5 trained on the plain training set: 0.95%. */
  lenet5: 0.0095,
  /** LeNet-5 trained with distorted training digits: 0.8%. */
  lenet5Distorted: 0.008,
} as const;

/**
 * μ of ε_k = η/(μ + h_kk): "The parameter μ was set to 0.02" (Section III-B).
 */
export const SDLM_MU = 0.02;

/**
 * Samples the diagonal Hessian is estimated on before each pass: "Before each iteration, the
 * diagonal Hessian approximation was reevaluated on 500 samples" (Section III-B, Appendix C).
 */
export const SDLM_HESSIAN_SAMPLES = 500;

/**
 * The paper's global learning rate schedule (Section III-B): η = 0.0005 for the first two passes,
 * 0.0002 for the next three, 0.0001 for the next three, 0.00005 for the next 4, and
 * {@link SDLM_FINAL_RATE} thereafter.
 */
export const SDLM_SCHEDULE: readonly {
  /** Passes through the training set at this rate. */
  readonly passes: number;
  /** The global learning rate η of these passes. */
  readonly rate: number;
}[] = [
  { passes: 2, rate: 0.0005 },
  { passes: 3, rate: 0.0002 },
  { passes: 3, rate: 0.0001 },
  { passes: 4, rate: 0.00005 },
];

/** η after the passes of {@link SDLM_SCHEDULE}: 0.00001 (Section III-B). */
export const SDLM_FINAL_RATE = 0.00001;

/**
 * Passes through the training set of one training session: "20 iterations through the entire
 * training data were performed for each session" (Section III-B).
 */
export const SDLM_PASSES = 20;

/** One classifier of the paper's Fig. 9 and its MNIST test error as the figure prints it. */
export interface PaperClassifierError {
  /** The classifier's label as Fig. 9 prints it, brackets included ("[deslant] K-NN Euclidean"). */
  readonly method: string;
  /** Test error on the 10,000 MNIST test digits, as a fraction (0.012 for 1.2%). */
  readonly error: number;
  /**
   * How its data differed from the plain 28×28 digits, as Fig. 9's label marks it: `deslant`
   * (trained and tested on deslanted digits), `dist` (training set augmented with distorted
   * digits), `16x16` (images reduced to 16×16), or `none` (no mark).
   */
  readonly data: "none" | "deslant" | "dist" | "16x16";
  /** The family the paper's Section III-C describes it in. */
  readonly family:
    "linear" | "nearest neighbour" | "kernel and RBF" | "fully connected net" | "convolutional net";
}

/**
 * Fig. 9, "Error rate on the test set (%) for various classification methods", every row in the
 * order the figure prints it (Section III-C, "Comparison with Other Classifiers"; the LeNet-5
 * rows are also stated in Section III-B). "[deslant]" means trained and tested on the deslanted
 * database, "[dist]" a training set augmented with artificially distorted digits, "[16x16]" the
 * 16×16 images. The paper puts the uncertainty of the quoted rates at about 0.1%.
 * {@link PAPER_TEST_ERROR} keeps the four LeNet rows the library compares itself with.
 */
export const PAPER_FIG9: readonly PaperClassifierError[] = [
  { method: "Linear", error: 0.12, data: "none", family: "linear" },
  { method: "[deslant] Linear", error: 0.084, data: "deslant", family: "linear" },
  { method: "Pairwise", error: 0.076, data: "none", family: "linear" },
  { method: "K-NN Euclidean", error: 0.05, data: "none", family: "nearest neighbour" },
  {
    method: "[deslant] K-NN Euclidean",
    error: 0.024,
    data: "deslant",
    family: "nearest neighbour",
  },
  { method: "40 PCA + quadratic", error: 0.033, data: "none", family: "kernel and RBF" },
  { method: "1000 RBF + linear", error: 0.036, data: "none", family: "kernel and RBF" },
  { method: "[16x16] Tangent Distance", error: 0.011, data: "16x16", family: "nearest neighbour" },
  { method: "SVM poly 4", error: 0.011, data: "none", family: "kernel and RBF" },
  { method: "RS-SVM poly 5", error: 0.01, data: "none", family: "kernel and RBF" },
  { method: "[dist] V-SVM poly 9", error: 0.008, data: "dist", family: "kernel and RBF" },
  { method: "28x28-300-10", error: 0.047, data: "none", family: "fully connected net" },
  { method: "[dist] 28x28-300-10", error: 0.036, data: "dist", family: "fully connected net" },
  {
    method: "[deslant] 20x20-300-10",
    error: 0.016,
    data: "deslant",
    family: "fully connected net",
  },
  { method: "28x28-1000-10", error: 0.045, data: "none", family: "fully connected net" },
  { method: "[dist] 28x28-1000-10", error: 0.038, data: "dist", family: "fully connected net" },
  { method: "28x28-300-100-10", error: 0.0305, data: "none", family: "fully connected net" },
  { method: "[dist] 28x28-300-100-10", error: 0.025, data: "dist", family: "fully connected net" },
  { method: "28x28-500-150-10", error: 0.0295, data: "none", family: "fully connected net" },
  { method: "[dist] 28x28-500-150-10", error: 0.0245, data: "dist", family: "fully connected net" },
  { method: "[16x16] LeNet-1", error: 0.017, data: "16x16", family: "convolutional net" },
  { method: "LeNet-4", error: 0.011, data: "none", family: "convolutional net" },
  { method: "LeNet-4 / K-NN", error: 0.011, data: "none", family: "convolutional net" },
  { method: "LeNet-4 / Local", error: 0.011, data: "none", family: "convolutional net" },
  { method: "LeNet-5", error: 0.0095, data: "none", family: "convolutional net" },
  { method: "[dist] LeNet-5", error: 0.008, data: "dist", family: "convolutional net" },
  { method: "[dist] Boosted LeNet-4", error: 0.007, data: "dist", family: "convolutional net" },
];
