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
import { SCALED_TANH_A, SCALED_TANH_S, TABLE_I, rbfPrototypes } from "../paper";
import { historicalZeros, type HistoricalParams } from "../scratch/historical";
import { modernZeros, type ModernParams } from "../scratch/modern";
import { DEFAULT_RBF_LOSS_J } from "../scratch/rbf-loss";
import { tableConnections } from "../scratch/sparse-conv2d";
import { mapTensors, namedTensors, type Tensor } from "../scratch/tensor";
import { ENGINE_WASM_BASE64 } from "./engine-wasm";
import { wasmApi, type WasmGlobal, type WasmMemory } from "./wasm-api";

/** The nets the engine runs. */
export type EngineNet = "historical" | "modern";

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
}

/** What the compiled module exports (./engine.as.ts); pointers are byte offsets. */
interface EngineExports {
  historicalParamCount: WasmGlobal;
  historicalWorkFloats: WasmGlobal;
  historicalTableOffset: WasmGlobal;
  modernParamCount: WasmGlobal;
  modernWorkFloats: WasmGlobal;
  historicalGradients(...args: number[]): number;
  historicalHessian(...args: number[]): void;
  historicalPredict(...args: number[]): void;
  historicalSquareParams(p: number, p2: number): void;
  modernGradients(...args: number[]): number;
  modernHessian(...args: number[]): void;
  modernPredict(...args: number[]): void;
  modernSquareParams(p: number, p2: number): void;
  sgdUpdate(...args: number[]): void;
  momentumUpdate(...args: number[]): void;
  adamUpdate(...args: number[]): void;
  sdlmUpdate(...args: number[]): void;
  dataEnd(): number;
}

/** Input floats per example. */
const INPUT_FLOATS: Readonly<Record<EngineNet, number>> = { historical: 32 * 32, modern: 28 * 28 };
const OUTPUT_UNITS = 10;

function moduleBytes(): Uint8Array {
  return Uint8Array.from(atob(ENGINE_WASM_BASE64), (c) => c.charCodeAt(0));
}

/** Byte offsets of the engine's memory regions, laid out once (16-byte aligned). */
interface Regions {
  params: number;
  squared: number;
  prototypes: number;
  gradients: number;
  hessian: number;
  slot1: number;
  slot2: number;
  work: number;
  inputs: number;
  labels: number;
  outputs: number;
  end: number;
}

function layOut(
  base: number,
  paramCount: number,
  workFloats: number,
  maxBatch: number,
  inputFloats: number,
) {
  let next = Math.ceil(base / 16) * 16; // above the module's static data
  const take = (floats: number) => {
    const at = next;
    next += Math.ceil((floats * 4) / 16) * 16;
    return at;
  };
  const regions: Regions = {
    params: take(paramCount),
    squared: take(paramCount),
    prototypes: take(OUTPUT_UNITS * 84),
    gradients: take(paramCount),
    hessian: take(paramCount),
    slot1: take(paramCount),
    slot2: take(paramCount),
    work: take(workFloats),
    inputs: take(maxBatch * inputFloats + 4), // + 4: a vector may read past the last row
    labels: take(maxBatch),
    outputs: take(maxBatch * OUTPUT_UNITS),
    end: 0,
  };
  regions.end = next;
  return regions;
}

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
  private readonly memory: WasmMemory;
  private readonly wasm: EngineExports;
  private readonly regions: Regions;
  private readonly template: EngineParams[N];
  private readonly j: number;
  private optimizer: EngineOptimizer = { name: "sgd", learningRate: 0 };
  private steps = 0;
  private hasHessian = false;

  private constructor(
    net: N,
    template: EngineParams[N],
    instance: { readonly exports: unknown },
    memory: WasmMemory,
    regions: Regions,
    options: EngineOptions,
  ) {
    this.net = net;
    this.template = template;
    this.wasm = instance.exports as unknown as EngineExports;
    this.memory = memory;
    this.regions = regions;
    this.maxBatch = options.maxBatch;
    this.j = options.j ?? DEFAULT_RBF_LOSS_J;
    this.paramCount =
      net === "historical"
        ? Number(this.wasm.historicalParamCount.value)
        : Number(this.wasm.modernParamCount.value);
  }

  /**
   * An engine for `net` with zero weights (set them with {@link setParams}); compiles the module
   * synchronously (Node, Web Workers).
   */
  static create<N extends EngineNet>(net: N, options: EngineOptions): Engine<N> {
    if (!(Number.isInteger(options.maxBatch) && options.maxBatch >= 1)) {
      throw new RangeError(
        `Engine.create: maxBatch must be a positive integer, got ${options.maxBatch}`,
      );
    }
    const api = wasmApi();
    const module = new api.Module(moduleBytes());
    const probe = new api.Instance(module, { env: { memory: new api.Memory({ initial: 1 }) } });
    const sizes = probe.exports as unknown as EngineExports;
    const paramCount = Number(
      net === "historical" ? sizes.historicalParamCount.value : sizes.modernParamCount.value,
    );
    const workFloats = Number(
      net === "historical" ? sizes.historicalWorkFloats.value : sizes.modernWorkFloats.value,
    );
    const regions = layOut(
      sizes.dataEnd(),
      paramCount,
      workFloats,
      options.maxBatch,
      INPUT_FLOATS[net],
    );
    const memory = new api.Memory({ initial: Math.ceil(regions.end / 65536) });
    const instance = new api.Instance(module, { env: { memory } });
    const template = (net === "historical" ? historicalZeros() : modernZeros()) as EngineParams[N];
    const engine = new Engine(net, template, instance, memory, regions, options);
    engine.checkRecord(template, "Engine.create");
    engine.writeConstants();
    return engine;
  }

  /** The float32 view of a region. */
  private floats(at: number, count: number): Float32Array {
    return new Float32Array(this.memory.buffer, at, count);
  }

  private checkRecord(record: object, who: string): void {
    const total = namedTensors(record).reduce((sum, [, t]) => sum + t.data.length, 0);
    const expected = this.paramCount + (this.net === "historical" ? OUTPUT_UNITS * 84 : 0);
    if (total !== expected) {
      throw new RangeError(`${who}: a ${this.net} record has ${expected} values, got ${total}`);
    }
  }

  /** Table I's connections and the RBF prototypes: what the module reads but never writes. */
  private writeConstants(): void {
    if (this.net !== "historical") return;
    const { inMap, outMap } = tableConnections(TABLE_I);
    const table = Number(this.wasm.historicalTableOffset.value);
    const ints = new Int32Array(
      this.memory.buffer,
      this.regions.work + table * 4,
      inMap.length * 2,
    );
    ints.set(inMap);
    ints.set(outMap, inMap.length);
    this.floats(this.regions.prototypes, OUTPUT_UNITS * 84).set(rbfPrototypes());
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
      data: this.floats(this.regions.prototypes, OUTPUT_UNITS * 84).slice(),
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

  /** Σ of the examples' losses, the summed gradient left in the gradient region. */
  private gradientSum(n: number): number {
    const r = this.regions;
    if (this.net === "historical") {
      return this.wasm.historicalGradients(
        r.params,
        r.prototypes,
        r.gradients,
        r.work,
        r.inputs,
        r.labels,
        0,
        n,
        SCALED_TANH_A,
        SCALED_TANH_S,
        this.j,
      );
    }
    return this.wasm.modernGradients(r.params, r.gradients, r.work, r.inputs, r.labels, 0, n);
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
    const loss = this.gradientSum(n) / n;
    return { loss, gradients: this.readRecord(this.regions.gradients, 1 / n) };
  }

  /**
   * SDLM's h_kk on the examples `inputs` (the mean of the per-example Gauss–Newton second
   * derivatives), kept for the SDLM update and returned as a record.
   */
  estimateHessian(inputs: Float32Array): EngineParams[N] {
    const n = this.writeBatch(inputs, null, "Engine.estimateHessian");
    const r = this.regions;
    if (this.net === "historical") {
      this.wasm.historicalSquareParams(r.params, r.squared);
      this.wasm.historicalHessian(
        r.params,
        r.squared,
        r.prototypes,
        r.hessian,
        r.work,
        r.inputs,
        0,
        n,
        SCALED_TANH_A,
        SCALED_TANH_S,
        this.j,
        1 / n,
      );
    } else {
      this.wasm.modernSquareParams(r.params, r.squared);
      this.wasm.modernHessian(r.params, r.squared, r.hessian, r.work, r.inputs, 0, n, 1 / n);
    }
    this.hasHessian = true;
    return this.readRecord(r.hessian);
  }

  /** Sets the optimiser and clears its state (slots, step count; the Hessian estimate stays). */
  setOptimizer(optimizer: EngineOptimizer): void {
    this.optimizer = optimizer;
    this.steps = 0;
    this.floats(this.regions.slot1, this.paramCount).fill(0);
    this.floats(this.regions.slot2, this.paramCount).fill(0);
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
    const loss = this.gradientSum(n) / n;
    this.update(n);
    return loss;
  }

  private update(n: number): void {
    const r = this.regions;
    const o = this.optimizer;
    const count = this.paramCount;
    this.steps++;
    switch (o.name) {
      case "sgd":
        return this.wasm.sgdUpdate(r.params, r.gradients, count, o.learningRate, 1 / n);
      case "momentum":
        return this.wasm.momentumUpdate(
          r.params,
          r.gradients,
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
          r.gradients,
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
        return this.wasm.sdlmUpdate(
          r.params,
          r.gradients,
          this.hasHessian ? r.hessian : 0,
          count,
          o.learningRate,
          o.mu,
          scale,
        );
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
    const r = this.regions;
    if (this.net === "historical") {
      this.wasm.historicalPredict(
        r.params,
        r.prototypes,
        r.work,
        r.inputs,
        r.outputs,
        0,
        n,
        SCALED_TANH_A,
        SCALED_TANH_S,
      );
    } else {
      this.wasm.modernPredict(r.params, r.work, r.inputs, r.outputs, 0, n);
    }
    return this.floats(r.outputs, n * OUTPUT_UNITS).slice();
  }
}

function withoutPrototypes(params: HistoricalParams): Omit<HistoricalParams, "prototypes"> {
  const { prototypes: _fixed, ...trainable } = params;
  void _fixed;
  return trainable;
}
