/**
 * The digits and initial weights the live training view ships, from bytes to what the engine
 * takes. The same code decodes them in the browser (after `fetch`, a SHA-256 check and gunzip)
 * and in Node (the parity test), so both train on the very same inputs.
 *
 * Input shape: count×784 MNIST pixels (0 background … 255 ink) then count labels, one byte each.
 * Output shape: the net's inputs [count, S, S, 1] (S = 32 paper levels, or 28 modern ones).
 */
import type { EngineNet, EngineParams } from "../engine/engine";
import { MNIST_SIDE, toNetworkInput } from "../data/preprocess";
import { historicalZeros } from "../scratch/historical";
import { modernZeros } from "../scratch/modern";
import { mapTensors, namedTensors } from "../scratch/tensor";
import { rbfPrototypes } from "../paper";

/** Pixels per MNIST digit. */
export const DIGIT_PIXELS = MNIST_SIDE * MNIST_SIDE;

/** Raw digits: MNIST pixels and labels. */
export interface RawDigits {
  /** [count, 28, 28] bytes. */
  readonly images: Uint8Array;
  /** [count] labels 0–9. */
  readonly labels: Uint8Array;
  /** Number of digits. */
  readonly count: number;
}

/** Digits as a net's inputs (as trainModel's `data.train`). */
export interface NetDigits {
  /** [count, S, S, 1]. */
  readonly images: Float32Array;
  /** [count]. */
  readonly labels: Uint8Array;
  /** Number of digits. */
  readonly count: number;
  /** S. */
  readonly side: 28 | 32;
}

/**
 * Splits a shipped digits file (already gunzipped) into pixels and labels; throws when its length
 * is not count × 785 or a label is not 0–9.
 * @example
 * ```ts
 * const digits = splitDigits(bytes, 2000); // digits.images.length === 2000 * 784
 * ```
 */
export function splitDigits(bytes: Uint8Array, count: number): RawDigits {
  if (bytes.length !== count * (DIGIT_PIXELS + 1)) {
    throw new RangeError(
      `splitDigits: ${count} digits need ${count * (DIGIT_PIXELS + 1)} bytes, got ${bytes.length}`,
    );
  }
  const images = bytes.subarray(0, count * DIGIT_PIXELS);
  const labels = bytes.subarray(count * DIGIT_PIXELS);
  const bad = labels.findIndex((label) => label > 9);
  if (bad >= 0) throw new RangeError(`splitDigits: label ${bad} is ${labels[bad]}, not 0–9`);
  return { images, labels, count };
}

/** The bytes of a shipped digits file (before gzip): {@link splitDigits}'s inverse. */
export function joinDigits(digits: RawDigits): Uint8Array {
  const out = new Uint8Array(digits.count * (DIGIT_PIXELS + 1));
  out.set(digits.images.subarray(0, digits.count * DIGIT_PIXELS));
  out.set(digits.labels.subarray(0, digits.count), digits.count * DIGIT_PIXELS);
  return out;
}

/** The input side and levels of each net (as MODEL_SPECS: historical 32 paper, modern 28). */
export function netInputOf(net: EngineNet): {
  size: 28 | 32;
  normalisation: "paper" | "modern";
} {
  return net === "historical"
    ? { size: 32, normalisation: "paper" }
    : { size: 28, normalisation: "modern" };
}

/**
 * Raw digits as `net`'s inputs, as trainModel's loadModelData converts MNIST.
 * @example
 * ```ts
 * netDigits(splitDigits(bytes, 2000), "historical").images.length; // 2000 * 32 * 32
 * ```
 */
export function netDigits(digits: RawDigits, net: EngineNet): NetDigits {
  const input = netInputOf(net);
  const images = toNetworkInput(digits.images, digits.count, input);
  return { images, labels: digits.labels, count: digits.count, side: input.size };
}

/** The engine's parameter record of `net` with zero weights (prototypes of historical: the paper's). */
function template(net: EngineNet): object {
  return net === "historical" ? historicalZeros() : modernZeros();
}

/**
 * A parameter record from the trainable weights flattened in the record's order (the shipped
 * initial weights' layout, and the engine's); historical's fixed prototypes are the paper's.
 * @example
 * ```ts
 * engine.setParams(paramsFromFlat("historical", new Float32Array(60000)));
 * ```
 */
export function paramsFromFlat<N extends EngineNet>(net: N, flat: Float32Array): EngineParams[N] {
  let offset = 0;
  const record = mapTensors(template(net), (t, name) => {
    if (name === "prototypes") return { shape: [...t.shape], data: rbfPrototypes() };
    const data = flat.slice(offset, offset + t.data.length);
    offset += t.data.length;
    return { shape: [...t.shape], data };
  });
  if (offset !== flat.length) {
    throw new RangeError(`paramsFromFlat: ${net} has ${offset} weights, got ${flat.length}`);
  }
  return record as EngineParams[N];
}

/** The trainable weights of a record flattened in its order ({@link paramsFromFlat}'s inverse). */
export function flatFromParams(record: object): Float32Array {
  const tensors = namedTensors(record).filter(([name]) => name !== "prototypes");
  const out = new Float32Array(tensors.reduce((sum, [, t]) => sum + t.data.length, 0));
  let offset = 0;
  for (const [, t] of tensors) {
    out.set(t.data, offset);
    offset += t.data.length;
  }
  return out;
}

/** The layers of a net's record, in order, with how many weights each has ("c1" → 156). */
export function layerSizes(net: EngineNet): { layer: string; size: number }[] {
  const sizes = new Map<string, number>();
  for (const [name, t] of namedTensors(template(net))) {
    if (name === "prototypes") continue;
    const layer = name.split(".")[0];
    sizes.set(layer, (sizes.get(layer) ?? 0) + t.data.length);
  }
  return [...sizes].map(([layer, size]) => ({ layer, size }));
}
