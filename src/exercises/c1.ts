/**
 * Exercise checks for notebooks 00 (tour) and 02 (C1, Section II-B of the paper): the learner
 * writes three small pieces of convolution arithmetic and these functions try them.
 *
 *   parameters of a conv layer  (K·K·Cin + 1)·Cout     — C1: (25 + 1)·6 = 156, C5: (400 + 1)·120 = 48,120
 *   output side                 ⌊(H + 2p − K)/s⌋ + 1   — C1: 32 − 5 + 1 = 28
 *   one output value            y[0, oy, ox, co] = b[co] + Σ_{ky, kx, ci} x[0, oy + ky, ox + kx, ci] · k[ky, kx, ci, co]
 *
 * Input: the learner's function. Output: an {@link ExerciseResult}, printed. The references are
 * the paper's counts (`PAPER_LAYER_COUNTS`) and the library's `scratch` conv2d; on a wrong answer
 * the message names the usual slip. The checks never throw.
 */
import { PAPER_LAYER_COUNTS } from "../paper";
import { Rng } from "../rng";
import { conv2d } from "../scratch/conv2d";
import { randomTensor } from "../scratch/gradcheck";
import type { Tensor } from "../scratch/tensor";
import { type ExerciseResult, exerciseResult, tryLearnerCode } from "./result";

/** What the learner writes in notebook 00: trainable parameters of a K×K convolution layer. */
export type ConvParamCountFunction = (
  kernelSize: number,
  inChannels: number,
  outChannels: number,
) => number;

/** One parameter-count case: a layer's name and its sizes. */
interface ConvLayerCase {
  readonly name: string;
  readonly kernelSize: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly expected: number;
}

function paperParams(name: "C1" | "C5"): number {
  return PAPER_LAYER_COUNTS.find((layer) => layer.name === name)?.params ?? NaN;
}

const PARAM_CASES: readonly ConvLayerCase[] = [
  { name: "C1", kernelSize: 5, inChannels: 1, outChannels: 6, expected: paperParams("C1") },
  { name: "C5", kernelSize: 5, inChannels: 16, outChannels: 120, expected: paperParams("C5") },
  // Every factor distinct, so each slip gives a different number.
  {
    name: "a 3×3 layer from 2 to 4 maps",
    kernelSize: 3,
    inChannels: 2,
    outChannels: 4,
    expected: 76,
  },
];

/** Formats a count with thousands separators. */
function count(n: number): string {
  return Number.isFinite(n) ? n.toLocaleString("en-US") : String(n);
}

function diagnoseParamCount(value: number, c: ConvLayerCase): string | undefined {
  const { kernelSize: k, inChannels: cin, outChannels: cout } = c;
  const slips: [number, string][] = [
    [0, "still the starter: write the formula"],
    [k * k * cin * cout, `that leaves out the biases: one per output map, +${cout}`],
    [
      (k * k + 1) * cin * cout,
      `that gives a bias to every (input map, output map) pair; there is one bias per output map`,
    ],
    [k * k * cin + 1, `that counts one kernel; the layer has ${cout}, one per output map`],
    [
      (k * k + 1) * cout,
      `that ignores the ${cin} input maps: each kernel spans all of them (K·K·Cin weights)`,
    ],
    [(k + 1) * cin * cout, `a ${k}×${k} kernel has ${k * k} weights, not ${k}`],
  ];
  return slips.find(([wrong]) => wrong === value)?.[1];
}

/**
 * Checks the learner's `(K, Cin, Cout) → parameters` on C1 (156) and C5 (48,120), the paper's
 * counts, and on a 3×3 layer from 2 to 4 maps (76); a wrong answer names the usual slip (no
 * biases, a bias per kernel, one kernel only, input maps ignored).
 * @example
 * ```ts
 * const result = checkConvParamCount((k, cin, cout) => (k * k * cin + 1) * cout);
 * result.ok; // true — prints "✓ …"
 * ```
 */
export function checkConvParamCount(convParamCount: ConvParamCountFunction): ExerciseResult {
  for (const c of PARAM_CASES) {
    const call = `convParamCount(${c.kernelSize}, ${c.inChannels}, ${c.outChannels})`;
    const run = tryLearnerCode("convParamCount", () =>
      convParamCount(c.kernelSize, c.inChannels, c.outChannels),
    );
    if (!run.ok) return exerciseResult(false, run.error);
    const value = run.value;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      return exerciseResult(false, `${call} (${c.name}) returned ${String(value)}, not a number`);
    }
    if (value !== c.expected) {
      const why = diagnoseParamCount(value, c);
      return exerciseResult(
        false,
        `${call} (${c.name}) returned ${count(value)}; expected ${count(c.expected)}` +
          (why === undefined ? ` = (K·K·Cin + 1)·Cout` : ` — ${why}`),
      );
    }
  }
  return exerciseResult(
    true,
    `C1 → ${count(PARAM_CASES[0].expected)} and C5 → ${count(PARAM_CASES[1].expected)} trainable ` +
      `parameters, the paper's counts (Section II-B); the 3×3 layer from 2 to 4 maps → 76`,
  );
}

/** What the learner writes in notebook 02: the side of a convolution's output. */
export type ConvOutputSizeFunction = (
  inputSize: number,
  kernelSize: number,
  padding: number,
  stride: number,
) => number;

/** One output-size case. */
interface OutputSizeCase {
  readonly name: string;
  readonly inputSize: number;
  readonly kernelSize: number;
  readonly padding: number;
  readonly stride: number;
}

const OUTPUT_SIZE_CASES: readonly OutputSizeCase[] = [
  { name: "C1: 32×32 input, 5×5 kernel", inputSize: 32, kernelSize: 5, padding: 0, stride: 1 },
  { name: "C3: 14×14 input, 5×5 kernel", inputSize: 14, kernelSize: 5, padding: 0, stride: 1 },
  { name: "C5: 5×5 input, 5×5 kernel", inputSize: 5, kernelSize: 5, padding: 0, stride: 1 },
  {
    name: "the modern C1: 28×28 input, padding 2",
    inputSize: 28,
    kernelSize: 5,
    padding: 2,
    stride: 1,
  },
  {
    name: "S2's 2×2 windows at stride 2 on 28×28",
    inputSize: 28,
    kernelSize: 2,
    padding: 0,
    stride: 2,
  },
  {
    name: "a 5×5 kernel at stride 2 on 32×32",
    inputSize: 32,
    kernelSize: 5,
    padding: 0,
    stride: 2,
  },
];

/** The right answer: how many window positions fit. */
function convOutputSize(c: OutputSizeCase): number {
  return Math.floor((c.inputSize + 2 * c.padding - c.kernelSize) / c.stride) + 1;
}

function diagnoseOutputSize(value: number, c: OutputSizeCase): string | undefined {
  const { inputSize: h, kernelSize: k, padding: p, stride: s } = c;
  const exact = (h + 2 * p - k) / s + 1;
  const slips: [number, string][] = [
    [0, "still the starter: write the formula"],
    [
      Math.floor((h + 2 * p - k) / s),
      "one short: count window positions, the first at offset 0 and the last at H + 2p − K, so add 1",
    ],
    [Math.floor((h + p - k) / s) + 1, "the padding goes on both sides: 2p, not p"],
    [exact, "a window that would run off the edge is not used: round (H + 2p − K)/s down"],
    [
      Math.ceil((h + 2 * p - k) / s) + 1,
      "rounded up; round (H + 2p − K)/s down (tfjs 'valid', PyTorch)",
    ],
    [h + 2 * p - k + 1, "that ignores the stride: divide (H + 2p − K) by s"],
    [Math.floor((h - k) / s) + 1, "that ignores the padding: add 2p to H"],
    [Math.floor(h / s), "that is H/s; subtract the kernel first: ⌊(H + 2p − K)/s⌋ + 1"],
  ];
  return slips.find(([wrong]) => wrong === value && wrong !== convOutputSize(c))?.[1];
}

/**
 * Checks the learner's output-size formula ⌊(H + 2p − K)/s⌋ + 1 on LeNet-5's C1, C3, C5, the
 * modern padded C1, S2's stride-2 windows and a stride that does not divide evenly; a wrong answer
 * names the slip (no +1, padding once, no rounding, stride or padding ignored).
 * @example
 * ```ts
 * const result = checkConvOutputSize((h, k, p, s) => Math.floor((h + 2 * p - k) / s) + 1);
 * result.ok; // true — prints "✓ …"
 * ```
 */
export function checkConvOutputSize(outputSize: ConvOutputSizeFunction): ExerciseResult {
  for (const c of OUTPUT_SIZE_CASES) {
    const call = `outputSize(${c.inputSize}, ${c.kernelSize}, ${c.padding}, ${c.stride})`;
    const run = tryLearnerCode("outputSize", () =>
      outputSize(c.inputSize, c.kernelSize, c.padding, c.stride),
    );
    if (!run.ok) return exerciseResult(false, run.error);
    const value = run.value;
    if (typeof value !== "number" || Number.isNaN(value)) {
      return exerciseResult(false, `${call} (${c.name}) returned ${String(value)}, not a number`);
    }
    const expected = convOutputSize(c);
    if (value !== expected) {
      const why = diagnoseOutputSize(value, c);
      return exerciseResult(
        false,
        `${call} (${c.name}) returned ${value}; expected ${expected}` +
          (why === undefined ? " = ⌊(H + 2p − K)/s⌋ + 1" : ` — ${why}`),
      );
    }
  }
  return exerciseResult(
    true,
    "C1 32 → 28, C3 14 → 10, C5 5 → 1, padded 28 → 28, stride-2 windows 28 → 14 and 32 → 14: " +
      "⌊(H + 2p − K)/s⌋ + 1 holds",
  );
}

/** What the learner writes in notebook 02: one output value y[0, oy, ox, co] of a valid conv. */
export type ConvPixelFunction = (
  x: Tensor,
  kernel: Tensor,
  bias: Tensor,
  oy: number,
  ox: number,
  co: number,
) => number;

/** How a wrong one-pixel computation may have gone: each variant is a usual slip. */
interface PixelVariant {
  readonly flip: boolean;
  readonly transpose: boolean;
  readonly withBias: boolean;
  readonly firstChannelOnly: boolean;
}

/** y[0, oy, ox, co] computed with the given slips (none: the right value). */
function pixelVariant(
  x: Tensor,
  kernel: Tensor,
  bias: Tensor,
  at: readonly [number, number, number],
  v: PixelVariant,
): number {
  const [, height, width, cin] = x.shape;
  const [kh, kw, , cout] = kernel.shape;
  const [oy, ox, co] = at;
  let sum = v.withBias ? bias.data[co] : 0;
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      const iy = v.transpose ? ox + kx : oy + ky;
      const ix = v.transpose ? oy + ky : ox + kx;
      if (iy >= height || ix >= width) continue;
      const ty = v.flip ? kh - 1 - ky : ky;
      const tx = v.flip ? kw - 1 - kx : kx;
      for (let ci = 0; ci < (v.firstChannelOnly ? 1 : cin); ci++) {
        sum +=
          x.data[(iy * width + ix) * cin + ci] *
          kernel.data[((ty * kw + tx) * cin + ci) * cout + co];
      }
    }
  }
  return sum;
}

const PIXEL_SLIPS: readonly [Partial<PixelVariant>, string][] = [
  [{ withBias: false }, "the bias b[co] is missing"],
  [
    { flip: true },
    "that flips the kernel (true convolution); LeNet-5, tfjs and PyTorch use cross-correlation: " +
      "x[oy + ky, ox + kx] · k[ky, kx]",
  ],
  [
    { transpose: true },
    "rows and columns are swapped: oy moves down the rows (height), ox along a row",
  ],
  [{ firstChannelOnly: true }, "only input channel 0 is summed; sum over every ci < Cin"],
];

/**
 * Checks the learner's one-output-value function against the library's `scratch.conv2d` on
 * random 2-channel 8×8 inputs with 3×3×2×3 kernels (corners and middle, every output map); a
 * wrong answer names the slip (missing bias, flipped kernel, rows/columns swapped, one channel).
 * @example
 * ```ts
 * const result = checkC1Pixel((x, kernel, bias, oy, ox, co) => {
 *   const [, , width, cin] = x.shape;
 *   const [kh, kw, , cout] = kernel.shape;
 *   let sum = bias.data[co];
 *   for (let ky = 0; ky < kh; ky++)
 *     for (let kx = 0; kx < kw; kx++)
 *       for (let ci = 0; ci < cin; ci++)
 *         sum += x.data[((oy + ky) * width + ox + kx) * cin + ci] * kernel.data[((ky * kw + kx) * cin + ci) * cout + co];
 *   return sum;
 * });
 * result.ok; // true — prints "✓ …"
 * ```
 */
export function checkC1Pixel(convPixel: ConvPixelFunction): ExerciseResult {
  const rng = new Rng(2024);
  const x = randomTensor(rng, [1, 8, 8, 2]); // [1, 8, 8, 2]
  const kernel = randomTensor(rng, [3, 3, 2, 3]); // [3, 3, 2, 3]
  const bias = randomTensor(rng, [3]); // [3]
  const y = conv2d(x, kernel, bias); // [1, 6, 6, 3]
  const positions: [number, number, number][] = [
    [0, 0, 0],
    [0, 5, 1],
    [5, 0, 2],
    [2, 3, 1],
    [5, 4, 0],
  ];
  const none: PixelVariant = {
    flip: false,
    transpose: false,
    withBias: true,
    firstChannelOnly: false,
  };
  for (const at of positions) {
    const [oy, ox, co] = at;
    const call = `convPixel(x, kernel, bias, ${oy}, ${ox}, ${co})`;
    // Copies, so a learner's function that writes into its arguments cannot spoil the check.
    const run = tryLearnerCode("convPixel", () =>
      convPixel(
        { shape: [...x.shape], data: x.data.slice() },
        { shape: [...kernel.shape], data: kernel.data.slice() },
        { shape: [...bias.shape], data: bias.data.slice() },
        oy,
        ox,
        co,
      ),
    );
    if (!run.ok) return exerciseResult(false, run.error);
    const value = run.value;
    if (typeof value !== "number" || Number.isNaN(value)) {
      return exerciseResult(false, `${call} returned ${String(value)}, not a number`);
    }
    const expected = y.data[(oy * 6 + ox) * 3 + co];
    if (Math.abs(value - expected) > 1e-9 * Math.max(1, Math.abs(expected))) {
      const close = (v: number): boolean => Math.abs(value - v) <= 1e-9 * Math.max(1, Math.abs(v));
      const slip = PIXEL_SLIPS.find(([change]) =>
        close(pixelVariant(x, kernel, bias, at, { ...none, ...change })),
      );
      const why =
        value === 0
          ? "still the starter: write the triple sum"
          : (slip?.[1] ??
            "y = b[co] + Σ_{ky, kx, ci} x[0, oy + ky, ox + kx, ci] · k[ky, kx, ci, co]");
      return exerciseResult(
        false,
        `${call} returned ${value.toFixed(6)}; scratch.conv2d gives ${expected.toFixed(6)} — ${why}`,
      );
    }
  }
  return exerciseResult(
    true,
    `all ${positions.length} output values match scratch.conv2d (x [1, 8, 8, 2], kernel [3, 3, 2, 3]): ` +
      "cross-correlation plus bias, NHWC",
  );
}
