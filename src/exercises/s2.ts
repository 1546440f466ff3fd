/**
 * Exercise check for notebook 03 (S2, trainable subsampling, Section II-B of the paper): the
 * learner writes the 2×2 block sums of one feature map — the part of S2 before its coefficient,
 * bias and squashing function:
 *
 *   s[oy, ox] = x[2·oy, 2·ox] + x[2·oy, 2·ox + 1] + x[2·oy + 1, 2·ox] + x[2·oy + 1, 2·ox + 1]
 *
 * The paper adds the four inputs; the seed page averages them (a factor 4 apart).
 *
 * Input: the learner's function (plane [H·W] row-major, H, W) → sums [(H/2)·(W/2)] row-major.
 * Output: an {@link ExerciseResult}, printed. The reference is the library's
 * `scratch.subsampling` with coefficient 1 and bias 0; the check never throws.
 */
import { Rng } from "../rng";
import { randomTensor } from "../scratch/gradcheck";
import { subsampling } from "../scratch/subsampling";
import { tensor } from "../scratch/tensor";
import { type ExerciseResult, exerciseResult, tryLearnerCode } from "./result";

/** What the learner writes: the 2×2 block sums of one H×W map, row-major in and out. */
export type BlockSumsFunction = (
  plane: Float64Array,
  height: number,
  width: number,
) => ArrayLike<number>;

/** One block-sums case. */
interface BlockSumsCase {
  readonly name: string;
  readonly plane: Float64Array;
  readonly height: number;
  readonly width: number;
}

function blockSumsCases(): BlockSumsCase[] {
  const rng = new Rng(3);
  return [
    // The notebook's hand example: 1…16 gives [14, 22, 46, 54].
    {
      name: "the 4×4 map 1…16",
      plane: Float64Array.from({ length: 16 }, (_, i) => i + 1),
      height: 4,
      width: 4,
    },
    // Not square, so swapped rows and columns show.
    {
      name: "a random 6×8 map",
      plane: randomTensor(rng, [6 * 8]).data as Float64Array,
      height: 6,
      width: 8,
    },
  ];
}

/** The right answer, from the library: subsampling with coefficient 1 and bias 0. */
function referenceSums(c: BlockSumsCase): Float64Array {
  const x = tensor([1, c.height, c.width, 1], c.plane, "float64"); // [1, H, W, 1]
  const one = tensor([1], [1], "float64");
  const zero = tensor([1], [0], "float64");
  return subsampling(x, one, zero).data as Float64Array; // [1, H/2, W/2, 1]
}

function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

/** Names the usual slip when the learner's sums fit it, else undefined. */
function diagnoseBlockSums(
  got: readonly number[],
  c: BlockSumsCase,
  want: Float64Array,
): string | undefined {
  const { height, width, plane } = c;
  const [oh, ow] = [height / 2, width / 2];
  if (got.length === (height - 1) * (width - 1)) {
    return "that slides the 2×2 window one pixel at a time; S2's blocks do not overlap (stride 2)";
  }
  if (got.length === height * width) return "the output should be half as tall and half as wide";
  if (got.length !== oh * ow) return `expected ${oh}×${ow} = ${oh * ow} values, got ${got.length}`;
  const fits = (f: (i: number) => number): boolean => got.every((v, i) => near(v, f(i)));
  const block = (i: number): number[] => {
    const [oy, ox] = [Math.floor(i / ow), i % ow];
    const top = 2 * oy * width + 2 * ox;
    return [plane[top], plane[top + 1], plane[top + width], plane[top + width + 1]];
  };
  if (got.every((v) => v === 0))
    return "every sum is 0 — still the starter: add the four inputs of each block";
  if (fits((i) => want[i] / 4)) {
    return "those are averages, 4× too small: the paper adds the four inputs (the seed page averages)";
  }
  if (fits((i) => Math.max(...block(i))))
    return "that is max pooling (the modern choice); S2 adds the four inputs";
  if (fits((i) => block(i)[0]))
    return "that keeps only the top-left input of each block; add all four";
  const transposed = (i: number): number => {
    const [ox, oy] = [Math.floor(i / oh), i % oh];
    return want[oy * ow + ox];
  };
  if (fits(transposed)) return "the output is transposed: write row-major, index oy·(W/2) + ox";
  return undefined;
}

/**
 * Checks the learner's 2×2 block sums on the 4×4 map 1…16 (sums 14, 22, 46, 54) and a random
 * 6×8 map against `scratch.subsampling` with coefficient 1, bias 0; a wrong answer names the slip
 * (average instead of sum, max, overlapping windows, transposed output).
 * @example
 * ```ts
 * const result = checkBlockSums((plane, height, width) => {
 *   const sums = new Float64Array((height / 2) * (width / 2));
 *   for (let y = 0; y < height; y++)
 *     for (let x = 0; x < width; x++)
 *       sums[Math.floor(y / 2) * (width / 2) + Math.floor(x / 2)] += plane[y * width + x];
 *   return sums;
 * });
 * result.ok; // true — prints "✓ …"
 * ```
 */
export function checkBlockSums(blockSums: BlockSumsFunction): ExerciseResult {
  for (const c of blockSumsCases()) {
    const call = `blockSums(<${c.name}>, ${c.height}, ${c.width})`;
    const run = tryLearnerCode("blockSums", () => blockSums(c.plane.slice(), c.height, c.width));
    if (!run.ok) return exerciseResult(false, run.error);
    const value: unknown = run.value;
    if (
      value === null ||
      typeof value !== "object" ||
      typeof (value as ArrayLike<number>).length !== "number"
    ) {
      return exerciseResult(false, `${call} returned ${String(value)}, not an array of numbers`);
    }
    const got = Array.from(value as ArrayLike<number>, Number);
    const want = referenceSums(c);
    const ok = got.length === want.length && got.every((v, i) => near(v, want[i]));
    if (!ok) {
      const why = diagnoseBlockSums(got, c, want);
      const shown = (values: ArrayLike<number>): string =>
        `[${Array.from(values)
          .slice(0, 4)
          .map((v) => Number(v.toFixed(4)))
          .join(", ")}${values.length > 4 ? ", …" : ""}]`;
      return exerciseResult(
        false,
        `${call} returned ${shown(got)}; expected ${shown(want)}` +
          (why === undefined ? " — s[oy, ox] = sum of x[2oy…2oy+1, 2ox…2ox+1]" : ` — ${why}`),
      );
    }
  }
  return exerciseResult(
    true,
    "the 4×4 map 1…16 gives [14, 22, 46, 54] and the random 6×8 map matches scratch.subsampling " +
      "(coefficient 1, bias 0): 2×2 sums, stride 2",
  );
}
