/**
 * The paper's weight initialisation as a tfjs `Initializer`: every weight uniform in
 * [−2.4/F_i, +2.4/F_i], F_i the fan-in of the unit the weight belongs to (Appendix A; the
 * numerator is INIT_RANGE_NUMERATOR in paper.ts). Values come from lenet5's own seeded `Rng`
 * (src/rng.ts), so the same seed gives the same weights on every backend and machine.
 *
 * Fan-in, as lenet5 reads the paper (F_i counts the unit's inputs, not its bias):
 * - convolution kernel [K, K, Cin, Cout]: K·K·Cin; dense kernel [In, Out]: In (from the shape);
 * - C3's sparse convolution: per output map j, K·K·|Table I row j| (75, 100 or 150), so each C3
 *   map gets its own range — pass one fan-in per connection (see {@link sparseConvFanIns});
 * - subsampling S2/S4: 4 — one coefficient multiplies the sum of a 2×2 block, i.e. 4 inputs;
 * - a bias belongs to the same unit as its weights and draws from the same range, so its
 *   fan-in must be given explicitly (a bias shape [C] does not tell it).
 *
 * Shape: any; values are drawn in row-major order. `fanIn` may be one number or one per index of
 * the last axis. Departure: none in kind; the paper does not say how it treated biases.
 */
import * as tf from "@tensorflow/tfjs";
import { INIT_RANGE_NUMERATOR, TABLE_I } from "../paper";
import { Rng } from "../rng";
import { RngNormal } from "./rng-normal";

import { InitializerBase, type Initializer } from "./initializer-base";

export type { Initializer };

/** Options of {@link PaperUniform}. */
export interface PaperUniformArgs {
  /** Seed of the `Rng` the values are drawn from (default 0). */
  seed?: number;
  /**
   * F_i: one number, or one fan-in per index of the weight's last axis. Omitted: derived from a
   * rank-4 conv kernel (K·K·Cin) or a rank-2 dense kernel (In); any other shape throws.
   */
  fanIn?: number | readonly number[];
  /** The range rule (default the paper's ±2.4/F_i); an ablation option of `historical`. */
  scale?: InitScale;
}

/**
 * An initial weight range rule: uniform in ±numerator/F_i ("fanIn", the paper's with numerator
 * 2.4) or ±numerator/√F_i ("sqrtFanIn"). Fields absent take the paper's values.
 */
export interface InitScale {
  /** The numerator (default INIT_RANGE_NUMERATOR = 2.4). */
  readonly numerator?: number;
  /** What divides it: F_i ("fanIn", default) or √F_i ("sqrtFanIn"). */
  readonly divisor?: "fanIn" | "sqrtFanIn";
}

/**
 * Half-width of the initial range for a unit with `fanIn` inputs under `scale`: numerator/F_i or
 * numerator/√F_i (default: the paper's 2.4/F_i). Throws a RangeError for a numerator that is not
 * a positive finite number or an unknown divisor.
 * @example
 * ```ts
 * initRange(25); // 0.096, the paper's
 * initRange(25, { divisor: "sqrtFanIn" }); // 2.4/5 = 0.48
 * ```
 */
export function initRange(fanIn: number, scale: InitScale = {}): number {
  if (!(fanIn > 0)) throw new RangeError(`initRange: fan-in must be positive, got ${fanIn}`);
  const numerator = scale.numerator ?? INIT_RANGE_NUMERATOR;
  if (!(numerator > 0) || !Number.isFinite(numerator)) {
    throw new RangeError(`initRange: the numerator must be a positive number, got ${numerator}`);
  }
  const divisor = scale.divisor ?? "fanIn";
  if (divisor !== "fanIn" && divisor !== "sqrtFanIn") {
    throw new RangeError(
      `initRange: divisor must be "fanIn" or "sqrtFanIn", got ${divisor as string}`,
    );
  }
  return numerator / (divisor === "fanIn" ? fanIn : Math.sqrt(fanIn));
}

/**
 * Half-width of the paper's initial weight range for a unit with `fanIn` inputs: 2.4/F_i.
 * @example
 * ```ts
 * paperInitRange(25); // C1: 5·5·1 inputs → 0.096
 * ```
 */
export function paperInitRange(fanIn: number): number {
  if (!(fanIn > 0)) throw new RangeError(`paperInitRange: fan-in must be positive, got ${fanIn}`);
  return INIT_RANGE_NUMERATOR / fanIn;
}

/**
 * Fan-in of a kernel from its shape: K·K·Cin for [K, K, Cin, Cout], In for [In, Out].
 * @example
 * ```ts
 * kernelFanIn([5, 5, 16, 120]); // C5: 400
 * ```
 */
export function kernelFanIn(shape: readonly number[]): number {
  if (shape.length === 4) return shape[0] * shape[1] * shape[2];
  if (shape.length === 2) return shape[0];
  throw new RangeError(
    `kernelFanIn: cannot tell the fan-in of a weight of shape [${shape.join(", ")}]; pass fanIn`,
  );
}

/**
 * Fan-ins of a sparse convolution (C3): per connection of the packed kernel [K, K, connections]
 * (connection order: output map j = 0, 1, …, within it the inputs in `table[j]`'s order) and per
 * output map (for the biases). Output map j has K·K·|table[j]| inputs.
 * @example
 * ```ts
 * const { perOutputMap } = sparseConvFanIns(5); // Table I
 * perOutputMap.slice(0, 7); // [75, 75, 75, 75, 75, 75, 100]; map 15 takes all six: 150
 * ```
 */
export function sparseConvFanIns(
  kernelSize: number,
  table: readonly (readonly number[])[] = TABLE_I,
): {
  /** Fan-in of each connection of the packed kernel, in connection order (60 for Table I). */
  perConnection: number[];
  /** Fan-in of each output map, K·K·|table[j]| (16 for Table I). */
  perOutputMap: number[];
} {
  const perOutputMap = table.map((inputs) => kernelSize * kernelSize * inputs.length);
  const perConnection = table.flatMap((inputs, j) => inputs.map(() => perOutputMap[j]));
  return { perConnection, perOutputMap };
}

/**
 * Splits one layer seed into `count` seeds, one per weight (kernel, bias, …), so a layer's
 * weights draw from unrelated streams.
 * @example
 * ```ts
 * const [kernelSeed, biasSeed] = weightSeeds(7, 2);
 * ```
 */
export function weightSeeds(seed: number, count: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => rng.nextUint32());
}

/**
 * tfjs initializer drawing uniform in ±2.4/F_i from lenet5's `Rng` (Appendix A).
 * Registered for serialisation as "PaperUniform".
 * @example
 * ```ts
 * const init = new PaperUniform({ seed: 1, fanIn: 25 });
 * const w = init.apply([5, 5, 1, 6]); // every value in [−0.096, 0.096)
 * ```
 */
export class PaperUniform extends InitializerBase {
  /** Name under which tfjs serialises this initializer. */
  static readonly className = "PaperUniform";
  /** Seed of the `Rng` the values are drawn from. */
  readonly seed: number;
  /** F_i, or undefined to derive it from the kernel shape. */
  readonly fanIn: number | readonly number[] | undefined;
  /** The range rule, or undefined for the paper's ±2.4/F_i. */
  readonly scale: InitScale | undefined;

  /** An initializer with `args.seed` (default 0) and `args.fanIn` (default: from the shape). */
  constructor(args: PaperUniformArgs = {}) {
    super();
    this.seed = args.seed ?? 0;
    this.fanIn = args.fanIn;
    this.scale = args.scale;
    if (args.scale !== undefined) initRange(1, args.scale); // a bad rule fails now, not at build
  }

  /** Fills a tensor of `shape` row-major, element i with the range of its last-axis index. */
  apply(shape: (number | null)[], dtype?: tf.DataType): tf.Tensor {
    if (dtype !== undefined && dtype !== "float32") {
      throw new Error(`PaperUniform: only float32 weights, got ${dtype}`);
    }
    const dims = shape.map((d) => {
      if (d === null) throw new Error("PaperUniform: the weight shape must be fully known");
      return d;
    });
    const last = dims.length === 0 ? 1 : dims[dims.length - 1];
    const fanIns = this.fanInsForLastAxis(dims, last);
    const ranges = fanIns.map((fanIn) => initRange(fanIn, this.scale));
    const rng = new Rng(this.seed);
    const values = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++) {
      const range = ranges[i % last];
      values[i] = rng.uniform(-range, range);
    }
    return tf.tensor(values, dims, "float32"); // shape as asked
  }

  private fanInsForLastAxis(dims: readonly number[], last: number): readonly number[] {
    const fanIn = this.fanIn ?? kernelFanIn(dims);
    if (typeof fanIn === "number") return new Array<number>(last).fill(fanIn);
    if (fanIn.length !== last) {
      throw new RangeError(
        `PaperUniform: ${fanIn.length} fan-ins for a last axis of ${last} (shape [${dims.join(", ")}])`,
      );
    }
    return fanIn;
  }

  /** Serialisable configuration: the seed and the fan-in(s). */
  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = { seed: this.seed };
    if (this.fanIn !== undefined) {
      config.fanIn = typeof this.fanIn === "number" ? this.fanIn : [...this.fanIn];
    }
    if (this.scale !== undefined) config.scale = { ...this.scale };
    return config;
  }
}
// The base's static fromConfig is inherited at run time; its type is lost through the cast above.
tf.serialization.registerClass(
  PaperUniform as unknown as tf.serialization.SerializableConstructor<PaperUniform>,
);

/**
 * How a tfjs conv or dense layer's weights start: the paper's uniform ±2.4/F_i; the seed page's
 * normal rules drawn from lenet5's Rng ("seedNormal": σ = 1/√F_in, "heNormalFanOut":
 * σ = √(2/F_out)); or one of tfjs's own seeded initializers. All but "paper" start biases at zero.
 */
export type WeightInit =
  "paper" | "seedNormal" | "heNormalFanOut" | "glorotUniform" | "heUniform" | "heNormal";

/**
 * Kernel and bias initializers for a layer whose units have `fanIn` inputs (the bias's fan-in
 * must be known for "paper"; the kernel's comes from its shape).
 */
export function layerInitializers(
  init: WeightInit,
  seed: number,
  fanIn: number | undefined,
  what: string,
  scale?: InitScale,
): {
  /** Initializer of the kernel (its fan-in comes from the kernel shape). */
  kernelInitializer: Initializer;
  /** Initializer of the bias: the kernel's range for "paper", zeros otherwise. */
  biasInitializer: Initializer;
} {
  const [kernelSeed, biasSeed] = weightSeeds(seed, 2);
  switch (init) {
    case "paper":
      if (fanIn === undefined) {
        throw new Error(
          `${what}: init "paper" needs the layer's input size (inputShape or the in-size option) ` +
            "to set the bias range 2.4/F_i",
        );
      }
      return {
        kernelInitializer: new PaperUniform({ seed: kernelSeed, scale }),
        biasInitializer: new PaperUniform({ seed: biasSeed, fanIn, scale }),
      };
    case "seedNormal":
    case "heNormalFanOut":
      return {
        kernelInitializer: new RngNormal({
          seed: kernelSeed,
          rule: init === "seedNormal" ? "inverseSqrtFanIn" : "heFanOut",
        }),
        biasInitializer: tf.initializers.zeros(),
      };
    case "glorotUniform":
    case "heUniform":
    case "heNormal":
      return {
        kernelInitializer: tf.initializers[init]({ seed: kernelSeed }),
        biasInitializer: tf.initializers.zeros(),
      };
    default:
      throw new Error(`${what}: unknown init "${init as string}"`);
  }
}
