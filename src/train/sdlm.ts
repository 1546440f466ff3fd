/**
 * The paper's optimiser: the stochastic diagonal Levenberg–Marquardt method (SDLM; Appendix C,
 * used for every result of Section III-B). Each weight w_k gets its own learning rate from an
 * estimate h_kk of the loss's second derivative with respect to it:
 *
 *   ε_k = η / (μ + h_kk),      w_k ← w_k − ε_k · ∂E^p/∂w_k
 *
 * η is the global rate (the schedule below), μ = 0.02 keeps ε_k bounded where the curvature is
 * tiny, and h_kk is the diagonal Gauss–Newton estimate of ∂²E/∂w_k², averaged over 500 training
 * samples and re-estimated before every pass (hessian.ts computes it; the trainer calls it).
 *
 * Mini-batches: the paper updates after every example (E^p is one example's loss). lenet5's
 * trainer hands optimisers the gradient of the batch's MEAN loss g = (1/B) Σ_p ∂E^p/∂w, and SDLM
 * by default scales it back to the SUM, w_k ← w_k − ε_k · B · g — one step standing in for the B
 * online steps the paper would take over the same examples, so η keeps the paper's meaning and
 * scale. With batchSize 1 this is exactly the paper's update. (`batchScaling: "mean"` takes
 * w_k ← w_k − ε_k · g instead.) Departure: B > 1 groups the paper's per-example updates.
 *
 * Stability (measured here, see {@link sdlmMuForBatch}): with the paper's μ = 0.02 every run of
 * `historical` from the paper's initialisation (±2.4/F_i) and η diverged within its first few
 * updates, at batch size 1 too: at initialisation C5's outputs are tiny, so F6's estimated
 * curvature is tiny and its rate near η/μ; a few updates later C5's outputs have grown and those
 * rates overshoot, while h stays fixed for the pass. (From ±2.4/√F_i, online updates at μ = 0.02
 * do train, and so does the printed init with EBLearn's η = 10⁻⁴: scripts/sdlm-study.mjs and
 * docs/training.md.) What decides stability is the largest step, η·B/μ. lenet5's trainer therefore defaults to μ = 0.1·B (departure: 0.1 at B = 1, five
 * times the paper's; 1.6 at the shipped runs' B = 16, 80 times).
 *
 * The update of each weight tensor is one fused kernel call on wasm and cpu (sdlm-update.ts; the
 * same float32 bits as the tf-op composition it replaced).
 *
 * Input shape / Output shape: a gradient and its h_kk have the shape of the weight.
 */
import * as tf from "@tensorflow/tfjs";
import {
  type Optimizer,
  type OptimizerSlot,
  type OptimizerState,
  type StepContext,
  checkStateMatches,
  checkStepInputs,
} from "./optimizer-base";
import { sdlmUpdate } from "../kernels/sdlm-update";

// The paper's SDLM constants (μ, the 500 Hessian samples, the schedule, the 20 passes) live in
// src/paper.ts with the other numbers taken from the paper; re-exported here for this module's users.
import { SDLM_MU, SDLM_SCHEDULE } from "../paper";
export {
  SDLM_FINAL_RATE,
  SDLM_HESSIAN_SAMPLES,
  SDLM_MU,
  SDLM_PASSES,
  SDLM_SCHEDULE,
} from "../paper";

/**
 * lenet5's μ per example of a mini-batch: 0.1 (see {@link sdlmMuForBatch}). Not the paper's.
 */
export const SDLM_MU_PER_EXAMPLE = 0.1;

/**
 * The μ lenet5's trainer uses by default for SDLM with mini-batches of B: max(0.02, 0.1·B), so
 * that the largest step η·B/μ stays at η/0.1 whatever B. Measured on `historical` from the
 * paper's initialisation with η = 0.0005 ("sum" scaling): B = 1 diverged with μ = 0.02 and 0.05
 * and trained with 0.1; B = 16 diverged with μ = 0.1 and 0.3 and trained with 1 (97.2% test
 * accuracy after one pass) and 1.6; B = 8 with μ = 0.5 gave 97.6% after one pass.
 * @example
 * ```ts
 * sdlmMuForBatch(16); // 1.6
 * ```
 */
export function sdlmMuForBatch(batchSize: number): number {
  return Math.max(SDLM_MU, SDLM_MU_PER_EXAMPLE * batchSize);
}

/** Options of {@link SdlmOptimizer}. */
export interface SdlmOptions {
  /** Global learning rate η (default: the schedule's first, 0.0005). */
  learningRate?: number;
  /** μ (default {@link SDLM_MU} = 0.02). */
  mu?: number;
  /**
   * "sum" (default): step by ε_k times the batch's summed gradient, the paper's online updates
   * grouped; "mean": by ε_k times the mean gradient.
   */
  batchScaling?: "sum" | "mean";
}

/**
 * SDLM: per-weight rates η/(μ + h_kk) from a diagonal Hessian estimate set by
 * {@link SdlmOptimizer.setHessian} (before each pass; without one, h_kk = 0 and every rate is η/μ).
 * @example
 * ```ts
 * const w = tf.variable(tf.tensor1d([1, 1]));
 * const sdlm = new SdlmOptimizer({ learningRate: 0.1, mu: 0.1 });
 * sdlm.setHessian([tf.tensor1d([0.9, 0.1])]); // h_kk: rates 0.1/1 = 0.1 and 0.1/0.2 = 0.5
 * sdlm.step([w], [tf.tensor1d([1, 1])], { batchSize: 1 }); // w = [0.9, 0.5]
 * ```
 */
export class SdlmOptimizer implements Optimizer {
  /** Always "sdlm". */
  readonly name = "sdlm" as const;
  learningRate: number;
  /** μ of ε_k = η/(μ + h_kk). */
  readonly mu: number;
  /** How the mean-loss gradient is scaled (see the file header). */
  readonly batchScaling: "sum" | "mean";
  private hessian: tf.Tensor[] | null = null;
  private steps = 0;

  /**
   * Creates the optimiser with no Hessian estimate yet; reads `learningRate` (default the
   * schedule's first, 0.0005), `mu` (default {@link SDLM_MU}) and `batchScaling` ("sum").
   * @throws RangeError if μ is not positive.
   */
  constructor(options: SdlmOptions = {}) {
    this.learningRate = options.learningRate ?? SDLM_SCHEDULE[0].rate;
    this.mu = options.mu ?? SDLM_MU;
    this.batchScaling = options.batchScaling ?? "sum";
    if (!(this.mu > 0)) throw new RangeError(`SdlmOptimizer: μ must be positive, got ${this.mu}`);
  }

  get iterations(): number {
    return this.steps;
  }

  /**
   * Sets h_kk, one tensor per weight in the order `step` receives the weights. Takes ownership
   * of the tensors (they are disposed when replaced or by `dispose`).
   */
  setHessian(hessian: tf.Tensor[]): void {
    hessian.forEach((h) => tf.keep(h));
    this.hessian?.forEach((h) => h.dispose());
    this.hessian = hessian;
  }

  /** The current h_kk estimate (owned by the optimiser), or null before the first. */
  getHessian(): readonly tf.Tensor[] | null {
    return this.hessian;
  }

  step(
    variables: readonly tf.Variable[],
    gradients: readonly tf.Tensor[],
    context: StepContext = { batchSize: 1 },
  ): void {
    checkStepInputs("SdlmOptimizer.step", variables, gradients);
    const hessian = this.hessian;
    if (hessian !== null && hessian.length !== variables.length) {
      throw new Error(
        `SdlmOptimizer.step: the Hessian estimate has ${hessian.length} tensors, ` +
          `the model ${variables.length} weights`,
      );
    }
    const scale = this.batchScaling === "sum" ? context.batchSize : 1;
    const hyper = { rate: this.learningRate * scale, mu: this.mu };
    // One fused kernel call per weight (sdlm-update.ts); tidy frees the result once w holds it.
    tf.tidy(() => {
      variables.forEach((w, i) => {
        w.assign(sdlmUpdate(w, gradients[i], hessian === null ? null : hessian[i], hyper)); // like w
      });
    });
    this.steps++;
  }

  getState(): OptimizerState {
    const slots: OptimizerSlot[] = (this.hessian ?? []).map((h, i) => ({
      name: `hessian/${i}`,
      shape: [...h.shape],
      data: Float32Array.from(h.dataSync() as Float32Array),
    }));
    return {
      name: this.name,
      learningRate: this.learningRate,
      iterations: this.steps,
      hyper: { mu: this.mu, batchScaling: this.batchScaling },
      slots,
    };
  }

  setState(state: OptimizerState, variables: readonly tf.Variable[]): void {
    const who = "SdlmOptimizer.setState";
    checkStateMatches(who, state, this.name, { mu: this.mu, batchScaling: this.batchScaling });
    const saved = state.slots.filter((s) => s.name.startsWith("hessian/"));
    if (saved.length > 0 && saved.length !== variables.length) {
      throw new Error(`${who}: ${saved.length} Hessian slots for ${variables.length} weights`);
    }
    // Every slot is checked before any tensor is made, so a bad state leaks none.
    const slots = variables.map((v, i) => {
      const slot = saved.find((s) => s.name === `hessian/${i}`);
      if (slot !== undefined && slot.shape.join(",") !== v.shape.join(",")) {
        throw new Error(
          `${who}: slot ${slot.name} has shape [${slot.shape}], its weight [${v.shape}]`,
        );
      }
      return slot;
    });
    const hessian = slots.map((slot) =>
      slot === undefined ? null : tf.tensor(slot.data, [...slot.shape], "float32"),
    ); // each like its weight
    const complete = hessian.filter((h): h is tf.Tensor => h !== null);
    if (complete.length === variables.length && complete.length > 0) this.setHessian(complete);
    else {
      complete.forEach((h) => h.dispose());
      this.hessian?.forEach((h) => h.dispose());
      this.hessian = null;
    }
    this.learningRate = state.learningRate;
    this.steps = state.iterations;
  }

  dispose(): void {
    this.hessian?.forEach((h) => h.dispose());
    this.hessian = null;
  }
}
