/**
 * The optimisers lenet5 trains with, behind one interface (optimizer-base.ts): plain SGD, SGD
 * with momentum and Adam here; the paper's stochastic diagonal Levenberg–Marquardt (SDLM) in
 * sdlm.ts. Each takes a step from gradients, exposes its learning rate for a schedule to set
 * before every epoch, and saves and restores its whole state (slots, step count) for checkpoints.
 *
 *   SGD:       w ← w − η·g
 *   momentum:  v ← m·v + g,  w ← w − η·v                       (PyTorch's form; m = 0.9)
 *   Adam:      m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,
 *              w ← w − η·(m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)   (Kingma & Ba 2015)
 *
 * g is the gradient of the mini-batch's MEAN loss. Written with tf ops rather than wrapping
 * `tf.train.*`, so that the state is keyed the way checkpoints need (see optimizer-base.ts).
 * Adam's update is one fused kernel call per weight on wasm and cpu (adam-update.ts; the same
 * float32 bits as the 13-op chain it replaced).
 *
 * Input shape / Output shape: a gradient has the shape of its weight; slots have that shape too.
 * Departures from the paper: the paper trains with SDLM only (Appendix C); SGD, momentum and Adam
 * serve the modern nets and the comparisons.
 */
import * as tf from "@tensorflow/tfjs";
import {
  OPTIMIZER_NAMES,
  type Optimizer,
  type OptimizerName,
  type OptimizerState,
  SlotSet,
  checkStateMatches,
  checkStepInputs,
} from "./optimizer-base";
import { SDLM_SCHEDULE, SdlmOptimizer, type SdlmOptions } from "./sdlm";
import { type AdamUpdateHyper, adamUpdate } from "../kernels/adam-update";

/**
 * Default learning rate per optimiser for softmax (logits) models, mini-batches of 64: common
 * values, not the paper's (except SDLM's: the paper's η of the first pass).
 */
export const DEFAULT_LEARNING_RATES: Readonly<Record<OptimizerName, number>> = {
  sgd: 0.05,
  momentum: 0.01,
  adam: 0.001,
  sdlm: SDLM_SCHEDULE[0].rate,
};

/**
 * Default learning rate per optimiser for the paper's RBF loss (eq. 9), mini-batches of 64. The
 * loss starts near 84 (the squared distance of an untrained F6 to a prototype), so plain SGD and
 * momentum need smaller rates than for cross-entropy: measured on `historical`, one pass over 10,000
 * images, SGD 0.05 diverged, 0.02 reached 85% test accuracy; momentum 0.002 84%.
 */
export const DEFAULT_RBF_LEARNING_RATES: Readonly<Record<OptimizerName, number>> = {
  sgd: 0.02,
  momentum: 0.002,
  adam: 0.001,
  sdlm: SDLM_SCHEDULE[0].rate,
};

/** Default momentum coefficient m of {@link MomentumOptimizer}. */
export const DEFAULT_MOMENTUM = 0.9;

/** Options of {@link createOptimizer} (each optimiser reads the ones it knows). */
export interface OptimizerOptions {
  /** Global learning rate η (default {@link DEFAULT_LEARNING_RATES}). */
  learningRate?: number;
  /** Momentum coefficient (momentum only; default 0.9). */
  momentum?: number;
  /** Adam's β₁ (default 0.9). */
  beta1?: number;
  /** Adam's β₂ (default 0.999). */
  beta2?: number;
  /** Adam's ε (default 1e-8). */
  epsilon?: number;
}

/**
 * Plain stochastic gradient descent, w ← w − η·g.
 * @example
 * ```ts
 * const w = tf.variable(tf.scalar(1));
 * new SgdOptimizer({ learningRate: 0.1 }).step([w], [tf.scalar(2)]); // w = 1 − 0.1·2 = 0.8
 * ```
 */
export class SgdOptimizer implements Optimizer {
  /** Always "sgd". */
  readonly name = "sgd" as const;
  learningRate: number;
  private steps = 0;

  /**
   * Creates the optimiser; reads `learningRate` only (default {@link DEFAULT_LEARNING_RATES}.sgd).
   */
  constructor(options: OptimizerOptions = {}) {
    this.learningRate = options.learningRate ?? DEFAULT_LEARNING_RATES.sgd;
  }

  get iterations(): number {
    return this.steps;
  }

  step(variables: readonly tf.Variable[], gradients: readonly tf.Tensor[]): void {
    checkStepInputs("SgdOptimizer.step", variables, gradients);
    tf.tidy(() => {
      variables.forEach((w, i) => w.assign(tf.sub(w, tf.mul(gradients[i], this.learningRate))));
    });
    this.steps++;
  }

  getState(): OptimizerState {
    return {
      name: this.name,
      learningRate: this.learningRate,
      iterations: this.steps,
      hyper: {},
      slots: [],
    };
  }

  setState(state: OptimizerState): void {
    checkStateMatches("SgdOptimizer.setState", state, this.name, {});
    this.learningRate = state.learningRate;
    this.steps = state.iterations;
  }

  dispose(): void {}
}

/**
 * SGD with (heavy-ball) momentum: v ← m·v + g, w ← w − η·v.
 * @example
 * ```ts
 * const w = tf.variable(tf.scalar(0));
 * const opt = new MomentumOptimizer({ learningRate: 1, momentum: 0.5 });
 * opt.step([w], [tf.scalar(1)]); // v = 1, w = −1
 * opt.step([w], [tf.scalar(1)]); // v = 1.5, w = −2.5
 * ```
 */
export class MomentumOptimizer implements Optimizer {
  /** Always "momentum". */
  readonly name = "momentum" as const;
  learningRate: number;
  /** The momentum coefficient m. */
  readonly momentum: number;
  private readonly velocity = new SlotSet("velocity");
  private steps = 0;

  /**
   * Creates the optimiser; reads `learningRate` (default {@link DEFAULT_LEARNING_RATES}.momentum)
   * and `momentum` (default {@link DEFAULT_MOMENTUM}). Velocities start at zero.
   */
  constructor(options: OptimizerOptions = {}) {
    this.learningRate = options.learningRate ?? DEFAULT_LEARNING_RATES.momentum;
    this.momentum = options.momentum ?? DEFAULT_MOMENTUM;
  }

  get iterations(): number {
    return this.steps;
  }

  step(variables: readonly tf.Variable[], gradients: readonly tf.Tensor[]): void {
    checkStepInputs("MomentumOptimizer.step", variables, gradients);
    const velocity = this.velocity.for(variables);
    tf.tidy(() => {
      variables.forEach((w, i) => {
        const v = tf.add(tf.mul(velocity[i], this.momentum), gradients[i]); // like w
        velocity[i].assign(v);
        w.assign(tf.sub(w, tf.mul(v, this.learningRate)));
      });
    });
    this.steps++;
  }

  getState(): OptimizerState {
    return {
      name: this.name,
      learningRate: this.learningRate,
      iterations: this.steps,
      hyper: { momentum: this.momentum },
      slots: this.velocity.save(),
    };
  }

  setState(state: OptimizerState, variables: readonly tf.Variable[]): void {
    const who = "MomentumOptimizer.setState";
    checkStateMatches(who, state, this.name, { momentum: this.momentum });
    this.velocity.load(state.slots, variables, who);
    this.learningRate = state.learningRate;
    this.steps = state.iterations;
  }

  dispose(): void {
    this.velocity.dispose();
  }
}

/**
 * Adam (Kingma & Ba 2015) with bias-corrected moment estimates.
 * @example
 * ```ts
 * const w = tf.variable(tf.scalar(1));
 * new AdamOptimizer({ learningRate: 0.1 }).step([w], [tf.scalar(3)]);
 * // first step: m̂ = 3, v̂ = 9, so w = 1 − 0.1·3/(3 + 1e-8) ≈ 0.9
 * ```
 */
export class AdamOptimizer implements Optimizer {
  /** Always "adam". */
  readonly name = "adam" as const;
  learningRate: number;
  /** Decay rate β₁ of the first-moment (mean) estimate m. */
  readonly beta1: number;
  /** Decay rate β₂ of the second-moment (uncentred variance) estimate v. */
  readonly beta2: number;
  /** ε added to √v̂ in the denominator, against division by zero. */
  readonly epsilon: number;
  private readonly m = new SlotSet("m");
  private readonly v = new SlotSet("v");
  private steps = 0;

  /**
   * Creates the optimiser; reads `learningRate` (default {@link DEFAULT_LEARNING_RATES}.adam),
   * `beta1` (0.9), `beta2` (0.999) and `epsilon` (1e-8). Moments start at zero.
   */
  constructor(options: OptimizerOptions = {}) {
    this.learningRate = options.learningRate ?? DEFAULT_LEARNING_RATES.adam;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
  }

  get iterations(): number {
    return this.steps;
  }

  step(variables: readonly tf.Variable[], gradients: readonly tf.Tensor[]): void {
    checkStepInputs("AdamOptimizer.step", variables, gradients);
    const m = this.m.for(variables);
    const v = this.v.for(variables);
    const t = this.steps + 1;
    const mCorrection = 1 - this.beta1 ** t;
    const vCorrection = 1 - this.beta2 ** t;
    const hyper: AdamUpdateHyper = {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      mCorrection,
      vCorrection,
    };
    // One fused kernel call per weight (adam-update.ts); tidy frees the three results once the
    // variables hold their data.
    tf.tidy(() => {
      variables.forEach((w, i) => {
        const [wNew, mNew, vNew] = adamUpdate(w, m[i], v[i], gradients[i], hyper); // like w each
        w.assign(wNew);
        m[i].assign(mNew);
        v[i].assign(vNew);
      });
    });
    this.steps = t;
  }

  getState(): OptimizerState {
    return {
      name: this.name,
      learningRate: this.learningRate,
      iterations: this.steps,
      hyper: { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon },
      slots: [...this.m.save(), ...this.v.save()],
    };
  }

  setState(state: OptimizerState, variables: readonly tf.Variable[]): void {
    const who = "AdamOptimizer.setState";
    checkStateMatches(who, state, this.name, {
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
    });
    this.m.load(state.slots, variables, who);
    this.v.load(state.slots, variables, who);
    this.learningRate = state.learningRate;
    this.steps = state.iterations;
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}

/** Options of {@link createOptimizer}: those of every optimiser (each reads the ones it knows). */
export type AnyOptimizerOptions = OptimizerOptions & SdlmOptions;

/**
 * Builds an optimiser by name.
 * @example
 * ```ts
 * const adam = createOptimizer("adam"); // learning rate 0.001
 * const sdlm = createOptimizer("sdlm", { learningRate: 5e-4 }); // μ = 0.02
 * ```
 */
export function createOptimizer(name: OptimizerName, options: AnyOptimizerOptions = {}): Optimizer {
  switch (name) {
    case "sgd":
      return new SgdOptimizer(options);
    case "momentum":
      return new MomentumOptimizer(options);
    case "adam":
      return new AdamOptimizer(options);
    case "sdlm":
      return new SdlmOptimizer(options);
    default:
      throw new Error(
        `createOptimizer: unknown optimiser "${name as string}" (one of ${OPTIMIZER_NAMES.join(", ")})`,
      );
  }
}
