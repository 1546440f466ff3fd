/**
 * What every lenet5 optimiser shares: the {@link Optimizer} interface (a step from gradients, a
 * learning rate a schedule sets before every epoch, a state to save and restore for checkpoints)
 * and the per-weight slot tensors that hold velocities, moment estimates or Hessian diagonals.
 * The optimisers themselves are in optimizers.ts (SGD, momentum, Adam) and sdlm.ts (the paper's
 * SDLM, Appendix C).
 *
 * Slots are keyed by the position of the weight in the list the trainer passes, not by tfjs
 * variable name: layer variables get a fresh name ("C1/kernel_1") in every model a process
 * builds, so a resumed run could not find slots stored by name.
 *
 * Input shape / Output shape: a slot has the shape of its weight.
 * Departures from the paper: none (no arithmetic here).
 */
import * as tf from "@tensorflow/tfjs";

/** Names of the optimisers lenet5 knows. */
export const OPTIMIZER_NAMES = ["sgd", "momentum", "adam", "sdlm"] as const;
/** One of {@link OPTIMIZER_NAMES}. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/**
 * True when `name` is one of {@link OPTIMIZER_NAMES} (also what a checkpoint's optimiser name is
 * checked with, in src/checkpoint/format.ts).
 * @example
 * ```ts
 * isOptimizerName("sdlm"); // true
 * ```
 */
export function isOptimizerName(name: string): name is OptimizerName {
  return (OPTIMIZER_NAMES as readonly string[]).includes(name);
}

/** One saved slot of an optimiser (a velocity, a moment estimate, a Hessian diagonal). */
export interface OptimizerSlot {
  /** Slot kind and weight position, e.g. "velocity/3". */
  readonly name: string;
  /** Shape of the slot, the same as its weight's (e.g. [5, 5, 1, 6] for C1's kernel). */
  readonly shape: readonly number[];
  /** The slot's values, row-major in `shape`. */
  readonly data: Float32Array;
}

/** Everything an optimiser needs to continue exactly where it stopped. */
export interface OptimizerState {
  /** Which optimiser saved this state; {@link Optimizer.setState} refuses another's. */
  readonly name: OptimizerName;
  /** The learning rate η in force when the state was saved. */
  readonly learningRate: number;
  /** Steps taken so far (Adam's t). */
  readonly iterations: number;
  /** Fixed settings (momentum, β₁, β₂, ε, μ, …), kept to refuse a state from other settings. */
  readonly hyper: Readonly<Record<string, number | string>>;
  /** All slot tensors (none for SGD, or before the first step). */
  readonly slots: readonly OptimizerSlot[];
}

/** Facts about the current step that some optimisers need. */
export interface StepContext {
  /** Examples in the mini-batch whose mean-loss gradient is being applied. */
  readonly batchSize: number;
}

/**
 * What every lenet5 optimiser does.
 * @example
 * ```ts
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * const optimizer = new SgdOptimizer({ learningRate: 0.5 });
 * optimizer.step([w], [tf.tensor1d([1, -1])]); // w = [0.5, 2.5]
 * ```
 */
export interface Optimizer {
  /** Which optimiser this is ("sgd", "momentum", "adam" or "sdlm"). */
  readonly name: OptimizerName;
  /** The global learning rate η; the trainer sets it before every epoch from a schedule. */
  learningRate: number;
  /** Steps taken so far. */
  readonly iterations: number;
  /**
   * Updates `variables[i]` in place from `gradients[i]` (same order, same shapes). The caller
   * keeps ownership of the gradients. The variable list must be the same at every call.
   */
  step(
    variables: readonly tf.Variable[],
    gradients: readonly tf.Tensor[],
    context?: StepContext,
  ): void;
  /** A copy of the whole state, tensors read out to Float32Arrays. */
  getState(): OptimizerState;
  /** Restores a state saved by {@link Optimizer.getState}; throws on another optimiser or shape. */
  setState(state: OptimizerState, variables: readonly tf.Variable[]): void;
  /** Frees the slot tensors. */
  dispose(): void;
}

/**
 * Per-weight slot tensors of one kind ("velocity", "m", …), created as zeros on first use. A
 * helper of the optimisers, not a global: each optimiser owns its own.
 */
export class SlotSet {
  private slots: tf.Variable[] | null = null;

  /**
   * Creates an empty set; the slots appear on the first {@link SlotSet.for}.
   * @param kind - slot kind, the first part of every slot name ("velocity/0").
   */
  constructor(readonly kind: string) {}

  /** The slots for `variables`, zeros the first time. */
  for(variables: readonly tf.Variable[]): tf.Variable[] {
    if (this.slots === null) {
      // tidy frees the zeros once each variable holds its own copy.
      this.slots = tf.tidy(() => variables.map((v) => tf.variable(tf.zerosLike(v), false))); // like each weight
    } else if (this.slots.length !== variables.length) {
      throw new Error(
        `${this.kind} slots: created for ${this.slots.length} weights, now given ${variables.length}`,
      );
    }
    return this.slots;
  }

  /** The slots read out (none before the first step). */
  save(): OptimizerSlot[] {
    return (this.slots ?? []).map((slot, i) => ({
      name: `${this.kind}/${i}`,
      shape: [...slot.shape],
      data: Float32Array.from(slot.dataSync() as Float32Array),
    }));
  }

  /** Replaces the slots with the saved ones of this kind found in `saved` (none: no slots yet). */
  load(saved: readonly OptimizerSlot[], variables: readonly tf.Variable[], who: string): void {
    const mine = saved.filter((s) => s.name.startsWith(`${this.kind}/`));
    this.dispose();
    if (mine.length === 0) return;
    if (mine.length !== variables.length) {
      throw new Error(
        `${who}: the state has ${mine.length} ${this.kind} slots, the model ${variables.length} weights`,
      );
    }
    // Every slot is checked before any is made, so a bad state leaves no half-made slots behind.
    const slots = variables.map((v, i) => {
      const slot = mine.find((s) => s.name === `${this.kind}/${i}`);
      if (slot === undefined) throw new Error(`${who}: the state lacks slot ${this.kind}/${i}`);
      if (slot.shape.join(",") !== v.shape.join(",")) {
        throw new Error(
          `${who}: slot ${slot.name} has shape [${slot.shape}], its weight [${v.shape}]`,
        );
      }
      return slot;
    });
    // tf.variable copies its initial value: the tensor it is made from must be freed (tidy), or
    // every restore leaks one tensor per slot.
    this.slots = tf.tidy(() =>
      slots.map((slot) => tf.variable(tf.tensor(slot.data, [...slot.shape], "float32"), false)),
    );
  }

  /** Frees the slots. */
  dispose(): void {
    this.slots?.forEach((s) => s.dispose());
    this.slots = null;
  }
}

/** Checks that a saved state belongs to this optimiser with these settings. */
export function checkStateMatches(
  who: string,
  state: OptimizerState,
  name: OptimizerName,
  hyper: Readonly<Record<string, number | string>>,
): void {
  if (state.name !== name) {
    throw new Error(`${who}: the saved state is of the "${state.name}" optimiser, not "${name}"`);
  }
  for (const [key, value] of Object.entries(hyper)) {
    if (state.hyper[key] !== value) {
      throw new Error(
        `${who}: the saved state has ${key} = ${state.hyper[key]}, this one ${value}`,
      );
    }
  }
}

/** Throws unless there is one gradient per variable, of the variable's shape. */
export function checkStepInputs(
  who: string,
  variables: readonly tf.Variable[],
  gradients: readonly tf.Tensor[],
): void {
  if (variables.length !== gradients.length) {
    throw new Error(`${who}: ${variables.length} variables but ${gradients.length} gradients`);
  }
  variables.forEach((v, i) => {
    if (v.shape.join(",") !== gradients[i].shape.join(",")) {
      throw new Error(
        `${who}: gradient ${i} has shape [${gradients[i].shape}], its variable [${v.shape}]`,
      );
    }
  });
}
