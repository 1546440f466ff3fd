/**
 * Exercise check for notebook 01 (the input, Section II-B of the paper): the learner writes the
 * mapping from a raw MNIST byte to the paper's input level,
 *
 *   x = B + (F − B) · p / 255,   B = −0.1 (background, white), F = 1.175 (foreground, black)
 *
 * so 0 → −0.1 and 255 → 1.175 (the paper gives the two levels; the straight line between them is
 * lenet5's reading, as in `normalisePixel`). MNIST stores 0 for the white background and 255 for
 * full ink.
 *
 * Input: the learner's function p → x. Output: an {@link ExerciseResult}, printed. The reference
 * is the library's `normalisePixel(p, "paper")` for all 256 byte values; the check never throws.
 */
import { normalisePixel } from "../data/preprocess";
import { INPUT_BACKGROUND, INPUT_FOREGROUND } from "../paper";
import { type ExerciseResult, exerciseResult, tryLearnerCode } from "./result";

/** What the learner writes: the paper's input value of one raw pixel 0…255. */
export type PaperPixelFunction = (pixel: number) => number;

/** Float32 inputs carry about 7 digits; this accepts any honest way of writing the line. */
const TOLERANCE = 1e-5;

function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= TOLERANCE;
}

/** Names the usual slip when the learner's values fit it, else undefined. */
function diagnosePaperPixel(values: readonly number[]): string | undefined {
  const [B, F] = [INPUT_BACKGROUND, INPUT_FOREGROUND];
  const fits = (f: (p: number) => number): boolean => values.every((v, p) => near(v, f(p)));
  const slips: [(p: number) => number, string][] = [
    [() => 0, "every pixel gives 0 — still the starter: write the mapping"],
    [
      (p) => F + (B - F) * (p / 255),
      "background and ink are swapped: in MNIST 0 is the white background (→ −0.1) and 255 full ink (→ 1.175)",
    ],
    [(p) => F * (p / 255), `the offset is missing: pixel 0 must give ${B}, not 0`],
    [
      (p) => B + p / 255,
      `the scale is off: the two levels are ${F - B} apart, so multiply p/255 by F − B = ${(F - B).toFixed(3)}`,
    ],
    [
      (p) => B + F * (p / 255),
      `pixel 255 gives ${(B + F).toFixed(3)}: scale by F − B = ${(F - B).toFixed(3)}, not by F`,
    ],
    [(p) => B + (F - B) * p, "divide the byte by 255 first: p/255 runs from 0 to 1"],
    [
      (p) => p / 255,
      "that is the plain [0, 1] scaling; the paper wants −0.1 for background and 1.175 for ink",
    ],
  ];
  return slips.find(([f]) => fits(f))?.[1];
}

/**
 * Checks the learner's pixel → input mapping on every byte 0…255 against
 * `normalisePixel(p, "paper")`; a wrong answer names the slip (levels swapped, offset or scale
 * missing, no division by 255).
 * @example
 * ```ts
 * const result = checkPaperPixel((p) => -0.1 + (1.175 - -0.1) * (p / 255));
 * result.ok; // true — prints "✓ …"
 * ```
 */
export function checkPaperPixel(paperPixel: PaperPixelFunction): ExerciseResult {
  const values: number[] = [];
  for (let p = 0; p < 256; p++) {
    const run = tryLearnerCode("paperPixel", () => paperPixel(p));
    if (!run.ok) return exerciseResult(false, run.error);
    if (typeof run.value !== "number" || Number.isNaN(run.value)) {
      return exerciseResult(false, `paperPixel(${p}) returned ${String(run.value)}, not a number`);
    }
    values.push(run.value);
  }
  const wrong = values.findIndex((v, p) => !near(v, normalisePixel(p, "paper")));
  if (wrong === -1) {
    return exerciseResult(
      true,
      `0 → ${INPUT_BACKGROUND}, 255 → ${INPUT_FOREGROUND}, and every byte in between on the straight line ` +
        '(matches normalisePixel(p, "paper"))',
    );
  }
  const expected = normalisePixel(wrong, "paper");
  const why = diagnosePaperPixel(values);
  const endsRight = near(values[0], INPUT_BACKGROUND) && near(values[255], INPUT_FOREGROUND);
  const hint =
    why ??
    (endsRight
      ? "both ends are right but the middle is not: the mapping is a straight line between them"
      : `x = ${INPUT_BACKGROUND} + (${INPUT_FOREGROUND} − ${INPUT_BACKGROUND}) · p/255`);
  return exerciseResult(
    false,
    `paperPixel(${wrong}) returned ${values[wrong].toFixed(4)}; expected ${expected.toFixed(4)} — ${hint}`,
  );
}
