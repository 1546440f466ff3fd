/**
 * Exercise checks for notebook 12 (experiments with the faithful net's ablation options): the
 * learner predicts, in numbers, what an option changes before training with it.
 *
 *   weighted-sum spread   std(Σ_i w_i x_i) = (K/D)/√3 · √F · rms(x), w uniform in ±K/D,
 *                         D = F (the paper's ±2.4/F_i, Appendix A) or √F
 *   ablation parameters   trainable parameters of the paper's net, full C3, and average or max
 *                         pooling in S2/S4 (Section II-B, Table I)
 *
 * Input: the learner's function or numbers. Output: an {@link ExerciseResult}, printed. On a
 * wrong answer the message names the usual slip. The checks never throw.
 */
import { INIT_RANGE_NUMERATOR, PAPER_LAYER_COUNTS, TABLE_I } from "../paper";
import { type ExerciseResult, exerciseResult, tryLearnerCode } from "./result";

/** What divides the initial range's numerator: F_i (the paper's) or √F_i. */
export type InitDivisor = "fanIn" | "sqrtFanIn";

/**
 * What the learner writes in notebook 12: the standard deviation of a unit's weighted sum at
 * initialisation, for weights uniform in ±numerator/D (D = fanIn or √fanIn) and independent
 * inputs of root mean square `inputRms`.
 */
export type WeightedSumSpreadFunction = (
  numerator: number,
  fanIn: number,
  divisor: InitDivisor,
  inputRms: number,
) => number;

/** The right answer: F terms, each of variance (range²/3)·rms². */
function weightedSumSpread(k: number, fanIn: number, divisor: InitDivisor, rms: number): number {
  const range = k / (divisor === "fanIn" ? fanIn : Math.sqrt(fanIn));
  return (range / Math.sqrt(3)) * Math.sqrt(fanIn) * rms;
}

const SPREAD_CASES: readonly {
  readonly name: string;
  readonly args: readonly [number, number, InitDivisor, number];
}[] = [
  { name: "C1, the paper's range", args: [INIT_RANGE_NUMERATOR, 25, "fanIn", 0.5] },
  { name: "C5, the paper's range", args: [INIT_RANGE_NUMERATOR, 400, "fanIn", 0.2] },
  { name: "C5, ±2.4/√F_i", args: [INIT_RANGE_NUMERATOR, 400, "sqrtFanIn", 0.2] },
  { name: "F6, ±1/√F_i", args: [1, 120, "sqrtFanIn", 0.1] },
];

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-12 + 1e-9 * Math.abs(b);
}

/** Usual slips, as functions of the case, each matched against the learner's answers on every case. */
const SPREAD_SLIPS: readonly (readonly [WeightedSumSpreadFunction, string])[] = [
  [() => 0, "still the starter: one term's std, times √F for a sum of F independent terms"],
  [
    (k, f, d, rms) => weightedSumSpread(k, f, d, rms) * Math.sqrt(3),
    "a uniform ±r has std r/√3, not r",
  ],
  [
    (k, f, d, rms) => weightedSumSpread(k, f, d, rms) * Math.sqrt(f),
    "independent terms add variances: the std grows as √F, not F",
  ],
  [
    (k, f, d, rms) => weightedSumSpread(k, f, d, rms) / Math.sqrt(f),
    "that is one term: the sum has F of them",
  ],
  [
    (k, f, d, rms) => weightedSumSpread(k, f, d, rms) / rms,
    "the inputs' size multiplies every term: × rms(x)",
  ],
  [
    (k, f, d, rms) => weightedSumSpread(k, f, d === "fanIn" ? "sqrtFanIn" : "fanIn", rms),
    'the divisor is swapped: "fanIn" divides by F, "sqrtFanIn" by √F',
  ],
];

/** The slip the learner's function agrees with on every case, if any. */
function diagnoseSpread(spread: WeightedSumSpreadFunction): string | undefined {
  return SPREAD_SLIPS.find(([slip]) =>
    SPREAD_CASES.every(({ args }) => {
      const run = tryLearnerCode("weightedSumSpread", () => spread(...args));
      return run.ok && typeof run.value === "number" && close(run.value, slip(...args));
    }),
  )?.[1];
}

/**
 * Checks the learner's std of a weighted sum at initialisation, (K/D)/√3 · √F · rms(x), on C1
 * and C5 with the paper's ±2.4/F_i, C5 with ±2.4/√F_i and F6 with ±1/√F_i; a wrong answer names
 * the slip (uniform std taken as r, std summed as F instead of √F, inputs forgotten, divisor
 * swapped). The success message gives the ratio between the two rules at C5: √400 = 20.
 * @example
 * ```ts
 * const result = checkWeightedSumSpread(
 *   (k, f, d, rms) => (k / (d === "fanIn" ? f : Math.sqrt(f)) / Math.sqrt(3)) * Math.sqrt(f) * rms,
 * );
 * result.ok; // true — prints "✓ …"
 * ```
 */
export function checkWeightedSumSpread(spread: WeightedSumSpreadFunction): ExerciseResult {
  for (const c of SPREAD_CASES) {
    const call = `weightedSumSpread(${c.args.map((a) => JSON.stringify(a)).join(", ")})`;
    const run = tryLearnerCode("weightedSumSpread", () => spread(...c.args));
    if (!run.ok) return exerciseResult(false, run.error);
    const value = run.value;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      return exerciseResult(false, `${call} (${c.name}) returned ${String(value)}, not a number`);
    }
    const expected = weightedSumSpread(...c.args);
    if (!close(value, expected)) {
      const why = diagnoseSpread(spread);
      return exerciseResult(
        false,
        `${call} (${c.name}) returned ${value.toPrecision(4)}; expected ${expected.toPrecision(4)}` +
          (why === undefined ? " = (K/D)/√3 · √F · rms(x)" : ` — ${why}`),
      );
    }
  }
  const paper = weightedSumSpread(INIT_RANGE_NUMERATOR, 400, "fanIn", 1);
  const root = weightedSumSpread(INIT_RANGE_NUMERATOR, 400, "sqrtFanIn", 1);
  return exerciseResult(
    true,
    `std = (K/D)/√3 · √F · rms(x): with the paper's ±2.4/F_i it falls as 1/√F (C5, rms 1: ` +
      `${paper.toPrecision(2)}); with ±2.4/√F_i it is the same at every fan-in ` +
      `(${root.toPrecision(3)}), ${Math.round(root / paper)} times larger at C5`,
  );
}

/** The learner's predicted trainable-parameter counts of four variants of the faithful net. */
export interface AblationParameterCounts {
  /** The paper's net: Table I, trainable subsampling. */
  readonly paper: number;
  /** `c3: "full"`: every C3 map reads all six S2 maps. */
  readonly fullC3: number;
  /** `subsampling: "average"`: S2 and S4 are 2×2 average pooling. */
  readonly averagePooling: number;
  /** `subsampling: "max"`: S2 and S4 are 2×2 max pooling. */
  readonly maxPooling: number;
}

const KERNEL_AREA = 25; // C3's 5×5 kernels
const C3_MAPS = TABLE_I.length;
const S2_MAPS = 6;

function paperParams(name: string): number {
  return PAPER_LAYER_COUNTS.find((layer) => layer.name === name)?.params ?? NaN;
}

/**
 * The right counts, from the paper's layer table: the paper's total (60,000); full C3 replaces
 * C3's 60 Table I connections by all 96 (16 × (6 × 25 + 1) = 2,416 parameters); pooling drops S2's
 * and S4's coefficient and bias per map (12 + 32).
 */
export function ablationParameterCounts(): AblationParameterCounts {
  const paper = PAPER_LAYER_COUNTS.reduce((sum, layer) => sum + layer.params, 0);
  const fullC3Layer = C3_MAPS * (S2_MAPS * KERNEL_AREA + 1);
  const pooled = paper - paperParams("S2") - paperParams("S4");
  return {
    paper,
    fullC3: paper - paperParams("C3") + fullC3Layer,
    averagePooling: pooled,
    maxPooling: pooled,
  };
}

function diagnoseParams(
  key: keyof AblationParameterCounts,
  value: number,
  right: AblationParameterCounts,
): string | undefined {
  const full = C3_MAPS * S2_MAPS * KERNEL_AREA;
  const slips: Partial<Record<keyof AblationParameterCounts, [number, string][]>> = {
    fullC3: [
      [right.paper, "full C3 adds the 36 S2→C3 pairs Table I leaves out, 25 weights each"],
      [right.paper - paperParams("C3") + full, "each of C3's 16 maps still has its bias"],
      [
        right.paper + 36 * KERNEL_AREA + C3_MAPS,
        "the biases are there already: only kernels are added",
      ],
    ],
    averagePooling: [
      [right.paper, "a pooling layer has no coefficient and no bias: S2's 12 and S4's 32 go"],
      [right.paper - paperParams("S2"), "S4 loses its 32 parameters too"],
    ],
    maxPooling: [
      [right.paper, "max pooling has no parameters: S2's 12 and S4's 32 go"],
      [
        right.paper - paperParams("S2") - paperParams("S4") - 840,
        "OUTPUT's prototypes are fixed: they were never trainable",
      ],
    ],
  };
  return slips[key]?.find(([wrong]) => wrong === value)?.[1];
}

/**
 * Checks the learner's trainable-parameter counts of the paper's net (60,000), full C3 (60,900)
 * and average or max pooling (59,956 each); a wrong answer names the slip (C3's biases
 * forgotten, only S2's parameters dropped, the fixed prototypes counted).
 * @example
 * ```ts
 * const result = checkAblationParameters({
 *   paper: 60_000, fullC3: 60_900, averagePooling: 59_956, maxPooling: 59_956,
 * });
 * result.ok; // true — prints "✓ …"
 * ```
 */
export function checkAblationParameters(counts: AblationParameterCounts): ExerciseResult {
  const right = ablationParameterCounts();
  for (const key of ["paper", "fullC3", "averagePooling", "maxPooling"] as const) {
    const value = counts?.[key];
    if (typeof value !== "number" || !Number.isFinite(value)) {
      return exerciseResult(false, `${key} is ${String(value)}, not a number`);
    }
    if (value !== right[key]) {
      const why = diagnoseParams(key, value, right);
      return exerciseResult(
        false,
        `${key}: ${value.toLocaleString("en-US")}; expected ${right[key].toLocaleString("en-US")}` +
          (why === undefined ? "" : ` — ${why}`),
      );
    }
  }
  return exerciseResult(
    true,
    `paper ${right.paper.toLocaleString("en-US")}, full C3 +${(right.fullC3 - right.paper).toLocaleString("en-US")}, ` +
      `either pooling −${right.paper - right.maxPooling}: a coefficient and a bias per map are all S2 and S4 ` +
      `ever learned, and average and max pooling differ in what they compute, not in what they learn`,
  );
}
