/**
 * lenet5's whole-step engine: a training step of `historical` or `modern` — forward, backward,
 * the optimiser's update, and SDLM's Gauss–Newton pass — as one WebAssembly SIMD module
 * (./engine.as.ts, compiled into ./engine-wasm.ts) working on weights, activations and gradients
 * in its own memory, with no allocation per step, for any batch size including 1.
 *
 * It is speed code: it computes what src/scratch/historical.ts and modern.ts compute (and
 * src/scratch/optimizers.ts for the updates), and engine.test.ts holds it to them and to tfjs
 * autograd. Its parameters are the scratch record's layout, flattened in the record's order.
 *
 * Input shape: batches of inputs as the net takes them — `historical` [N, 32, 32, 1] (the
 * paper's normalisation), `modern` [N, 28, 28, 1] — flattened, with N labels.
 * Output shape: losses as numbers; gradients and h_kk as parameter records; predictions [N, 10].
 */
import { TABLE_I, rbfPrototypes } from "../paper";
import { historicalZeros, type HistoricalParams } from "../scratch/historical";
import { modernZeros, type ModernParams } from "../scratch/modern";
import { DEFAULT_RBF_LOSS_J } from "../scratch/rbf-loss";
import { tableConnections } from "../scratch/sparse-conv2d";
import { mapTensors, namedTensors, type Tensor } from "../scratch/tensor";
import { awaitRange, awaitReady, requestRange, type HelperThread } from "./helper-thread";
import {
  INPUT_FLOATS,
  OUTPUT_UNITS,
  PROTOTYPE_FLOATS,
  layOut,
  moduleBytes,
  netSizes,
  runRange,
  sharedModuleBytes,
  type EngineExports,
  type EngineNet,
  type RangeKind,
  type RangeSetup,
  type Regions,
} from "./module";
import { wasmApi, type WasmMemory } from "./wasm-api";

export type { EngineNet } from "./module";

/** The parameter record of each net. */
export interface EngineParams {
  /** src/scratch/historical.ts's record. */
  historical: HistoricalParams;
  /** src/scratch/modern.ts's record. */
  modern: ModernParams;
}

/** An optimiser the engine runs, with its hyper-parameters (as src/train/optimizers.ts). */
export type EngineOptimizer =
  | { readonly name: "sgd"; readonly learningRate: number }
  | { readonly name: "momentum"; readonly learningRate: number; readonly momentum: number }
  | {
      readonly name: "adam";
      readonly learningRate: number;
      readonly beta1: number;
      readonly beta2: number;
      readonly epsilon: number;
    }
  | {
      readonly name: "sdlm";
      readonly learningRate: number;
      readonly mu: number;
      /** "sum": step by ε_k times the batch's summed gradient (the paper's online steps); "mean". */
      readonly batchScaling: "sum" | "mean";
    };

/** Options of {@link Engine.create}. */
export interface EngineOptions {
  /** The largest batch (or Hessian sample) one call may take; sizes the input buffer. */
  readonly maxBatch: number;
  /** j of the paper's loss (eq. 9), `historical` only (default DEFAULT_RBF_LOSS_J = 0.1). */
  readonly j?: number;
  /**
   * The curvature at F6's output in `historical`'s second-derivative pass (default "eq9": the
   * exact one of the RBF layer and the loss; a number: that constant, 2 for y_D alone).
   */
  readonly outputCurvature?: "eq9" | number;
  /**
   * Starts a helper thread on the engine's (then shared) memory, e.g. `startNodeHelper` of
   * ./node-helper.ts: batches of at least {@link TWO_THREAD_MIN_BATCH} are split between it
   * and the calling thread. Without it the engine runs on the calling thread alone.
   */
  readonly helper?: (memory: WasmMemory, regions: Regions, setup: RangeSetup) => HelperThread;
}

/**
 * The optimiser's whole state, flat in the parameter record's order: what a checkpoint needs to
 * resume bit for bit.
 */
export interface EngineState {
  /** The optimiser and its hyper-parameters (η included). */
  readonly optimizer: EngineOptimizer;
  /** Updates taken (Adam's t). */
  readonly iterations: number;
  /** Momentum's velocity or Adam's m; null where the optimiser has none. */
  readonly first: Float32Array | null;
  /** Adam's v; null where the optimiser has none. */
  readonly second: Float32Array | null;
  /** The h_kk SDLM steps with; null without an estimate. */
  readonly hessian: Float32Array | null;
}

/** How many state slots each optimiser keeps. */
const SLOTS: Readonly<Record<EngineOptimizer["name"], 0 | 1 | 2>> = {
  sgd: 0,
  momentum: 1,
  adam: 2,
  sdlm: 0,
};

/** The smallest batch the engine splits between two threads (below it, one thread is faster). */
export const TWO_THREAD_MIN_BATCH = 8;

/**
 * One net's engine: its memory, its compiled module, its optimiser's state.
 * @example
 * ```ts
 * const engine = Engine.create("historical", { maxBatch: 64 });
 * engine.setParams(historicalParams(createHistorical({ seed: 1 })));
 * engine.setOptimizer({ name: "sdlm", learningRate: 5e-4, mu: 0.02, batchScaling: "sum" });
 * engine.estimateHessian(inputs500);
 * const loss = engine.step(inputs, labels); // one update
 * ```
 */
export class Engine<N extends EngineNet = EngineNet> {
  /** Which net this engine runs. */
  readonly net: N;
  /** The number of floats in the parameter record (60,000 or 61,706). */
  readonly paramCount: number;
  /** The largest batch one call takes. */
  readonly maxBatch: number;
  /** 2 with a helper thread, else 1. */
  get threads(): 1 | 2 {
    return this.helper === null ? 1 : 2;
  }
  private readonly memory: WasmMemory;
  private readonly wasm: EngineExports;
  private readonly regions: Regions;
  private readonly setup: RangeSetup;
  private readonly template: EngineParams[N];
  private helper: HelperThread | null;
  private optimizer: EngineOptimizer = { name: "sgd", learningRate: 0 };
  private steps = 0;
  private hasHessian = false;

  private constructor(
    net: N,
    wasm: EngineExports,
    memory: WasmMemory,
    regions: Regions,
    options: EngineOptions,
  ) {
    this.net = net;
    this.wasm = wasm;
    this.memory = memory;
    this.regions = regions;
    this.maxBatch = options.maxBatch;
    this.setup = {
      net,
      j: options.j ?? DEFAULT_RBF_LOSS_J,
      outputCurvature: options.outputCurvature ?? "eq9",
    };
    this.paramCount = netSizes(wasm, net).params;
    this.template = (net === "historical" ? historicalZeros() : modernZeros()) as EngineParams[N];
    this.helper = options.helper?.(memory, regions, this.setup) ?? null;
  }

  /**
   * An engine for `net` with zero weights (set them with {@link setParams}); compiles the module
   * synchronously (Node, Web Workers). With `options.helper` it also starts the helper thread.
   */
  static create<N extends EngineNet>(net: N, options: EngineOptions): Engine<N> {
    const shared = options.helper !== undefined;
    const api = wasmApi();
    return Engine.instantiate(
      net,
      options,
      new api.Module(shared ? sharedModuleBytes() : moduleBytes()),
    );
  }

  /**
   * The same as {@link create}, compiling the module asynchronously: what a browser's main
   * thread must do (Chrome refuses to compile modules over 4 KB synchronously there).
   */
  static async createAsync<N extends EngineNet>(
    net: N,
    options: EngineOptions,
  ): Promise<Engine<N>> {
    const shared = options.helper !== undefined;
    const module = await wasmApi().compile(shared ? sharedModuleBytes() : moduleBytes());
    return Engine.instantiate(net, options, module);
  }

  private static instantiate<N extends EngineNet>(
    net: N,
    options: EngineOptions,
    module: object,
  ): Engine<N> {
    if (!(Number.isInteger(options.maxBatch) && options.maxBatch >= 1)) {
      throw new RangeError(
        `Engine.create: maxBatch must be a positive integer, got ${options.maxBatch}`,
      );
    }
    const api = wasmApi();
    const shared = options.helper !== undefined;
    const probeMemory = new api.Memory(
      shared ? { initial: 1, maximum: 1, shared } : { initial: 1 },
    );
    const probe = new api.Instance(module, { env: { memory: probeMemory } });
    const regions = layOut(probe.exports as EngineExports, net, options.maxBatch);
    const pages = Math.ceil(regions.end / 65536);
    const memory = new api.Memory(
      shared ? { initial: pages, maximum: pages, shared } : { initial: pages },
    );
    const instance = new api.Instance(module, { env: { memory } });
    const engine = new Engine(net, instance.exports as EngineExports, memory, regions, options);
    engine.writeConstants();
    return engine;
  }

  /** Stops the helper thread, if any; the engine then runs on one thread. */
  dispose(): void {
    if (this.helper === null) return;
    requestRange(this.helper, "stop", 0, 0, 0);
    this.helper.terminate();
    this.helper = null;
  }

  /** The float32 view of a region. */
  private floats(at: number, count: number): Float32Array {
    return new Float32Array(this.memory.buffer, at, count);
  }

  private checkRecord(record: object, who: string): void {
    const total = namedTensors(record).reduce((sum, [, t]) => sum + t.data.length, 0);
    const expected = this.paramCount + (this.net === "historical" ? PROTOTYPE_FLOATS : 0);
    if (total !== expected) {
      throw new RangeError(`${who}: a ${this.net} record has ${expected} values, got ${total}`);
    }
  }

  /** Table I's connections (both lanes) and the RBF prototypes: read by the module, never written. */
  private writeConstants(): void {
    if (this.net !== "historical") return;
    const { inMap, outMap } = tableConnections(TABLE_I);
    const table = Number(this.wasm.historicalTableOffset.value);
    for (const lane of this.regions.lanes) {
      const ints = new Int32Array(this.memory.buffer, lane.work + table * 4, inMap.length * 2);
      ints.set(inMap);
      ints.set(outMap, inMap.length);
    }
    this.floats(this.regions.prototypes, PROTOTYPE_FLOATS).set(rbfPrototypes());
  }

  /** Copies a parameter record into the engine (the prototypes of `historical` stay the paper's). */
  setParams(params: EngineParams[N]): void {
    this.checkRecord(params, "Engine.setParams");
    this.writeRecord(params, this.regions.params);
  }

  /** A copy of the engine's weights as a parameter record (float32). */
  getParams(): EngineParams[N] {
    const record = this.readRecord(this.regions.params);
    if (this.net !== "historical") return record;
    const prototypes: Tensor = {
      shape: [OUTPUT_UNITS, 84],
      data: this.floats(this.regions.prototypes, PROTOTYPE_FLOATS).slice(),
    };
    return { ...(record as HistoricalParams), prototypes } as EngineParams[N];
  }

  /** Writes the trainable tensors of a record (in its order) from `at` on. */
  private writeRecord(record: object, at: number): void {
    const flat = this.floats(at, this.paramCount);
    let offset = 0;
    for (const [name, t] of namedTensors(record)) {
      if (name === "prototypes") continue;
      flat.set(t.data, offset);
      offset += t.data.length;
    }
  }

  /** The trainable tensors from `at` on, as a record shaped like the template (copies). */
  private readRecord(at: number, factor = 1): EngineParams[N] {
    const flat = this.floats(at, this.paramCount);
    let offset = 0;
    const trainable =
      this.net === "historical"
        ? withoutPrototypes(this.template as HistoricalParams)
        : this.template;
    return mapTensors(trainable, (t) => {
      const data = flat.slice(offset, offset + t.data.length);
      if (factor !== 1) for (let i = 0; i < data.length; i++) data[i] *= factor;
      offset += t.data.length;
      return { shape: [...t.shape], data };
    }) as EngineParams[N];
  }

  /** Copies a batch into the engine; returns its size. */
  private writeBatch(inputs: Float32Array, labels: ArrayLike<number> | null, who: string): number {
    const size = INPUT_FLOATS[this.net];
    const n = inputs.length / size;
    if (!Number.isInteger(n) || n < 1 || n > this.maxBatch) {
      throw new RangeError(
        `${who}: expected 1 to ${this.maxBatch} inputs of ${size} floats, got ${inputs.length} floats`,
      );
    }
    this.floats(this.regions.inputs, inputs.length).set(inputs);
    if (labels !== null) {
      if (labels.length !== n)
        throw new RangeError(`${who}: ${n} inputs but ${labels.length} labels`);
      const ints = new Int32Array(this.memory.buffer, this.regions.labels, n);
      for (let i = 0; i < n; i++) {
        const label = labels[i];
        if (!(Number.isInteger(label) && label >= 0 && label < OUTPUT_UNITS)) {
          throw new RangeError(`${who}: label ${i} is ${label}, not a digit 0–9`);
        }
        ints[i] = label;
      }
    }
    return n;
  }

  /**
   * Runs `kind` over the batch's n examples: split at n/2 between this thread (lane 0) and the
   * helper (lane 1) when there is one and n is large enough, the helper's sums then added into
   * lane 0's. Returns Σ loss. A fixed split keeps the sums' order, so results are deterministic.
   */
  private run(kind: RangeKind, n: number, factor: number): number {
    const r = this.regions;
    const [own, other] = r.lanes;
    if (this.helper === null || n < TWO_THREAD_MIN_BATCH) {
      return runRange(this.wasm, r, own, this.setup, kind, 0, n, factor);
    }
    const half = Math.ceil(n / 2);
    awaitReady(this.helper);
    requestRange(this.helper, kind, half, n, factor);
    const mine = runRange(this.wasm, r, own, this.setup, kind, 0, half, factor);
    const theirs = awaitRange(this.helper);
    const add =
      this.net === "historical" ? this.wasm.historicalAddGradients : this.wasm.modernAddGradients;
    if (kind === "gradients") add(own.gradients, other.gradients);
    if (kind === "hessian") add(own.hessian, other.hessian);
    return mine + theirs;
  }

  /**
   * The batch's mean loss and the gradient of that mean (the weights are not changed).
   *
   * Input shape: inputs [N × input floats], N labels. Output shape: the parameter record.
   */
  computeGradients(
    inputs: Float32Array,
    labels: ArrayLike<number>,
  ): { loss: number; gradients: EngineParams[N] } {
    const n = this.writeBatch(inputs, labels, "Engine.computeGradients");
    const loss = this.run("gradients", n, 1) / n;
    return { loss, gradients: this.readRecord(this.regions.lanes[0].gradients, 1 / n) };
  }

  /**
   * SDLM's h_kk on the examples `inputs` (the mean of the per-example Gauss–Newton second
   * derivatives), kept for the SDLM update and returned as a record.
   */
  estimateHessian(inputs: Float32Array): EngineParams[N] {
    const n = this.writeBatch(inputs, null, "Engine.estimateHessian");
    const r = this.regions;
    if (this.net === "historical") this.wasm.historicalSquareParams(r.params, r.squared);
    else this.wasm.modernSquareParams(r.params, r.squared);
    this.run("hessian", n, 1 / n);
    this.floats(r.curvature, this.paramCount).set(this.floats(r.lanes[0].hessian, this.paramCount));
    this.hasHessian = true;
    return this.readRecord(r.curvature);
  }

  /** Replaces the Hessian estimate the SDLM update uses (e.g. from a checkpoint). */
  setHessian(hessian: object): void {
    const total = namedTensors(hessian).reduce((sum, [, t]) => sum + t.data.length, 0);
    if (total !== this.paramCount) {
      throw new RangeError(`Engine.setHessian: expected ${this.paramCount} values, got ${total}`);
    }
    this.writeRecord(hessian, this.regions.curvature);
    this.hasHessian = true;
  }

  /** Sets the optimiser and clears its state (slots, step count; the Hessian estimate stays). */
  setOptimizer(optimizer: EngineOptimizer): void {
    this.optimizer = optimizer;
    this.steps = 0;
    this.floats(this.regions.slot1, this.paramCount).fill(0);
    this.floats(this.regions.slot2, this.paramCount).fill(0);
  }

  /** Changes η (a schedule's next epoch) and nothing else of the optimiser's state. */
  setLearningRate(rate: number): void {
    if (!(rate >= 0 && Number.isFinite(rate))) {
      throw new RangeError(`Engine.setLearningRate: expected a finite rate ≥ 0, got ${rate}`);
    }
    this.optimizer = { ...this.optimizer, learningRate: rate };
  }

  /** A copy of the optimiser's whole state (see {@link EngineState}). */
  getState(): EngineState {
    const slots = SLOTS[this.optimizer.name];
    const copy = (at: number) => this.floats(at, this.paramCount).slice();
    return {
      optimizer: this.optimizer,
      iterations: this.steps,
      first: slots >= 1 ? copy(this.regions.slot1) : null,
      second: slots >= 2 ? copy(this.regions.slot2) : null,
      hessian: this.hasHessian ? copy(this.regions.curvature) : null,
    };
  }

  /** Restores a state from {@link getState} (or a checkpoint converted to it). */
  setState(state: EngineState): void {
    const slots = SLOTS[state.optimizer.name];
    // A slot the optimiser keeps but the state lacks (a fresh optimiser) starts at zero.
    const check = (what: string, data: Float32Array | null) => {
      if (data !== null && data.length !== this.paramCount) {
        throw new RangeError(
          `Engine.setState: ${what} needs ${this.paramCount} values, got ${data.length}`,
        );
      }
    };
    check("the first slot", state.first);
    check("the second slot", state.second);
    check("the Hessian", state.hessian);
    if (!(Number.isInteger(state.iterations) && state.iterations >= 0)) {
      throw new RangeError(
        `Engine.setState: iterations must be an integer ≥ 0, got ${state.iterations}`,
      );
    }
    this.setOptimizer(state.optimizer);
    this.steps = state.iterations;
    if (state.first !== null && slots >= 1)
      this.floats(this.regions.slot1, this.paramCount).set(state.first);
    if (state.second !== null && slots >= 2)
      this.floats(this.regions.slot2, this.paramCount).set(state.second);
    this.hasHessian = state.hessian !== null;
    if (state.hessian !== null)
      this.floats(this.regions.curvature, this.paramCount).set(state.hessian);
  }

  /**
   * The outputs of the last {@link step}'s examples, before its update (distances or logits),
   * [N × 10]: what a trainer counts the batch's accuracy from.
   */
  lastOutputs(n: number): Float32Array {
    return this.floats(this.regions.outputs, n * OUTPUT_UNITS).slice();
  }

  /** Updates taken since {@link setOptimizer}. */
  get iterations(): number {
    return this.steps;
  }

  /**
   * One training step on the batch: forward, backward, the optimiser's update. Returns the
   * batch's mean loss before the update.
   */
  step(inputs: Float32Array, labels: ArrayLike<number>): number {
    const n = this.writeBatch(inputs, labels, "Engine.step");
    const loss = this.run("gradients", n, 1) / n;
    this.update(n);
    return loss;
  }

  private update(n: number): void {
    const r = this.regions;
    const g = r.lanes[0].gradients;
    const o = this.optimizer;
    const count = this.paramCount;
    this.steps++;
    switch (o.name) {
      case "sgd":
        return this.wasm.sgdUpdate(r.params, g, count, o.learningRate, 1 / n);
      case "momentum":
        return this.wasm.momentumUpdate(
          r.params,
          g,
          r.slot1,
          count,
          o.learningRate,
          o.momentum,
          1 / n,
        );
      case "adam": {
        const c1 = 1 - o.beta1 ** this.steps;
        const c2 = 1 - o.beta2 ** this.steps;
        return this.wasm.adamUpdate(
          r.params,
          g,
          r.slot1,
          r.slot2,
          count,
          o.learningRate,
          o.beta1,
          o.beta2,
          o.epsilon,
          c1,
          c2,
          1 / n,
        );
      }
      case "sdlm": {
        const scale = o.batchScaling === "sum" ? 1 : 1 / n;
        const h = this.hasHessian ? r.curvature : 0;
        return this.wasm.sdlmUpdate(r.params, g, h, count, o.learningRate, o.mu, scale);
      }
    }
  }

  /**
   * The net's outputs for a batch: `historical` the ten RBF distances, `modern` the ten logits.
   *
   * Input shape: inputs [N × input floats]. Output shape: [N × 10] (a copy).
   */
  predict(inputs: Float32Array): Float32Array {
    const n = this.writeBatch(inputs, null, "Engine.predict");
    this.run("predict", n, 1);
    return this.floats(this.regions.outputs, n * OUTPUT_UNITS).slice();
  }
}

function withoutPrototypes(params: HistoricalParams): Omit<HistoricalParams, "prototypes"> {
  const { prototypes: _fixed, ...trainable } = params;
  void _fixed;
  return trainable;
}
