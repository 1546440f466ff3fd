/**
 * The ablation options of the faithful net in one record, and the fidelity ledger's rows for
 * them: each option in use is a departure from the paper, named with the paper's value beside
 * it. The options themselves act elsewhere — `c3`, `subsampling` and `initScale` in
 * `createHistorical` (./historical.ts), `j` and `outputCurvature` in `trainModel` (the loss of
 * eq. 9 and SDLM's curvature, src/train/) — and a checkpoint's recipe records them all
 * (`modelOptions`, `j`, `outputCurvature`), so {@link ablationOfRecipe} reads them back.
 *
 * Input shape / Output shape: no tensors; rows of text.
 */
import { INIT_RANGE_NUMERATOR } from "../paper";
import { DEFAULT_RBF_LOSS_J } from "../scratch/rbf-loss";
import type { FidelityRow } from "./fidelity";
import { historicalDepartures, type HistoricalOptions } from "./historical";

/**
 * Every ablation option of `historical`: the builder's (`c3`, `subsampling`, `initScale`) and
 * the training run's (`j`, `outputCurvature`). Absent fields are the paper's (j: lenet5's 0.1).
 */
export interface HistoricalAblation extends HistoricalOptions {
  /** The constant j of eq. 9 (default DEFAULT_RBF_LOSS_J = 0.1; the paper gives no value). */
  readonly j?: number;
  /** SDLM's curvature at F6's output: "eq9" (default) or a constant (2: eq. 8's, y_D alone). */
  readonly outputCurvature?: "eq9" | number;
}

/**
 * The ablation a checkpoint's recipe records: its `modelOptions`, `j` and `outputCurvature`.
 * @example
 * ```ts
 * ablationOfRecipe({ modelOptions: { c3: "full" }, j: 0.1 }); // { c3: "full", j: 0.1 }
 * ```
 */
export function ablationOfRecipe(recipe: Record<string, unknown> | null): HistoricalAblation {
  if (recipe === null) return {};
  const options = (recipe.modelOptions ?? {}) as HistoricalOptions;
  const { j, outputCurvature } = recipe;
  return {
    ...historicalDepartures(options),
    ...(typeof j === "number" ? { j } : {}),
    ...(outputCurvature === "eq9" || typeof outputCurvature === "number"
      ? { outputCurvature }
      : {}),
  };
}

/** The init scale as the paper writes it: ±K/F_i or ±K/√F_i. */
function scaleText(options: HistoricalOptions): string {
  const numerator = options.initScale?.numerator ?? INIT_RANGE_NUMERATOR;
  const root = (options.initScale?.divisor ?? "fanIn") === "sqrtFanIn";
  return `uniform ±${numerator}/${root ? "√F_i" : "F_i"}`;
}

/**
 * The ledger's rows for the ablation options in use: one "departure" row per option that
 * differs from the paper (none for the paper's net). Throws a RangeError on a bad option.
 * @example
 * ```ts
 * ablationRows({ c3: "full" })[0].item; // "C3 connections (ablation option)"
 * ablationRows({}); // []
 * ```
 */
export function ablationRows(ablation: HistoricalAblation): FidelityRow[] {
  const departures = historicalDepartures(ablation);
  const group = "Ablation options in use";
  const rows: FidelityRow[] = [];
  if (departures.c3 === "full") {
    rows.push({
      group,
      item: "C3 connections (ablation option)",
      paper: "Table I: 60 of the 96 S2 → C3 pairs",
      lenet5: "full: all 96 pairs, 2,416 C3 parameters",
      status: "departure",
      reference: "Table I, §II-B",
      note: "An experiment: the paper chose Table I to cut parameters and break symmetry.",
    });
  }
  if (departures.subsampling !== undefined) {
    rows.push({
      group,
      item: "S2/S4 (ablation option)",
      paper: "sum of 2×2 × trainable coefficient + trainable bias, then squash",
      lenet5: `2×2 ${departures.subsampling} pooling, no parameters, no squash`,
      status: "departure",
      reference: "§II-B",
      note: "An experiment: pooling as later CNNs do it.",
    });
  }
  if (departures.initScale !== undefined) {
    rows.push({
      group,
      item: "Initial range (ablation option)",
      paper: `uniform ±${INIT_RANGE_NUMERATOR}/F_i`,
      lenet5: scaleText(departures),
      status: "departure",
      reference: "Appendix A",
      note: "An experiment: the range sets how far into the sigmoid the weighted sums start.",
    });
  }
  const j = ablation.j ?? DEFAULT_RBF_LOSS_J;
  if (!(j > 0)) throw new RangeError(`ablationRows: j must be positive, got ${j}`);
  if (j !== DEFAULT_RBF_LOSS_J) {
    rows.push({
      group,
      item: "Loss constant j (ablation option)",
      paper: "a positive constant, value not given",
      lenet5: `${j} (lenet5's default: ${DEFAULT_RBF_LOSS_J})`,
      status: "departure",
      reference: "§II-C, eq. 9",
      note: "An experiment: e^−j is the rubbish class's score, where the push on wrong classes stops.",
    });
  }
  const curvature = ablation.outputCurvature ?? "eq9";
  if (curvature !== "eq9") {
    rows.push({
      group,
      item: "SDLM curvature (ablation option)",
      paper: "Gauss–Newton diagonal of the loss the net is trained with (eq. 9)",
      lenet5: `a constant ${curvature} at F6's output${curvature === 2 ? " (eq. 8's loss: y_D alone)" : ""}`,
      status: "departure",
      reference: "Appendix C, eqs. 8–9",
      note: "An experiment: h_kk as if the loss were y_D alone, the competitive term of eq. 9 ignored.",
    });
  }
  return rows;
}
