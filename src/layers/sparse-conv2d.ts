/**
 * LeNet-5's sparsely connected C3 as a tfjs layer (Section II-B, Table I): output map j sees only
 * the input maps `table[j]` lists,
 *
 *   y[n, oy, ox, j] = b[j] + Σ_{c : outMap[c] = j} Σ_{ky, kx} x[n, oy + ky, ox + kx, inMap[c]] · k[ky, kx, c]
 *
 * The trainable kernel is packed, [K, K, connections] (60 for Table I: connection c enumerates
 * output map j = 0, 1, … and within it the inputs in `table[j]`'s order, as in the scratch twin
 * src/scratch/sparse-conv2d.ts), so `countParams()` is exactly the paper's 60·25 + 16 = 1,516.
 * `call()` expands it to a full [K, K, Cin, Cout] kernel with zeros for the absent pairs by a
 * matMul with a constant 0/1 selection matrix [connections, Cin·Cout] — not a gather, because
 * wasm cannot differentiate Gather — then runs one dense valid conv2d.
 * Initialisation: uniform ±2.4/F_j with F_j = K·K·|table[j]| per output map (75, 100 or 150 for
 * C3), the bias of map j in the same range as its kernels.
 *
 * Input shape: [N, H, W, Cin] (Cin = 1 + the largest index in the table; 6 for C3).
 * Output shape: [N, H − K + 1, W − K + 1, Cout]; C3: [N, 14, 14, 6] → [N, 10, 10, 16].
 * Departures from the paper: none (the expansion computes the same sums, plus zeros).
 */
import * as tf from "@tensorflow/tfjs";
import { TABLE_I } from "../paper";
import { tableConnections } from "../scratch/sparse-conv2d";
import { type InitScale, PaperUniform, sparseConvFanIns, weightSeeds } from "./paper-uniform";

/** A connection table: row j lists the input maps of output map j (Table I by default). */
export type ConnectionTable = readonly (readonly number[])[];

/** Arguments of the {@link SparseConv2D} layer. */
export interface SparseConv2DArgs extends NonNullable<
  ConstructorParameters<typeof tf.layers.Layer>[0]
> {
  /** Kernel side K (default 5, as C3). */
  kernelSize?: number;
  /** Connection table (default the paper's Table I). */
  table?: ConnectionTable;
  /** Seed of the paper-uniform initialisation (default 0). */
  seed?: number;
  /** The initial range rule (default the paper's ±2.4/F_i). */
  initScale?: InitScale;
}

/**
 * The constant 0/1 matrix [connections, Cin·Cout] that scatters packed kernels into a full
 * kernel: row c has a single 1, at column inMap[c]·Cout + outMap[c] (the [Cin, Cout] entry
 * connection c stands for, flattened row-major).
 *
 * Input shape: a table of Cout rows (Table I: 16). Output shape: `values` [connections, Cin·Cout]
 * (Table I: [60, 96]).
 * @example
 * ```ts
 * const s = sparseSelectionMatrix(); // Table I: 60 × 96
 * s.values[0 * 96 + 0 * 16 + 0]; // 1: connection 0 joins input map 0 to output map 0
 * ```
 */
export function sparseSelectionMatrix(table: ConnectionTable = TABLE_I): {
  /** The 0/1 entries, row-major [connections, Cin·Cout]. */
  values: Float32Array;
  /** Rows: the number of connections in the table (60 for Table I). */
  connections: number;
  /** Cin: 1 + the largest input map index in the table. */
  inChannels: number;
  /** Cout: the number of rows of the table. */
  outChannels: number;
} {
  const { inMap, outMap, inChannels, outChannels } = tableConnections(table);
  const connections = inMap.length;
  const values = new Float32Array(connections * inChannels * outChannels);
  for (let c = 0; c < connections; c++) {
    values[c * inChannels * outChannels + inMap[c] * outChannels + outMap[c]] = 1;
  }
  return { values, connections, inChannels, outChannels };
}

/**
 * Expands a packed kernel [K, K, connections] to the full [K, K, Cin, Cout] kernel, zeros where
 * the table has no connection.
 *
 * Input shape: kernel [K, K, connections] (C3: [5, 5, 60]). Output shape: [K, K, Cin, Cout]
 * (C3: [5, 5, 6, 16]).
 * @example
 * ```ts
 * const full = expandSparseKernel(tf.ones([5, 5, 60])); // [5, 5, 6, 16], 60 ones per tap
 * ```
 */
export function expandSparseKernel(
  kernel: tf.Tensor,
  table: ConnectionTable = TABLE_I,
): tf.Tensor4D {
  return tf.tidy(() => {
    const { values, connections, inChannels, outChannels } = sparseSelectionMatrix(table);
    const [kh, kw, packed] = kernel.shape;
    if (kernel.rank !== 3 || packed !== connections) {
      throw new Error(
        `expandSparseKernel: kernel [${kernel.shape.join(", ")}] should be [K, K, ${connections}]`,
      );
    }
    const selection = tf.tensor2d(values, [connections, inChannels * outChannels]); // [60, 96]
    const taps = tf.reshape(kernel, [kh * kw, connections]); // [K·K, 60]
    const full = tf.matMul(taps, selection); // [K·K, 96]
    return tf.reshape(full, [kh, kw, inChannels, outChannels]) as tf.Tensor4D; // [K, K, 6, 16]
  });
}

/**
 * Sparse convolution: expand the packed kernel, then a valid stride-1 conv2d plus bias.
 *
 * Input shape: x [N, H, W, Cin], kernel [K, K, connections], bias [Cout]. Output shape:
 * [N, H − K + 1, W − K + 1, Cout]. C3: [N, 14, 14, 6] → [N, 10, 10, 16].
 * @example
 * ```ts
 * const y = sparseConv2d(tf.zeros([1, 14, 14, 6]), tf.zeros([5, 5, 60]), tf.zeros([16])); // [1, 10, 10, 16]
 * ```
 */
export function sparseConv2d(
  x: tf.Tensor,
  kernel: tf.Tensor,
  bias: tf.Tensor,
  table: ConnectionTable = TABLE_I,
): tf.Tensor {
  return tf.tidy(() => {
    const full = expandSparseKernel(kernel, table); // [K, K, Cin, Cout]
    const y = tf.conv2d(x as tf.Tensor4D, full, 1, "valid"); // [N, H − K + 1, W − K + 1, Cout]
    return tf.add(y, bias); // [N, H − K + 1, W − K + 1, Cout]
  });
}

/**
 * C3 as a layer: trainable packed kernel [K, K, connections] and bias [Cout]; the table is part
 * of its configuration, so it serialises. Registered as "SparseConv2D".
 *
 * Input shape: [N, H, W, Cin] (Cin = 1 + the largest index in the table). Output shape:
 * [N, H − K + 1, W − K + 1, Cout]. C3: [N, 14, 14, 6] → [N, 10, 10, 16].
 * @example
 * ```ts
 * const c3 = new SparseConv2D({ inputShape: [14, 14, 6], seed: 3 });
 * const model = tf.sequential({ layers: [c3] });
 * model.outputShape; // [null, 10, 10, 16]
 * model.countParams(); // 1516, C3's count in the paper
 * ```
 */
export class SparseConv2D extends tf.layers.Layer {
  /** Name under which tfjs serialises this layer. */
  static readonly className = "SparseConv2D";
  /** Kernel side K. */
  readonly kernelSize: number;
  /** Row j: the input maps of output map j. */
  readonly table: number[][];
  /** Seed of the initialisation. */
  readonly seed: number;
  /** The initial range rule, or undefined for the paper's. */
  readonly initScale: InitScale | undefined;
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  /** A sparse conv layer; throws a RangeError now if the table is malformed. */
  constructor(args: SparseConv2DArgs = {}) {
    super(args);
    this.kernelSize = args.kernelSize ?? 5;
    this.table = (args.table ?? TABLE_I).map((row) => [...row]);
    this.seed = args.seed ?? 0;
    this.initScale = args.initScale;
    tableConnections(this.table); // validates the table now, not at build time
  }

  /** Creates the packed kernel [K, K, connections] and the bias [Cout]. */
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const { inMap, inChannels, outChannels } = tableConnections(this.table);
    if (shape.length !== 4 || shape[3] !== inChannels) {
      throw new Error(
        `SparseConv2D: input [${shape.join(", ")}] should be [N, H, W, ${inChannels}] for its table`,
      );
    }
    const { perConnection, perOutputMap } = sparseConvFanIns(this.kernelSize, this.table);
    const [kernelSeed, biasSeed] = weightSeeds(this.seed, 2);
    const k = this.kernelSize;
    this.kernel = this.addWeight(
      "kernel",
      [k, k, inMap.length],
      "float32",
      new PaperUniform({ seed: kernelSeed, fanIn: perConnection, scale: this.initScale }),
    ); // [K, K, connections]
    this.bias = this.addWeight(
      "bias",
      [outChannels],
      "float32",
      new PaperUniform({ seed: biasSeed, fanIn: perOutputMap, scale: this.initScale }),
    ); // [Cout]
    this.built = true;
  }

  /** y = conv2d(x, expand(kernel)) + bias. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (this.kernel === null || this.bias === null) throw new Error("SparseConv2D: not built");
    return sparseConv2d(x, this.kernel.read(), this.bias.read(), this.table); // [N, H − K + 1, W − K + 1, Cout]
  }

  /** [N, H, W, Cin] → [N, H − K + 1, W − K + 1, Cout]. */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const [batch, height, width] = shape;
    const out = (size: number | null) => (size === null ? null : size - this.kernelSize + 1);
    return [batch, out(height), out(width), this.table.length];
  }

  /** tfjs's common configuration plus kernelSize, table and seed. */
  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      kernelSize: this.kernelSize,
      table: this.table.map((row) => [...row]),
      seed: this.seed,
      ...(this.initScale === undefined ? {} : { initScale: { ...this.initScale } }),
    };
  }
}
tf.serialization.registerClass(SparseConv2D);
