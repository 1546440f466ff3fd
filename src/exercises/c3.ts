/**
 * Exercise check for notebook 04 (C3 and Table I, Section II-B of the paper): the learner writes
 * the parameter count of a sparsely connected convolution from its connection table,
 *
 *   params = (number of connections) · K² + (number of output maps)
 *
 * one K×K kernel per (input map, output map) pair the table lists, one bias per output map.
 * For Table I and K = 5: 60 · 25 + 16 = 1,516, the paper's count.
 *
 * Input: the learner's function (table, kernelSize) → number. Output: an {@link ExerciseResult}.
 * The reference is the library's `sparseConv2dParamCount`; the check never throws.
 */
import { TABLE_I } from "../paper";
import { sparseConv2dParamCount, tableConnections } from "../scratch/sparse-conv2d";
import { type ExerciseResult, exerciseResult, tryLearnerCode } from "./result";

/** What the learner writes: the trainable parameters of a table with K×K kernels. */
export type C3ParamCountFunction = (table: number[][], kernelSize: number) => number;

/** One case of the check: a named table and a kernel size. */
interface ParamCountCase {
  readonly name: string;
  readonly table: readonly (readonly number[])[];
  readonly kernelSize: number;
}

const FULL_TABLE: readonly (readonly number[])[] = Array.from({ length: 16 }, () => [
  0, 1, 2, 3, 4, 5,
]);

const CASES: readonly ParamCountCase[] = [
  { name: "Table I with 5×5 kernels", table: TABLE_I, kernelSize: 5 },
  { name: "a full 6→16 table with 5×5 kernels", table: FULL_TABLE, kernelSize: 5 },
  {
    name: "the small table [[0], [0, 1], [1]] with 3×3 kernels",
    table: [[0], [0, 1], [1]],
    kernelSize: 3,
  },
];

/** Names the usual slip when `value` matches it for this case, else returns undefined. */
function diagnose(value: number, c: ParamCountCase): string | undefined {
  const { inMap, inChannels, outChannels } = tableConnections(c.table);
  const connections = inMap.length;
  const k = c.kernelSize;
  const slips: [number, string][] = [
    [
      connections * k * k,
      `that is ${connections} connections × ${k * k} weights with no biases: add one bias per output map (${outChannels})`,
    ],
    [
      connections * (k * k + 1),
      `that gives every connection its own bias; the paper has one bias per output map, ${outChannels} here, not ${connections}`,
    ],
    [
      inChannels * outChannels * k * k + outChannels,
      `that connects every input map to every output map; count only the ${connections} pairs the table lists`,
    ],
    [connections * k + outChannels, `a ${k}×${k} kernel has ${k * k} weights, not ${k}`],
    [
      outChannels * (k * k + 1),
      `that counts one kernel per output map; each output map has one kernel per input map it reads`,
    ],
  ];
  return slips.find(([wrong]) => wrong === value)?.[1];
}

/**
 * Checks the learner's parameter count on Table I (1,516), a full table (2,416) and a small
 * table; on a wrong answer it names the usual slip (no biases, a bias per connection, full
 * connectivity, K instead of K²).
 * @example
 * ```ts
 * const result = checkC3ParamCount((table, k) =>
 *   table.reduce((n, inputs) => n + inputs.length * k * k + 1, 0),
 * );
 * result.ok; // true — prints "✓ …"
 * ```
 */
export function checkC3ParamCount(paramCount: C3ParamCountFunction): ExerciseResult {
  for (const c of CASES) {
    const tableCopy = c.table.map((row) => [...row]); // the learner may mutate it
    const run = tryLearnerCode("your function", () => paramCount(tableCopy, c.kernelSize));
    if (!run.ok) return exerciseResult(false, `${run.error} (on ${c.name})`);
    const expected = sparseConv2dParamCount(c.kernelSize, c.table);
    const value = run.value;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      return exerciseResult(
        false,
        `on ${c.name} your function returned ${String(value)}, not a number`,
      );
    }
    if (value !== expected) {
      const why =
        diagnose(value, c) ??
        "count one K×K kernel per listed connection plus one bias per output map";
      return exerciseResult(
        false,
        `on ${c.name} your function returned ${value}; expected ${expected}: ${why}`,
      );
    }
  }
  return exerciseResult(
    true,
    "right on all cases: Table I gives 60·25 + 16 = 1,516 parameters, the full table 96·25 + 16 = 2,416",
  );
}
