/**
 * The plain tensor the from-scratch layers work on: a flat typed array plus a shape.
 *
 * Layout: every image tensor in lenet5 — scratch and tfjs alike — is **NHWC**
 * (batch, height, width, channels), row-major, the last axis fastest. Convolution kernels are
 * [kernelHeight, kernelWidth, inChannels, outChannels], dense weights [inUnits, outUnits], both
 * as tfjs stores them, so weights move between the two worlds without transposes.
 *
 * Data may be Float32Array (what tfjs uses) or Float64Array (what gradient checks use: finite
 * differences need the precision). Every op allocates its result with the same array type as its
 * main input.
 */

/** The element storage a scratch {@link Tensor} may use: Float32Array or Float64Array. */
export type FloatArray = Float32Array | Float64Array;

/** A dense row-major tensor. */
export interface Tensor {
  /** Size of each axis, outermost first; image tensors are [N, H, W, C] (NHWC). */
  readonly shape: readonly number[];
  /** The elements in row-major order (last axis fastest); length = product of `shape`. */
  readonly data: FloatArray;
}

/** Number of elements of a shape: the product of its dims (1 for the scalar shape []). */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * A tensor from a shape and values; checks that the value count fits the shape.
 *
 * Input shape: any `shape`, with `values.length` equal to its size. Output shape: `shape`.
 * @example
 * ```ts
 * const x = tensor([1, 2, 2, 1], [1, 2, 3, 4]); // one 2×2 single-channel image
 * ```
 */
export function tensor(
  shape: readonly number[],
  values: ArrayLike<number> | FloatArray,
  type: "float32" | "float64" = "float32",
): Tensor {
  const size = sizeOf(shape);
  if (values.length !== size) {
    throw new RangeError(
      `tensor: shape [${shape.join(", ")}] holds ${size} values, got ${values.length}`,
    );
  }
  const data = type === "float64" ? Float64Array.from(values) : Float32Array.from(values);
  return { shape: [...shape], data };
}

/**
 * A zero tensor of `shape` whose data has the same array type as `like`.
 *
 * Output shape: `shape`.
 */
export function zeros(
  shape: readonly number[],
  like: FloatArray | "float32" | "float64" = "float32",
): Tensor {
  const size = sizeOf(shape);
  const data =
    like === "float64" || like instanceof Float64Array
      ? new Float64Array(size)
      : new Float32Array(size);
  return { shape: [...shape], data };
}

/** Throws a RangeError naming `what` unless `t`'s shape is `expected` (null: any size there). */
export function expectShape(what: string, t: Tensor, expected: readonly (number | null)[]): void {
  const ok =
    t.shape.length === expected.length && expected.every((d, i) => d === null || d === t.shape[i]);
  if (!ok) {
    const want = expected.map((d) => (d === null ? "?" : String(d))).join(", ");
    throw new RangeError(`${what}: expected shape [${want}], got [${t.shape.join(", ")}]`);
  }
}

/**
 * The same elements under another shape of the same size (no copy: the data is shared), as
 * C5's [N, 1, 1, 120] maps become F6's [N, 120] input.
 *
 * Input shape: any. Output shape: `shape`, whose size must equal the input's.
 * @example
 * ```ts
 * reshaped(zeros([2, 1, 1, 3]), [2, 3]).shape; // [2, 3]
 * ```
 */
export function reshaped(t: Tensor, shape: readonly number[]): Tensor {
  if (sizeOf(shape) !== t.data.length) {
    throw new RangeError(
      `reshaped: [${t.shape.join(", ")}] has ${t.data.length} values, [${shape.join(", ")}] needs ${sizeOf(shape)}`,
    );
  }
  return { shape: [...shape], data: t.data };
}

/**
 * A new tensor of `t`'s values times `factor`.
 *
 * Input shape: any. Output shape: the same.
 * @example
 * ```ts
 * scaled(tensor([2], [1, 2]), 0.5).data; // [0.5, 1]
 * ```
 */
export function scaled(t: Tensor, factor: number): Tensor {
  const out = zeros(t.shape, t.data); // t's shape
  for (let i = 0; i < t.data.length; i++) out.data[i] = t.data[i] * factor;
  return out;
}

/**
 * Every tensor of a parameter record (layers of named tensors, `{ c1: { kernel, bias }, … }`)
 * with its dotted name, in declaration order — the order of the tfjs model's weights for
 * lenet5's records.
 * @example
 * ```ts
 * namedTensors({ c1: { kernel: zeros([1]), bias: zeros([1]) } }).map(([name]) => name);
 * // ["c1.kernel", "c1.bias"]
 * ```
 */
export function namedTensors(record: object, prefix = ""): [string, Tensor][] {
  return Object.entries(record).flatMap(([name, value]: [string, unknown]): [string, Tensor][] => {
    if (isTensor(value)) return [[prefix + name, value]];
    if (typeof value === "object" && value !== null)
      return namedTensors(value, `${prefix}${name}.`);
    throw new TypeError(`namedTensors: ${prefix}${name} is neither a tensor nor a record`);
  });
}

function isTensor(value: unknown): value is Tensor {
  return (
    typeof value === "object" &&
    value !== null &&
    "shape" in value &&
    "data" in value &&
    (value.data instanceof Float32Array || value.data instanceof Float64Array)
  );
}

/**
 * A parameter record of the same layout with `fn` applied to every tensor (e.g. a Float64 copy
 * for a gradient check, or zeros for an optimiser's state).
 * @example
 * ```ts
 * const h64 = mapTensors(params, (t) => tensor(t.shape, t.data, "float64"));
 * ```
 */
export function mapTensors<T extends object>(
  record: T,
  fn: (t: Tensor, name: string) => Tensor,
): T {
  const mapped = (value: object, prefix: string): object =>
    Object.fromEntries(
      Object.entries(value).map(([name, v]: [string, unknown]) => {
        if (isTensor(v)) return [name, fn(v, prefix + name)];
        if (typeof v === "object" && v !== null) return [name, mapped(v, `${prefix}${name}.`)];
        throw new TypeError(`mapTensors: ${prefix}${name} is neither a tensor nor a record`);
      }),
    );
  return mapped(record, "") as T;
}
