/**
 * Exercise check for notebook 11 (the whole net by hand): the learner writes one op's backward
 * pass, F6's full connection y = x·W + b (Section II-B), on plain arrays:
 *
 *   dx = dy · Wᵀ,   dW = xᵀ · dy,   db = Σ_n dy[n]
 *
 * The check compares each with the slope measured by central differences (`checkGradient` of
 * scratch/gradcheck.ts) on a small random case, and names the usual slips (a missing transpose,
 * a bias gradient not summed over the batch). Input: the learner's function. Output: an
 * {@link ExerciseResult}; the check never throws.
 */
import { Rng } from "../rng";
import { dense } from "../scratch/dense";
import { checkGradient, randomTensor, weightedSum } from "../scratch/gradcheck";
import { tensor, type Tensor } from "../scratch/tensor";
import { type ExerciseResult, exerciseResult, tryLearnerCode } from "./result";

/** The learner's backward pass of y = x·W + b: x [N][In], w [In][Out], dy [N][Out]. */
export type DenseBackwardFunction = (
  x: number[][],
  w: number[][],
  dy: number[][],
) => { dx: number[][]; dW: number[][]; db: number[] };

/** Rows of a [rows, cols] tensor as nested arrays. */
function toRows(t: Tensor): number[][] {
  const [rows, cols] = t.shape;
  return Array.from({ length: rows }, (_, r) =>
    Array.from(t.data.subarray(r * cols, (r + 1) * cols)),
  );
}

/** A learner's nested array as a float64 tensor of `shape`, or a message saying why it is not one. */
function fromRows(name: string, value: unknown, shape: readonly number[]): Tensor | string {
  const flat = (Array.isArray(value) ? value.flat() : []) as unknown[];
  const size = shape.reduce((a, b) => a * b, 1);
  if (!Array.isArray(value) || flat.length !== size || flat.some((v) => typeof v !== "number"))
    return `${name} should be ${shape.length === 1 ? `${shape[0]} numbers` : `${shape[0]} rows of ${shape[1]} numbers`} ([${shape.join(", ")}])`;
  return tensor(shape, flat as number[], "float64");
}

/**
 * Checks the learner's dense backward pass against numerical gradients on x [3, 5], W [5, 4].
 * @example
 * ```ts
 * checkDenseBackward((x, w, dy) => ({ dx: …, dW: …, db: … })); // ✓ dx, dW and db match …
 * ```
 */
export function checkDenseBackward(backward: DenseBackwardFunction): ExerciseResult {
  const rng = new Rng(11);
  const x = randomTensor(rng, [3, 5]);
  const w = randomTensor(rng, [5, 4]);
  const b = randomTensor(rng, [4]);
  const dy = randomTensor(rng, [3, 4]);
  const ran = tryLearnerCode("your backward", () => backward(toRows(x), toRows(w), toRows(dy)));
  if (!ran.ok) return exerciseResult(false, ran.error);
  const loss = (): number => weightedSum(dense(x, w, b), dy); // dLoss/dy = dy
  const cases: [string, unknown, Tensor, string][] = [
    ["dx", ran.value?.dx, x, "dx = dy · Wᵀ: row n of dx is Σ_k dy[n][k] · W[i][k]"],
    [
      "dW",
      ran.value?.dW,
      w,
      "dW = xᵀ · dy: dW[i][k] = Σ_n x[n][i] · dy[n][k], summed over the batch",
    ],
    [
      "db",
      ran.value?.db,
      b,
      "db[k] = Σ_n dy[n][k]: the bias is shared by every example, so sum over the batch",
    ],
  ];
  for (const [name, value, param, hint] of cases) {
    const analytic = fromRows(name, value, param.shape);
    if (typeof analytic === "string") return exerciseResult(false, analytic);
    const result = checkGradient(loss, param, analytic, { tol: 1e-6 });
    if (!result.passed)
      return exerciseResult(
        false,
        `${name} differs from the numerical gradient (largest relative error ${result.maxRelError.toExponential(2)}): ${hint}`,
      );
  }
  return exerciseResult(
    true,
    "dx, dW and db match the numerical gradients (central differences, x [3, 5], W [5, 4])",
  );
}
