/**
 * LeNet-5's trainable subsampling S2/S4 as a tfjs layer (Section II-B): each unit adds the four
 * inputs of its non-overlapping 2×2 block, multiplies by a trainable per-map coefficient and adds
 * a trainable per-map bias:
 *
 *   y[n, oy, ox, c] = coefficient[c] · Σ_{dy, dx ∈ {0, 1}} x[n, 2·oy + dy, 2·ox + dx, c] + bias[c]
 *
 * The block sum is 4 × a 2×2 average pool (wasm has AvgPool and AvgPoolGrad). Twin of
 * src/scratch/subsampling.ts. Initialisation: the paper's uniform ±2.4/F_i with F_i = 4 — one
 * coefficient multiplies the four inputs of a block, so a unit has four inputs (lenet5's reading).
 *
 * Input shape: [N, H, W, C] with H and W even (odd sizes are rejected).
 * Output shape: [N, H/2, W/2, C]; S2 [N, 28, 28, 6] → [N, 14, 14, 6], S4 [N, 10, 10, 16] →
 * [N, 5, 5, 16]. Parameters: 2·C (S2 12, S4 32, as in the paper).
 * On wasm, once `initBackend()` registered them, the forward pass and the three gradients
 * (x, coefficient, bias) are one WebAssembly SIMD kernel each (../kernels/subsampling.ts) instead
 * of about ten tfjs kernel calls; elsewhere (and for fewer than 4 channels) tfjs's AvgPool,
 * Multiply and Add compute it.
 *
 * Departures from the paper: the squashing function that follows is a separate layer (ScaledTanh).
 * Options `reduce: "average"` and `init: "identity"` (coefficient 1, bias 0) reproduce the seed
 * page's variant (`seed-historical`), which averages the block instead of summing it; the forward
 * map is the same family (average·w = sum·w/4) but the gradient scale of the coefficient differs.
 */
import * as tf from "@tensorflow/tfjs";
import { type InitScale, PaperUniform, weightSeeds } from "./paper-uniform";
import { SUBSAMPLING, SUBSAMPLING_GRAD } from "../kernels/subsampling";
import { fusedKernelsActive } from "../kernels/simd-kernels";

/** Fan-in of a subsampling unit: the four inputs of its 2×2 block. */
export const SUBSAMPLING_FAN_IN = 4;

/** Arguments of the {@link Subsampling} layer. */
export interface SubsamplingArgs extends NonNullable<
  ConstructorParameters<typeof tf.layers.Layer>[0]
> {
  /** Seed of the paper-uniform initialisation of coefficient and bias (default 0). */
  seed?: number;
  /** "sum" of each 2×2 block (the paper's, default) or its "average" (the seed page's). */
  reduce?: "sum" | "average";
  /** "paper": uniform ±2.4/4 (default); "identity": coefficient 1, bias 0 (the seed page's). */
  init?: "paper" | "identity";
  /** With `init: "paper"`: the initial range rule (default ±2.4/F_i with F_i = 4). */
  initScale?: InitScale;
}

/**
 * coefficient · (2×2 block sums of x) + bias, per channel.
 *
 * Input shape: x [N, H, W, C] (H, W even), coefficient [C], bias [C]. Output shape:
 * [N, H/2, W/2, C]. S2: [N, 28, 28, 6] → [N, 14, 14, 6]; S4: [N, 10, 10, 16] → [N, 5, 5, 16].
 * @example
 * ```ts
 * const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
 * subsampling(x, tf.tensor1d([0.5]), tf.tensor1d([1])); // [[[[6]]]]: 0.5·10 + 1
 * ```
 */
export function subsampling(
  x: tf.Tensor,
  coefficient: tf.Tensor,
  bias: tf.Tensor,
  reduce: "sum" | "average" = "sum",
): tf.Tensor {
  checkEvenSize("subsampling", x.shape);
  const fusable = (x.shape[3] ?? 0) >= 4 && x.dtype === "float32";
  if (fusable && fusedKernelsActive(SUBSAMPLING, SUBSAMPLING_GRAD)) {
    const scale = reduce === "sum" ? 1 : 0.25;
    const fused = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [input, c, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
      save([input, c]);
      const value = tf
        .engine()
        .runKernel(SUBSAMPLING, { x: input, coefficient: c, bias: b }, { scale }) as tf.Tensor; // [N, H/2, W/2, C]
      const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf
          .engine()
          .runKernel(
            SUBSAMPLING_GRAD,
            { x: saved[0], coefficient: saved[1], dy },
            { scale },
          ) as tf.Tensor[]; // [dx [N, H, W, C], dcoefficient [C], dbias [C]]
      return { value, gradFunc };
    });
    return fused(x, coefficient, bias); // [N, H/2, W/2, C]
  }
  return tf.tidy(() => {
    const average = tf.avgPool(x as tf.Tensor4D, 2, 2, "valid"); // [N, H/2, W/2, C]
    const block = reduce === "sum" ? tf.mul(average, 4) : average; // [N, H/2, W/2, C]
    return tf.add(tf.mul(block, coefficient), bias); // [N, H/2, W/2, C]
  });
}

function checkEvenSize(what: string, shape: readonly (number | null)[]): void {
  if (shape.length !== 4) {
    throw new Error(`${what}: expected input [N, H, W, C], got [${shape.join(", ")}]`);
  }
  const [, height, width] = shape;
  if ((height !== null && height % 2 !== 0) || (width !== null && width % 2 !== 0)) {
    throw new Error(
      `${what}: input [${shape.join(", ")}] needs an even height and width for 2×2 blocks`,
    );
  }
}

/**
 * Trainable 2×2 subsampling with one coefficient and one bias per channel; registered for
 * serialisation as "Subsampling".
 *
 * Input shape: [N, H, W, C] (H, W even). Output shape: [N, H/2, W/2, C]. S2: [N, 28, 28, 6] →
 * [N, 14, 14, 6]; S4: [N, 10, 10, 16] → [N, 5, 5, 16].
 * @example
 * ```ts
 * const s2 = new Subsampling({ inputShape: [28, 28, 6], seed: 2 });
 * const model = tf.sequential({ layers: [s2] });
 * model.outputShape; // [null, 14, 14, 6]
 * model.countParams(); // 12, S2's count in the paper
 * ```
 */
export class Subsampling extends tf.layers.Layer {
  /** Name under which tfjs serialises this layer. */
  static readonly className = "Subsampling";
  /** Seed of the initialisation. */
  readonly seed: number;
  /** Block reduction: "sum" (paper) or "average" (seed page). */
  readonly reduce: "sum" | "average";
  /** Initialisation: "paper" or "identity". */
  readonly init: "paper" | "identity";
  /** The initial range rule, or undefined for the paper's. */
  readonly initScale: InitScale | undefined;
  private coefficient: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  /** A subsampling layer; its coefficient and bias are created when it is built. */
  constructor(args: SubsamplingArgs = {}) {
    super(args);
    this.seed = args.seed ?? 0;
    this.reduce = args.reduce ?? "sum";
    this.init = args.init ?? "paper";
    this.initScale = args.initScale;
  }

  /** Creates coefficient [C] and bias [C], both uniform in ±2.4/4 = ±0.6. */
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    checkEvenSize("Subsampling", shape);
    const channels = shape[3];
    if (channels === null) throw new Error("Subsampling: the channel count must be known");
    const [coefficientSeed, biasSeed] = weightSeeds(this.seed, 2);
    this.coefficient = this.addWeight(
      "coefficient",
      [channels],
      "float32",
      this.init === "identity"
        ? tf.initializers.ones()
        : new PaperUniform({
            seed: coefficientSeed,
            fanIn: SUBSAMPLING_FAN_IN,
            scale: this.initScale,
          }),
    ); // [C]
    this.bias = this.addWeight(
      "bias",
      [channels],
      "float32",
      this.init === "identity"
        ? tf.initializers.zeros()
        : new PaperUniform({ seed: biasSeed, fanIn: SUBSAMPLING_FAN_IN, scale: this.initScale }),
    ); // [C]
    this.built = true;
  }

  /** y = coefficient · blockSum(x) + bias. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (this.coefficient === null || this.bias === null) throw new Error("Subsampling: not built");
    return subsampling(x, this.coefficient.read(), this.bias.read(), this.reduce); // [N, H/2, W/2, C]
  }

  /** [N, H, W, C] → [N, H/2, W/2, C]; odd H or W throws. */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    checkEvenSize("Subsampling", shape);
    const [batch, height, width, channels] = shape;
    return [
      batch,
      height === null ? null : height / 2,
      width === null ? null : width / 2,
      channels,
    ];
  }

  /** tfjs's common configuration plus seed, reduce and init. */
  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      seed: this.seed,
      reduce: this.reduce,
      init: this.init,
      ...(this.initScale === undefined ? {} : { initScale: { ...this.initScale } }),
    };
  }
}
tf.serialization.registerClass(Subsampling);
