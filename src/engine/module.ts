/**
 * The engine's compiled module and its memory: what ./engine.as.ts exports, where each region
 * lies, and the one function both threads call to run a range of examples. Environment-neutral
 * (Node, browsers, workers); no state.
 */
import { SCALED_TANH_A, SCALED_TANH_S } from "../paper";
import { ENGINE_SHARED_WASM_BASE64, ENGINE_WASM_BASE64 } from "./engine-wasm";
import type { WasmGlobal } from "./wasm-api";

/** The nets the engine runs. */
export type EngineNet = "historical" | "modern";

/** What the compiled module exports (./engine.as.ts); pointers are byte offsets. */
export interface EngineExports {
  readonly historicalParamCount: WasmGlobal;
  readonly historicalWorkFloats: WasmGlobal;
  readonly historicalTableOffset: WasmGlobal;
  readonly modernParamCount: WasmGlobal;
  readonly modernWorkFloats: WasmGlobal;
  dataEnd(): number;
  historicalGradients(...args: number[]): number;
  historicalHessian(...args: number[]): void;
  historicalPredict(...args: number[]): void;
  historicalSquareParams(p: number, p2: number): void;
  historicalAddGradients(dst: number, src: number): void;
  modernGradients(...args: number[]): number;
  modernHessian(...args: number[]): void;
  modernPredict(...args: number[]): void;
  modernSquareParams(p: number, p2: number): void;
  modernAddGradients(dst: number, src: number): void;
  sgdUpdate(...args: number[]): void;
  momentumUpdate(...args: number[]): void;
  adamUpdate(...args: number[]): void;
  sdlmUpdate(...args: number[]): void;
}

/** Input floats per example: [32, 32, 1] and [28, 28, 1]. */
export const INPUT_FLOATS: Readonly<Record<EngineNet, number>> = {
  historical: 32 * 32,
  modern: 28 * 28,
};

/** Output units per example (ten digits). */
export const OUTPUT_UNITS = 10;

/** The RBF prototypes' floats [10, 84]. */
export const PROTOTYPE_FLOATS = OUTPUT_UNITS * 84;

/** The compiled module's bytes (for an ordinary memory). */
export function moduleBytes(): Uint8Array {
  return Uint8Array.from(atob(ENGINE_WASM_BASE64), (c) => c.charCodeAt(0));
}

/** The same module built for a shared memory (the two-thread engine). */
export function sharedModuleBytes(): Uint8Array {
  return Uint8Array.from(atob(ENGINE_SHARED_WASM_BASE64), (c) => c.charCodeAt(0));
}

/** One thread's own regions: its workspace and the sums it writes. */
export interface Lane {
  /** Activations and scratch for one example. */
  readonly work: number;
  /** Its part of the batch's summed gradient. */
  readonly gradients: number;
  /** Its part of the summed h_kk. */
  readonly hessian: number;
}

/** Byte offsets of the engine's memory regions (16-byte aligned). */
export interface Regions {
  /** The weights, the parameter record flattened in its order. */
  readonly params: number;
  /** The weights squared (the second-derivative pass). */
  readonly squared: number;
  /** `historical`'s fixed RBF prototypes [10, 84]. */
  readonly prototypes: number;
  /** The optimisers' state: velocity, or Adam's m. */
  readonly slot1: number;
  /** Adam's v. */
  readonly slot2: number;
  /** The h_kk the SDLM update uses (the lanes' sum). */
  readonly curvature: number;
  /** The batch [maxBatch × input floats]. */
  readonly inputs: number;
  /** Its labels, i32 [maxBatch]. */
  readonly labels: number;
  /** Outputs [maxBatch × 10]. */
  readonly outputs: number;
  /** The helper thread's handshake: i32 [16] (helper-thread.ts). */
  readonly control: number;
  /** Lane 0 is the calling thread's, lane 1 the helper thread's. */
  readonly lanes: readonly [Lane, Lane];
  /** Bytes in all. */
  readonly end: number;
}

/** The sizes the compiled module reports for a net. */
export function netSizes(wasm: EngineExports, net: EngineNet): { params: number; work: number } {
  const historical = net === "historical";
  return {
    params: Number((historical ? wasm.historicalParamCount : wasm.modernParamCount).value),
    work: Number((historical ? wasm.historicalWorkFloats : wasm.modernWorkFloats).value),
  };
}

/** Lays the regions out above the module's own static data. */
export function layOut(wasm: EngineExports, net: EngineNet, maxBatch: number): Regions {
  const { params, work } = netSizes(wasm, net);
  let next = Math.ceil(wasm.dataEnd() / 16) * 16;
  const take = (floats: number) => {
    const at = next;
    next += Math.ceil((floats * 4) / 16) * 16;
    return at;
  };
  const lane = (): Lane => ({ work: take(work), gradients: take(params), hessian: take(params) });
  const fixed = {
    params: take(params),
    squared: take(params),
    prototypes: take(PROTOTYPE_FLOATS),
    slot1: take(params),
    slot2: take(params),
    curvature: take(params),
    inputs: take(maxBatch * INPUT_FLOATS[net] + 4), // + 4: a vector may read past the last row
    labels: take(maxBatch),
    outputs: take(maxBatch * OUTPUT_UNITS),
    control: take(16),
  };
  const lanes: [Lane, Lane] = [lane(), lane()];
  return { ...fixed, lanes, end: next };
}

/** What a thread computes over its range of the batch. */
export type RangeKind = "gradients" | "hessian" | "predict";

/** The numbers every range call needs besides the regions. */
export interface RangeSetup {
  readonly net: EngineNet;
  /** j of eq. 9 (`historical`). */
  readonly j: number;
  /**
   * `historical`'s curvature at F6's output in the second-derivative pass: "eq9", the exact one
   * of the RBF layer and the loss; or a constant (2: y_D alone; 1: ½·y_D).
   */
  readonly outputCurvature: "eq9" | number;
}

/**
 * Runs examples [from, to) of the batch on one lane: the summed gradient (returns Σ loss), the
 * summed h_kk·factor, or the outputs. Both threads call this, each on its own lane.
 */
export function runRange(
  wasm: EngineExports,
  regions: Regions,
  lane: Lane,
  setup: RangeSetup,
  kind: RangeKind,
  from: number,
  to: number,
  factor: number,
): number {
  const r = regions;
  const [a, s] = [SCALED_TANH_A, SCALED_TANH_S];
  if (setup.net === "historical") {
    if (kind === "gradients") {
      return wasm.historicalGradients(
        r.params,
        r.prototypes,
        lane.gradients,
        lane.work,
        r.inputs,
        r.labels,
        r.outputs,
        from,
        to,
        a,
        s,
        setup.j,
      );
    }
    if (kind === "hessian") {
      wasm.historicalHessian(
        r.params,
        r.squared,
        r.prototypes,
        lane.hessian,
        lane.work,
        r.inputs,
        from,
        to,
        a,
        s,
        setup.j,
        factor,
        setup.outputCurvature === "eq9" ? 0 : setup.outputCurvature,
      );
    } else {
      wasm.historicalPredict(
        r.params,
        r.prototypes,
        lane.work,
        r.inputs,
        r.outputs,
        from,
        to,
        a,
        s,
      );
    }
    return 0;
  }
  if (kind === "gradients") {
    return wasm.modernGradients(
      r.params,
      lane.gradients,
      lane.work,
      r.inputs,
      r.labels,
      r.outputs,
      from,
      to,
    );
  }
  if (kind === "hessian") {
    wasm.modernHessian(r.params, r.squared, lane.hessian, lane.work, r.inputs, from, to, factor);
  } else {
    wasm.modernPredict(r.params, lane.work, r.inputs, r.outputs, from, to);
  }
  return 0;
}
