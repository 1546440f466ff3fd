/**
 * Exercise checks for notebook 07 (the RBF output and the paper's loss, Section II-B eq. 7 and
 * Section II-C eq. 9 of the paper):
 *
 *   distance of one RBF unit   y_i = Σ_j (x_j − w_ij)²
 *   loss of one sample         E = y_D + log(e^{−j} + Σ_i e^{−y_i})
 *
 * Input: the learner's function. Output: an {@link ExerciseResult}. The references are the
 * library's scratch `rbf` and `rbfLoss`; the checks never throw.
 */
import { rbfPrototypes } from "../paper";
import { Rng } from "../rng";
import { rbf } from "../scratch/rbf";
import { rbfLoss } from "../scratch/rbf-loss";
import { tensor } from "../scratch/tensor";
import { type ExerciseResult, exerciseResult, tryLearnerCode } from "./result";

/** Length of a prototype: 7 × 12 = 84. */
const LENGTH = 84;

/** Relative agreement required: float32 storage of the reference costs about 1e-7. */
function close(value: number, expected: number): boolean {
  return Math.abs(value - expected) <= 1e-5 * Math.max(1, Math.abs(expected));
}

function prototype(digit: number): number[] {
  return Array.from(rbfPrototypes().subarray(digit * LENGTH, (digit + 1) * LENGTH));
}

/** The distance cases: a small hand case, an exact match, two prototypes, a noisy F6 state. */
function distanceCases(): { name: string; x: number[]; w: number[] }[] {
  const rng = new Rng(7);
  const noisyThree = prototype(3).map((v) => 0.8 * v + rng.uniform(-0.3, 0.3));
  return [
    { name: "x = [1, 2], w = [3, −1]", x: [1, 2], w: [3, -1] },
    { name: "x = w = digit 3's prototype", x: prototype(3), w: prototype(3) },
    { name: "x = digit 3's prototype, w = digit 8's", x: prototype(3), w: prototype(8) },
    { name: "a noisy F6 state near 3, w = digit 3's prototype", x: noisyThree, w: prototype(3) },
  ];
}

/** Common slips in the distance, by the function they compute (0, the starter's value, is never diagnosed). */
const DISTANCE_SLIPS: readonly [(x: number[], w: number[]) => number, string][] = [
  [
    (x, w) => Math.sqrt(x.reduce((s, v, j) => s + (v - w[j]) ** 2, 0)),
    "that is the Euclidean distance itself; eq. 7 is its square, Σ (x_j − w_ij)², with no square root",
  ],
  [
    (x, w) => x.reduce((s, v, j) => s + Math.abs(v - w[j]), 0),
    "that is Σ |x_j − w_ij|; eq. 7 squares each difference",
  ],
  [
    (x, w) => x.reduce((s, v, j) => s + (v - w[j]) ** 2, 0) / x.length,
    "that divides by the length; eq. 7 is a plain sum, not a mean",
  ],
  [
    (x, w) => x.reduce((s, v, j) => s + v * w[j], 0),
    "that is the dot product x·w; eq. 7 is the squared distance Σ (x_j − w_ij)²",
  ],
];

/**
 * Checks the learner's RBF distance of one unit, y = Σ_j (x_j − w_j)², on a hand case, on the
 * prototypes and on a noisy F6 state; names the usual slips (square root, absolute values, mean,
 * dot product).
 * @example
 * ```ts
 * const result = checkRbfDistance((x, w) => x.reduce((s, v, j) => s + (v - w[j]) ** 2, 0));
 * result.ok; // true
 * ```
 */
export function checkRbfDistance(distance: (x: number[], w: number[]) => number): ExerciseResult {
  for (const c of distanceCases()) {
    const run = tryLearnerCode("your function", () => distance([...c.x], [...c.w]));
    if (!run.ok) return exerciseResult(false, `${run.error} (on ${c.name})`);
    const expected = rbf(
      tensor([1, c.x.length], c.x, "float64"),
      tensor([1, c.w.length], c.w, "float64"),
    ).data[0];
    const value = run.value;
    if (typeof value !== "number" || !close(value, expected)) {
      const why =
        typeof value === "number" && value !== 0
          ? DISTANCE_SLIPS.find(([slip]) => close(value, slip(c.x, c.w)))?.[1]
          : undefined;
      return exerciseResult(
        false,
        `on ${c.name} your function returned ${String(value)}; expected ${expected}${why ? `: ${why}` : ""}`,
      );
    }
  }
  return exerciseResult(
    true,
    "right on all cases: the distance is 0 on a unit's own prototype and 4 per pixel where two prototypes differ",
  );
}

/** What the learner writes: the loss of one sample from its ten distances, label and j. */
export type RbfLossFunction = (y: number[], label: number, j: number) => number;

/** The loss cases: the library's doc case, a realistic one, a confident one, a confused one. */
const LOSS_CASES: readonly { name: string; y: number[]; label: number; j: number }[] = [
  { name: "y = [0.5, 2], label 0, j = 1", y: [0.5, 2], label: 0, j: 1 },
  {
    name: "ten distances of a well-classified 7, j = 0.1",
    y: [92.4, 71.3, 60.2, 55.8, 88.1, 63.9, 101.7, 6.3, 58.6, 40.2],
    label: 7,
    j: 0.1,
  },
  {
    name: "ten distances of a misclassified 4 (the 9 is nearer), j = 0.1",
    y: [80.5, 66.2, 71.9, 62.3, 18.4, 55.1, 70.8, 38.6, 77.0, 12.9],
    label: 4,
    j: 0.1,
  },
  {
    name: "ten nearly equal distances, label 2, j = 2",
    y: [1.2, 1.4, 0.9, 1.1, 1.3, 1.0, 1.5, 1.2, 0.8, 1.1],
    label: 2,
    j: 2,
  },
];

function logSumExpNeg(values: number[]): number {
  return Math.log(values.reduce((s, v) => s + Math.exp(-v), 0));
}

/** Common slips in the loss, by the function they compute (0, the starter's value, is never diagnosed). */
const LOSS_SLIPS: readonly [RbfLossFunction, string][] = [
  [
    (y, d) => y[d],
    "that is eq. 8, the MSE criterion y_D alone; eq. 9 adds the competitive term log(e^{−j} + Σ_i e^{−y_i})",
  ],
  [(y, d) => y[d] + logSumExpNeg(y), "the rubbish-class term e^{−j} is missing inside the log"],
  [
    (y, d, j) => y[d] + Math.log(j + y.reduce((s, v) => s + Math.exp(-v), 0)),
    "inside the log add e^{−j}, not j",
  ],
  [
    (y, d, j) => y[d] + Math.log(Math.exp(j) + y.reduce((s, v) => s + Math.exp(-v), 0)),
    "the rubbish term is e^{−j}, with a minus sign",
  ],
  [
    (y, _label, j) => Math.log(Math.exp(-j) + y.reduce((s, v) => s + Math.exp(-v), 0)),
    "the first term y_D (the correct class's distance) is missing",
  ],
  [
    (y, d, j) => y[d] - Math.log(Math.exp(-j) + y.reduce((s, v) => s + Math.exp(-v), 0)),
    "the log term is added, not subtracted: E = y_D + log(…)",
  ],
  [
    (y, d, j) =>
      y[d] + Math.log(Math.exp(-j) + y.reduce((s, v, i) => s + (i === d ? 0 : Math.exp(-v)), 0)),
    "Σ_i runs over all classes, the correct one included",
  ],
  [
    (y, d, j) => y[d] + Math.log(Math.exp(-j) + y.reduce((s, v) => s + Math.exp(v), 0)),
    "the exponents are negative: e^{−y_i}, so that near classes (small y_i) weigh most",
  ],
];

/**
 * Checks the learner's eq. 9 loss for one sample against the library's `rbfLoss` on four cases;
 * names the usual slips (MSE alone, no e^{−j}, j instead of e^{−j}, no y_D, a sign, the sum
 * skipping the correct class, positive exponents).
 * @example
 * ```ts
 * const result = checkRbfLoss(
 *   (y, label, j) => y[label] + Math.log(Math.exp(-j) + y.reduce((s, v) => s + Math.exp(-v), 0)),
 * );
 * result.ok; // true
 * ```
 */
export function checkRbfLoss(loss: RbfLossFunction): ExerciseResult {
  for (const c of LOSS_CASES) {
    const run = tryLearnerCode("your function", () => loss([...c.y], c.label, c.j));
    if (!run.ok) return exerciseResult(false, `${run.error} (on ${c.name})`);
    const expected = rbfLoss(tensor([1, c.y.length], c.y, "float64"), [c.label], { j: c.j });
    const value = run.value;
    if (typeof value !== "number" || !close(value, expected)) {
      const why =
        typeof value === "number" && value !== 0
          ? LOSS_SLIPS.find(([slip]) => close(value, slip(c.y, c.label, c.j)))?.[1]
          : undefined;
      return exerciseResult(
        false,
        `on ${c.name} your loss is ${typeof value === "number" ? value.toFixed(6) : String(value)}; ` +
          `expected ${expected.toFixed(6)}${why ? `: ${why}` : ""}`,
      );
    }
  }
  return exerciseResult(
    true,
    "your loss matches the library's rbfLoss (eq. 9) on all cases, the misclassified one included",
  );
}
