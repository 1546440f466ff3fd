/**
 * A training run the live view drives a little at a time: the same order of work as
 * `trainModel` (src/train/train.ts) on the engine — one Rng from the seed; before each pass η
 * from the schedule and, for SDLM, h_kk re-estimated on samples the Rng draws; then the pass's
 * shuffled mini-batches — so for the same seed, digits and batch size its losses are
 * trainModel's. It runs steps until a deadline and returns, so a Web Worker can answer messages
 * (pause, reset, a drawn digit) between slices. No I/O, no DOM, no Node.
 *
 * Input shape: training and test digits as the net's inputs [count, S, S, 1].
 * Output shape: per slice the steps' losses; accuracy on the test digits on request.
 */
import { batches, type Batch } from "../data/batches";
import { Engine, type EngineNet } from "../engine/engine";
import { Rng } from "../rng";
import { layerSizes, paramsFromFlat, type NetDigits } from "./digits";
import { recipeRate, type LiveRecipe } from "./recipe";

/** What a {@link LiveSession} trains. */
export interface LiveSessionSetup<N extends EngineNet> {
  /** An engine for `net` (Engine.create or createAsync), with maxBatch ≥ {@link liveMaxBatch}. */
  readonly engine: Engine<N>;
  /** The initial weights, flattened in the record's order. */
  readonly init: Float32Array;
  /** The recipe (batch size, optimiser, schedule, Hessian samples). */
  readonly recipe: LiveRecipe;
  /** The run's seed (trainModel's `seed`). */
  readonly seed: number;
  /** The digits trained on. */
  readonly train: NetDigits;
}

/** Test digits evaluated per engine call. */
export const LIVE_EVAL_CHUNK = 500;

/** The largest batch a session hands its engine: the engine's maxBatch must be at least this. */
export function liveMaxBatch(recipe: LiveRecipe): number {
  return Math.max(recipe.batchSize, recipe.hessianSamples, LIVE_EVAL_CHUNK);
}

/** What a slice of training did. */
export interface SliceResult {
  /** Each step's mean loss, in order. */
  readonly losses: number[];
  /** Images the slice trained on. */
  readonly images: number;
  /** Of those, classified right before their update. */
  readonly correct: number;
  /** Seconds spent in training steps (Hessian estimates included). */
  readonly seconds: number;
}

/** One net's run on the engine, step by step. */
export class LiveSession<N extends EngineNet = EngineNet> {
  /** The engine it trains. */
  readonly engine: Engine<N>;
  /** Its recipe. */
  readonly recipe: LiveRecipe;
  private readonly init: Float32Array;
  private readonly seed: number;
  private readonly train: NetDigits;
  private rng: Rng;
  private pass: Iterator<Batch> | null = null;
  private epochNumber = 0;
  private seen = 0;
  private stepCount = 0;

  /** Starts from the initial weights (see {@link reset}). */
  constructor(setup: LiveSessionSetup<N>) {
    this.engine = setup.engine;
    this.recipe = setup.recipe;
    this.init = setup.init;
    this.seed = setup.seed;
    this.train = setup.train;
    if (this.engine.maxBatch < liveMaxBatch(this.recipe)) {
      throw new RangeError(
        `LiveSession: the engine's maxBatch must be ≥ ${liveMaxBatch(this.recipe)}`,
      );
    }
    this.rng = new Rng(this.seed);
    this.reset();
  }

  /** Back to the initial weights, a fresh optimiser and a fresh Rng: step 1 of pass 1 again. */
  reset(): void {
    this.engine.setParams(paramsFromFlat(this.engine.net, this.init));
    this.engine.setOptimizer(this.recipe.optimizer);
    this.rng = new Rng(this.seed);
    this.pass = null;
    this.epochNumber = 0;
    this.seen = 0;
    this.stepCount = 0;
  }

  /** The pass under way (from 1; 0 before the first step). */
  get epoch(): number {
    return this.epochNumber;
  }

  /** Images trained on since the start. */
  get imagesSeen(): number {
    return this.seen;
  }

  /** Steps taken since the start. */
  get steps(): number {
    return this.stepCount;
  }

  /** η of the pass under way. */
  get learningRate(): number {
    return recipeRate(this.recipe, Math.max(1, this.epochNumber));
  }

  /** The next mini-batch, starting a pass (η, SDLM's Hessian, a shuffle) when one ends. */
  private nextBatch(): Batch {
    for (;;) {
      const next = this.pass?.next();
      if (next !== undefined && next.done !== true) return next.value;
      this.startPass();
    }
  }

  /** What trainModel does before a pass: η from the schedule, then SDLM's h_kk on drawn samples. */
  private startPass(): void {
    this.epochNumber++;
    this.engine.setLearningRate(recipeRate(this.recipe, this.epochNumber));
    const { train, recipe } = this;
    if (recipe.optimizer.name === "sdlm" && recipe.hessianSamples > 0) {
      const count = Math.min(recipe.hessianSamples, train.count);
      const indices = this.rng.permutation(train.count).subarray(0, count);
      const size = train.side * train.side;
      const samples = new Float32Array(count * size);
      indices.forEach((index, k) =>
        samples.set(train.images.subarray(index * size, (index + 1) * size), k * size),
      );
      this.engine.estimateHessian(samples);
    }
    const source = {
      inputs: train.images,
      labels: train.labels,
      count: train.count,
      imageSize: train.side,
    };
    this.pass = batches(source, { batchSize: recipe.batchSize, rng: this.rng });
  }

  /**
   * Trains until `maxSteps` steps are done or the clock passes `deadline` (performance.now()
   * milliseconds), at least one step.
   */
  run(maxSteps: number, deadline = Infinity): SliceResult {
    const losses: number[] = [];
    let images = 0;
    let correct = 0;
    const started = performance.now();
    while (losses.length < maxSteps && (losses.length === 0 || performance.now() < deadline)) {
      const batch = this.nextBatch();
      const n = batch.labels.length;
      losses.push(this.engine.step(batch.inputs, batch.labels));
      correct += countRight(this.engine.net, this.engine.lastOutputs(n), batch.labels);
      images += n;
    }
    this.seen += images;
    this.stepCount += losses.length;
    return { losses, images, correct, seconds: (performance.now() - started) / 1000 };
  }

  /** The fraction of `test` the current weights classify right. */
  accuracy(test: NetDigits): number {
    const size = test.side * test.side;
    let right = 0;
    for (let from = 0; from < test.count; from += LIVE_EVAL_CHUNK) {
      const to = Math.min(test.count, from + LIVE_EVAL_CHUNK);
      const outputs = this.engine.predict(test.images.subarray(from * size, to * size));
      right += countRight(this.engine.net, outputs, test.labels.subarray(from, to));
    }
    return right / test.count;
  }

  /**
   * SDLM's per-weight rates ε_k = η / (μ + h_kk), averaged over each layer (null without SDLM or
   * before the first Hessian estimate): how big a step each layer takes per unit of gradient.
   */
  layerRates(): { layer: string; rate: number }[] | null {
    const { optimizer, hessian } = this.engine.getState();
    if (optimizer.name !== "sdlm" || hessian === null) return null;
    let offset = 0;
    return layerSizes(this.engine.net).map(({ layer, size }) => {
      let sum = 0;
      for (let k = offset; k < offset + size; k++) sum += 1 / (optimizer.mu + hessian[k]);
      offset += size;
      return { layer, rate: (optimizer.learningRate * sum) / size };
    });
  }
}

/**
 * How many of the outputs [n × 10] name their label: historical's RBF distances by the
 * smallest, modern's logits by the largest.
 */
export function countRight(
  net: EngineNet,
  outputs: Float32Array,
  labels: ArrayLike<number>,
): number {
  let right = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let d = 1; d < 10; d++) {
      const a = outputs[i * 10 + d];
      const b = outputs[i * 10 + best];
      if (net === "historical" ? a < b : a > b) best = d;
    }
    if (best === labels[i]) right++;
  }
  return right;
}
