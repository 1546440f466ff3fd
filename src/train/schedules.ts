/**
 * Learning-rate schedules: functions from the epoch number (1 for the first pass through the
 * training set, as the paper counts passes) to the global learning rate η of that epoch. The
 * trainer sets the optimiser's rate from one before every epoch.
 *
 *   constant:   η(e) = η₀
 *   step decay: η(e) = η₀ · factor^⌊(e − 1) / every⌋
 *   paper SDLM: η = 0.0005 for passes 1–2, 0.0002 for 3–5, 0.0001 for 6–8, 0.00005 for 9–12,
 *               0.00001 from 13 on (Section III-B; constants in sdlm.ts)
 *
 * Input shape / Output shape: a number in, a number out.
 * Departures from the paper: none for the SDLM schedule; the others are not in the paper.
 */
import { SDLM_FINAL_RATE, SDLM_SCHEDULE } from "./sdlm";

/** A learning-rate schedule: epoch number (1, 2, …) → η. */
export type Schedule = (epoch: number) => number;

function checkEpoch(who: string, epoch: number): void {
  if (!Number.isInteger(epoch) || epoch < 1) {
    throw new RangeError(`${who}: epochs count from 1, got ${epoch}`);
  }
}

/**
 * The same rate every epoch.
 * @example
 * ```ts
 * constantSchedule(0.01)(7); // 0.01
 * ```
 */
export function constantSchedule(rate: number): Schedule {
  return (epoch) => {
    checkEpoch("constantSchedule", epoch);
    return rate;
  };
}

/**
 * Multiplies the rate by `factor` every `every` epochs.
 * @example
 * ```ts
 * const s = stepDecaySchedule(0.1, 0.5, 2);
 * [1, 2, 3, 4, 5].map(s); // [0.1, 0.1, 0.05, 0.05, 0.025]
 * ```
 */
export function stepDecaySchedule(initial: number, factor: number, every: number): Schedule {
  if (!Number.isInteger(every) || every < 1) {
    throw new RangeError(`stepDecaySchedule: every must be a positive integer, got ${every}`);
  }
  return (epoch) => {
    checkEpoch("stepDecaySchedule", epoch);
    return initial * factor ** Math.floor((epoch - 1) / every);
  };
}

/**
 * The paper's SDLM schedule of the global rate η (Section III-B).
 * @example
 * ```ts
 * [1, 2, 3, 6, 9, 13, 20].map(paperSdlmSchedule);
 * // [0.0005, 0.0005, 0.0002, 0.0001, 0.00005, 0.00001, 0.00001]
 * ```
 */
export function paperSdlmSchedule(epoch: number): number {
  checkEpoch("paperSdlmSchedule", epoch);
  let last = 0;
  for (const { passes, rate } of SDLM_SCHEDULE) {
    last += passes;
    if (epoch <= last) return rate;
  }
  return SDLM_FINAL_RATE;
}

/**
 * A schedule from a number (constant) or a schedule (as is).
 * @example
 * ```ts
 * toSchedule(0.01)(3); // 0.01
 * toSchedule(paperSdlmSchedule)(3); // 0.0002
 * ```
 */
export function toSchedule(rate: number | Schedule): Schedule {
  return typeof rate === "number" ? constantSchedule(rate) : rate;
}
