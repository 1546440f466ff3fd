/**
 * The part of the WebAssembly JavaScript API the engine uses, typed here because lenet5 compiles
 * against ES2022 without the DOM library (Node and browsers both provide it at run time).
 */

/** A WebAssembly.Memory. */
export interface WasmMemory {
  /** The memory's bytes (an ArrayBuffer, or a SharedArrayBuffer for a shared memory). */
  readonly buffer: ArrayBuffer;
}

/** An exported WebAssembly.Global. */
export interface WasmGlobal {
  /** Its value. */
  readonly value: number;
}

/** What lenet5 needs of the global `WebAssembly` object. */
export interface WasmApi {
  /** new WebAssembly.Memory({ initial, maximum?, shared? }), sizes in 64 KiB pages. */
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  /** Synchronous compilation. */
  Module: new (bytes: Uint8Array) => object;
  /** Synchronous instantiation. */
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
  /** Asynchronous compilation (browsers refuse synchronous compilation of large modules). */
  compile(bytes: Uint8Array): Promise<object>;
}

/**
 * The global WebAssembly API; throws where there is none.
 * @example
 * ```ts
 * new (wasmApi().Memory)({ initial: 1 }).buffer.byteLength; // 65536
 * ```
 */
export function wasmApi(): WasmApi {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (api === undefined)
    throw new Error("lenet5 engine: this JavaScript runtime has no WebAssembly");
  return api;
}
