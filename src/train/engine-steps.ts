/**
 * Training steps on lenet5's whole-step engine (src/engine/): what `trainModel` runs by default
 * for `historical` and for `modern` without batch normalisation or dropout. The tfjs model and
 * the tfjs optimiser object stay the run's record of weights and state — the engine copies them
 * in at the start and back at every epoch end, checkpoint and abort — so checkpoints, resume,
 * evaluation and the notebooks see exactly what the tfjs path gives them. Speed code: the
 * engine's numbers are held to src/scratch/ (src/engine/engine.test.ts) and this path's to the
 * tfjs path's (engine-steps.test.ts).
 *
 * Input shape: batches [B, S, S, 1] (S = 32 or 28) as trainModel's batcher makes them.
 * Output shape: per step the batch's mean loss and how many it got right.
 */
import * as tf from "@tensorflow/tfjs";
import {
  Engine,
  TWO_THREAD_MIN_BATCH,
  type EngineOptimizer,
  type EngineState,
} from "../engine/engine";
import { startNodeHelper } from "../engine/node-helper";
import { assignHistoricalParams, historicalParams } from "../models/historical";
import { assignModernParams, modernParams } from "../models/modern";
import { MODEL_SPECS, type ModelName } from "../models/registry";
import type { HistoricalParams } from "../scratch/historical";
import type { ModernParams } from "../scratch/modern";
import type { Optimizer, OptimizerSlot, OptimizerState } from "./optimizer-base";
import { countCorrect } from "./parallel";
import { engineSupports } from "./engine-fit";

export {
  engineFits,
  engineSupports,
  engineUnsupportedReason,
  type TrainingEngine,
} from "./engine-fit";

/** The engine's form of a tfjs optimiser's settings (its name, η and hyper-parameters). */
export function engineOptimizerOf(optimizer: Optimizer): EngineOptimizer {
  const { name, learningRate, hyper } = optimizer.getState();
  const number = (key: string) => Number(hyper[key]);
  switch (name) {
    case "sgd":
      return { name, learningRate };
    case "momentum":
      return { name, learningRate, momentum: number("momentum") };
    case "adam":
      return {
        name,
        learningRate,
        beta1: number("beta1"),
        beta2: number("beta2"),
        epsilon: number("epsilon"),
      };
    case "sdlm":
      return {
        name,
        learningRate,
        mu: number("mu"),
        batchScaling: hyper.batchScaling === "mean" ? "mean" : "sum",
      };
  }
}

/** The slot kinds of each optimiser's state, in the engine's order (first, second). */
const SLOT_KINDS: Readonly<Record<EngineOptimizer["name"], readonly string[]>> = {
  sgd: [],
  momentum: ["velocity"],
  adam: ["m", "v"],
  sdlm: [],
};

/** A tfjs optimiser's state as the engine's: its per-weight slots joined in weight order. */
export function engineStateOf(
  state: OptimizerState,
  optimizer: EngineOptimizer,
  sizes: readonly number[],
): EngineState {
  const joined = (kind: string): Float32Array | null => {
    const slots = state.slots.filter((s) => s.name.startsWith(`${kind}/`));
    if (slots.length === 0) return null;
    const flat = new Float32Array(sizes.reduce((a, b) => a + b, 0));
    let offset = 0;
    sizes.forEach((size, i) => {
      const slot = slots.find((s) => s.name === `${kind}/${i}`);
      if (slot === undefined || slot.data.length !== size) {
        throw new Error(`the optimiser state's ${kind}/${i} is missing or not ${size} values`);
      }
      flat.set(slot.data, offset);
      offset += size;
    });
    return flat;
  };
  const [first, second] = SLOT_KINDS[optimizer.name].map(joined);
  return {
    optimizer,
    iterations: state.iterations,
    first: first ?? null,
    second: second ?? null,
    hessian: joined("hessian"),
  };
}

/** The engine's state as a tfjs optimiser's (the inverse of {@link engineStateOf}). */
export function optimizerStateOf(
  state: EngineState,
  tfjs: OptimizerState,
  shapes: readonly (readonly number[])[],
): OptimizerState {
  const split = (kind: string, flat: Float32Array | null): OptimizerSlot[] => {
    if (flat === null) return [];
    let offset = 0;
    return shapes.map((shape, i) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const data = flat.slice(offset, offset + size);
      offset += size;
      return { name: `${kind}/${i}`, shape: [...shape], data };
    });
  };
  const [firstKind, secondKind] = SLOT_KINDS[state.optimizer.name];
  return {
    ...tfjs,
    learningRate: state.optimizer.learningRate,
    iterations: state.iterations,
    slots: [
      ...(firstKind === undefined ? [] : split(firstKind, state.first)),
      ...(secondKind === undefined ? [] : split(secondKind, state.second)),
      ...split("hessian", state.hessian),
    ],
  };
}

/** What {@link startEngineSteps} needs. */
export interface EngineStepsSetup {
  /** The tfjs model: the engine starts from its weights and writes them back on sync. */
  readonly model: tf.LayersModel;
  /** Which lenet5 model it is (`historical` or `modern`, see {@link engineSupports}). */
  readonly modelName: ModelName;
  /** The tfjs optimiser: the engine starts from its settings and state and writes them back. */
  readonly optimizer: Optimizer;
  /** The largest batch (or Hessian sample) a call takes. */
  readonly maxBatch: number;
  /** The paper's loss constant j (`historical`). */
  readonly j: number;
  /**
   * SDLM's curvature at F6's output (`historical`): "eq9" (default) or a constant (2: eq. 8's,
   * y_D alone); see `OutputCurvature` in src/train/hessian.ts.
   */
  readonly outputCurvature?: "eq9" | number;
  /** 2: a helper thread for batches of at least TWO_THREAD_MIN_BATCH. */
  readonly threads: 1 | 2;
}

/** The engine's training steps, with the copies to and from the tfjs model and optimiser. */
export interface EngineSteps {
  /** Threads the engine runs on. */
  readonly threads: 1 | 2;
  /** One step: the batch's mean loss and how many it classified right (before the update). */
  step(inputs: Float32Array, labels: Int32Array): { loss: number; correct: number };
  /** η for the next steps. */
  setLearningRate(rate: number): void;
  /** SDLM's h_kk re-estimated on the samples (images [n × S × S]). */
  estimateHessian(samples: Float32Array): void;
  /** Writes the engine's weights into the model and its state into the optimiser. */
  sync(): void;
  /** Ends the helper thread. */
  dispose(): void;
}

/**
 * Starts the engine on the model's current weights and the optimiser's current state.
 * @example
 * ```ts
 * const steps = startEngineSteps({ model, modelName: "historical", optimizer, maxBatch: 500, j: 0.1, threads: 1 });
 * steps.step(inputs, labels);
 * steps.sync(); // model and optimizer now hold what the engine has
 * ```
 */
export function startEngineSteps(setup: EngineStepsSetup): EngineSteps {
  const { model, modelName, optimizer } = setup;
  if (!engineSupports(modelName)) throw new Error(`the engine does not train ${modelName}`);
  const historical = modelName === "historical";
  const engine = Engine.create(historical ? "historical" : "modern", {
    maxBatch: setup.maxBatch,
    j: setup.j,
    outputCurvature: setup.outputCurvature ?? "eq9",
    ...(setup.threads === 2 ? { helper: startNodeHelper } : {}),
  });
  const shapes = model.trainableWeights.map((w) => w.shape as number[]);
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  if (historical) engine.setParams(historicalParams(model));
  else engine.setParams(modernParams(model));
  engine.setState(engineStateOf(optimizer.getState(), engineOptimizerOf(optimizer), sizes));
  const kind = MODEL_SPECS[modelName].output;
  return {
    threads: engine.threads,
    step(inputs, labels) {
      const loss = engine.step(inputs, labels);
      return { loss, correct: countCorrect(engine.lastOutputs(labels.length), labels, kind) };
    },
    setLearningRate: (rate) => engine.setLearningRate(rate),
    estimateHessian: (samples) => void engine.estimateHessian(samples),
    sync() {
      const params = engine.getParams();
      if (historical) assignHistoricalParams(model, params as HistoricalParams);
      else assignModernParams(model, params as ModernParams);
      const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
      optimizer.setState(
        optimizerStateOf(engine.getState(), optimizer.getState(), shapes),
        variables,
      );
    },
    dispose: () => engine.dispose(),
  };
}

/** The default thread count of the engine for a batch size: two from TWO_THREAD_MIN_BATCH on. */
export function engineThreadsFor(batchSize: number, requested?: 1 | 2): 1 | 2 {
  if (requested !== undefined) return requested;
  return batchSize >= TWO_THREAD_MIN_BATCH ? 2 : 1;
}
