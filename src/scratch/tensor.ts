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
