/**
 * Exercise checks for notebooks 08 (training the paper's way, Appendix C and Section III-B),
 * 09 (the modern LeNet-5) and 10 (the comparison): the learner writes a small formula and these
 * functions try it.
 *
 *   SDLM step size       ε_k = η / (μ + h_kk)                        (Appendix C)
 *   modern shape trace   side before C5 = ⌊(⌊(S + 2p − 4)/2⌋ − 4)/2⌋ (5×5 convs, 2×2 pools)
 *   conv connections     H_out·W_out·(K·K·Cin + 1)·Cout               (Section II-B: C1 → 122,304)
 *
 * Input: the learner's function. Output: an {@link ExerciseResult}, printed. On a wrong answer the
 * message names the usual slip. The checks never throw.
 */
import { PAPER_LAYER_COUNTS, SDLM_MU } from "../paper";
import { type ExerciseResult, exerciseResult, tryLearnerCode } from "./result";

/** What the learner writes in notebook 08: SDLM's learning rate of one weight. */
export type SdlmStepSizeFunction = (eta: number, mu: number, h: number) => number;

/** [η, μ, h_kk] cases: the paper's μ, lenet5's μ at batch 16, and a zero curvature. */
const SDLM_CASES: readonly (readonly [number, number, number])[] = [
  [0.0005, SDLM_MU, 0.08], // 0.0005 / 0.1 = 0.005
  [0.0002, 1.6, 0.4], // 0.0002 / 2 = 0.0001
  [0.0005, SDLM_MU, 0], // no curvature: η/μ = 0.025, the largest step
];

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-12 + 1e-9 * Math.abs(b);
}

function diagnoseSdlm(value: number, eta: number, mu: number, h: number): string | undefined {
  const slips: [number, string][] = [
    [0, "still the starter: write ε = η / (μ + h)"],
    [eta / h, "that forgets μ: without it a weight with h ≈ 0 gets an unbounded step"],
    [eta / mu, "that ignores the curvature h: every weight would get the same rate η/μ"],
    [eta * (mu + h), "the curvature divides η: more curvature, smaller step"],
    [eta / (mu * h), "μ is added to h, not multiplied"],
    [eta / mu + h, "divide η by the sum μ + h"],
    [eta, "that is plain SGD: divide η by μ + h"],
  ];
  return slips.find(([wrong]) => Number.isFinite(wrong) && close(value, wrong))?.[1];
}

/**
 * Checks the learner's SDLM step size ε_k = η/(μ + h_kk) on the paper's μ = 0.02, lenet5's
 * μ = 1.6 (batch 16) and a weight with no curvature; a wrong answer names the slip (μ forgotten,
 * h ignored, multiplied instead of divided).
 * @example
 * ```ts
 * const result = checkSdlmStepSize((eta, mu, h) => eta / (mu + h));
 * result.ok; // true — prints "✓ …"
 * ```
 */
export function checkSdlmStepSize(stepSize: SdlmStepSizeFunction): ExerciseResult {
  for (const [eta, mu, h] of SDLM_CASES) {
    const call = `sdlmStepSize(${eta}, ${mu}, ${h})`;
    const run = tryLearnerCode("sdlmStepSize", () => stepSize(eta, mu, h));
    if (!run.ok) return exerciseResult(false, run.error);
    const value = run.value;
    if (typeof value !== "number" || Number.isNaN(value)) {
      return exerciseResult(false, `${call} returned ${String(value)}, not a number`);
    }
    const expected = eta / (mu + h);
    if (!close(value, expected)) {
      const why = diagnoseSdlm(value, eta, mu, h);
      return exerciseResult(
        false,
        `${call} returned ${value}; expected ${expected} = η / (μ + h)` +
          (why === undefined ? "" : ` — ${why}`),
      );
    }
  }
  const [eta, mu] = SDLM_CASES[2];
  return exerciseResult(
    true,
    `ε = η/(μ + h): a weight with no curvature gets the largest step, η/μ = ${eta / mu} with the ` +
      `paper's μ = ${mu}; high curvature shrinks the step`,
  );
}

/** What the learner writes in notebook 09: the side of the maps S4 hands to C5. */
export type C5InputSideFunction = (inputSide: number, c1Padding: number) => number;

/** The right answer: two 5×5 valid convolutions (C1 padded by p), each followed by a 2×2 pool. */
function c5InputSide(side: number, padding: number): number {
  const c1 = side + 2 * padding - 4;
  const c3 = Math.floor(c1 / 2) - 4;
  return Math.floor(c3 / 2);
}

const SHAPE_CASES: readonly (readonly [number, number, string])[] = [
  [28, 2, "lenet5's modern net: 28×28 input, C1 padded by 2"],
  [32, 0, "the paper's net: 32×32 input, no padding"],
  [32, 2, "the tutorial page's data (resized to 32×32) with its padded C1"],
  [28, 0, "28×28 input without padding"],
];

/** Usual slips, as functions of (S, p), each matched against the learner's answers on every case. */
const SHAPE_SLIPS: readonly (readonly [(s: number, p: number) => number, string])[] = [
  [() => 0, "still the starter: follow the side through C1, S2, C3 and S4"],
  [(s) => c5InputSide(s, 0), "that ignores C1's padding: it adds 2p to the side first"],
  [
    (s, p) => Math.floor((Math.floor((s + 2 * p - 5) / 2) - 5) / 2),
    "a 5×5 valid convolution removes 4 rows (S − 5 + 1), not 5",
  ],
  [(s, p) => s + 2 * p - 8, "that forgets the two 2×2 pools, which halve the side"],
  [(s, p) => Math.floor((s + 2 * p) / 4), "that forgets the two convolutions, each taking 4 off"],
];

/** The slip the learner's function agrees with on every case, if any. */
function diagnoseShape(c5Input: C5InputSideFunction): string | undefined {
  return SHAPE_SLIPS.find(([slip]) =>
    SHAPE_CASES.every(([side, padding]) => {
      const run = tryLearnerCode("c5InputSide", () => c5Input(side, padding));
      return run.ok && run.value === slip(side, padding);
    }),
  )?.[1];
}

/**
 * Checks the learner's trace of the map side through C1 (5×5, padding p), S2 (2×2), C3 (5×5) and
 * S4 (2×2): 5 for lenet5's modern net and for the paper's, 6 for the tutorial page's 32×32 input with
 * padding (which leaves C5 a 2×2 output and breaks its 120→84 layer), 4 for 28×28 unpadded.
 * @example
 * ```ts
 * const result = checkC5InputSide((s, p) => Math.floor((Math.floor((s + 2 * p - 4) / 2) - 4) / 2));
 * result.ok; // true — prints "✓ …"
 * ```
 */
export function checkC5InputSide(c5Input: C5InputSideFunction): ExerciseResult {
  for (const [side, padding, name] of SHAPE_CASES) {
    const call = `c5InputSide(${side}, ${padding})`;
    const run = tryLearnerCode("c5InputSide", () => c5Input(side, padding));
    if (!run.ok) return exerciseResult(false, run.error);
    const value = run.value;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      return exerciseResult(false, `${call} (${name}) returned ${String(value)}, not a number`);
    }
    const expected = c5InputSide(side, padding);
    if (value !== expected) {
      const why = diagnoseShape(c5Input);
      return exerciseResult(
        false,
        `${call} (${name}) returned ${value}; expected ${expected}` +
          (why === undefined ? " (C1: S + 2p − 4, pool: ÷2, C3: −4, pool: ÷2)" : ` — ${why}`),
      );
    }
  }
  return exerciseResult(
    true,
    "28×28 with padding 2 and 32×32 without both reach C5 as 5×5 maps, so C5's 5×5 kernels " +
      "give 1×1×120; the tutorial page's 32×32 with padding 2 reaches it as 6×6 and C5 gives 2×2×120",
  );
}

/** What the learner writes in notebook 10: connections of a convolution layer. */
export type ConvConnectionsFunction = (
  outputSide: number,
  kernelSize: number,
  inChannels: number,
  outChannels: number,
) => number;

function paperConnections(name: "C1" | "C5"): number {
  return PAPER_LAYER_COUNTS.find((layer) => layer.name === name)?.connections ?? NaN;
}

const CONNECTION_CASES: readonly {
  readonly name: string;
  readonly args: readonly [number, number, number, number];
  readonly expected: number;
}[] = [
  { name: "C1", args: [28, 5, 1, 6], expected: paperConnections("C1") },
  { name: "C5", args: [1, 5, 16, 120], expected: paperConnections("C5") },
  // C3 fully connected to S2, as in the tutorial page's HistoricalLeNet5: 100·(150 + 1)·16.
  { name: "a full C3 (the tutorial page's)", args: [10, 5, 6, 16], expected: 241_600 },
];

function diagnoseConnections(
  value: number,
  [side, k, cin, cout]: readonly [number, number, number, number],
): string | undefined {
  const slips: [number, string][] = [
    [0, "still the starter: units × (inputs per unit + 1)"],
    [side * side * k * k * cin * cout, "that leaves out the bias: each unit also adds its bias"],
    [
      (k * k * cin + 1) * cout,
      "that is the parameter count: with weight sharing each weight is used at every position",
    ],
    [side * (k * k * cin + 1) * cout, "the map is H_out × W_out units: square the side"],
    [side * side * (k * k + 1) * cout, "each unit reads K·K inputs from every one of the Cin maps"],
  ];
  return slips.find(([wrong]) => wrong === value)?.[1];
}

/**
 * Checks the learner's connection count H_out·W_out·(K·K·Cin + 1)·Cout on C1 (122,304) and C5
 * (48,120), the paper's counts, and on the tutorial page's full C3 (241,600); a wrong answer names the
 * slip (no bias, parameters instead of connections, side not squared, input maps ignored).
 * @example
 * ```ts
 * const result = checkConvConnections((s, k, cin, cout) => s * s * (k * k * cin + 1) * cout);
 * result.ok; // true — prints "✓ …"
 * ```
 */
export function checkConvConnections(connections: ConvConnectionsFunction): ExerciseResult {
  for (const c of CONNECTION_CASES) {
    const call = `convConnections(${c.args.join(", ")})`;
    const run = tryLearnerCode("convConnections", () => connections(...c.args));
    if (!run.ok) return exerciseResult(false, run.error);
    const value = run.value;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      return exerciseResult(false, `${call} (${c.name}) returned ${String(value)}, not a number`);
    }
    if (value !== c.expected) {
      const why = diagnoseConnections(value, c.args);
      return exerciseResult(
        false,
        `${call} (${c.name}) returned ${value.toLocaleString("en-US")}; expected ` +
          `${c.expected.toLocaleString("en-US")}` +
          (why === undefined ? " = H_out·W_out·(K·K·Cin + 1)·Cout" : ` — ${why}`),
      );
    }
  }
  return exerciseResult(
    true,
    "C1 → 122,304 and C5 → 48,120 connections, the paper's counts (Section II-B); the tutorial page's " +
      "full C3 → 241,600, 59% more than Table I's 151,600",
  );
}
