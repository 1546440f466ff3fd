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
 * μ of ε_k = η/(μ + h_kk): "The parameter μ was set to 0.02" (Section III-C).
 */
export const SDLM_MU = 0.02;

/**
 * Samples the diagonal Hessian is estimated on before each pass: "Before each iteration, the
 * diagonal Hessian approximation was reevaluated on 500 samples" (Section III-C).
 */
export const SDLM_HESSIAN_SAMPLES = 500;

/**
 * The paper's global learning rate schedule (Section III-C): η = 0.0005 for the first two passes,
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

/** η after the passes of {@link SDLM_SCHEDULE}: 0.00001 (Section III-C). */
export const SDLM_FINAL_RATE = 0.00001;

/**
 * Passes through the training set of one training session: "20 iterations through the entire
 * training data were performed for each session" (Section III-C).
 */
export const SDLM_PASSES = 20;
