/**
 * Gaussian weight initialisation drawn from lenet5's own seeded `Rng` (src/rng.ts), for the two
 * non-paper nets, which copy the seed tutorial's choices:
 * - `seed-historical`: σ = 1/√F_in (the seed page calls this the paper's rule; the paper's rule is
 *   uniform ±2.4/F_i, see paper-uniform.ts);
 * - `modern`: Kaiming/He normal in "fan_out" mode, σ = √(2/F_out), F_out = K·K·Cout for a conv
 *   kernel [K, K, Cin, Cout] and Out for a dense kernel [In, Out].
 * Drawing from `Rng` instead of tfjs's own generator keeps one seeded RNG for the whole project.
 *
 * Shape: any; values are drawn in row-major order.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../rng";
import { InitializerBase } from "./initializer-base";

/** Which σ rule {@link RngNormal} applies to the kernel shape. */
export type NormalRule = "inverseSqrtFanIn" | "heFanOut";

/** Options of {@link RngNormal}. */
export interface RngNormalArgs {
  /** Seed of the `Rng` (default 0). */
  seed?: number;
  /** σ rule (default "inverseSqrtFanIn"). */
  rule?: NormalRule;
}

/**
 * σ of a kernel of `shape` under `rule`.
 * @example
 * ```ts
 * normalStd([5, 5, 1, 6], "inverseSqrtFanIn"); // 1/√25 = 0.2
 * normalStd([5, 5, 1, 6], "heFanOut"); // √(2/150) ≈ 0.1155
 * ```
 */
export function normalStd(shape: readonly number[], rule: NormalRule): number {
  let fanIn: number;
  let fanOut: number;
  if (shape.length === 4) {
    fanIn = shape[0] * shape[1] * shape[2];
    fanOut = shape[0] * shape[1] * shape[3];
  } else if (shape.length === 2) {
    [fanIn, fanOut] = shape;
  } else {
    throw new RangeError(`normalStd: expected a conv or dense kernel, got [${shape.join(", ")}]`);
  }
  return rule === "heFanOut" ? Math.sqrt(2 / fanOut) : 1 / Math.sqrt(fanIn);
}

/**
 * tfjs initializer: normal(0, σ²) from lenet5's `Rng`, σ from the kernel shape by `rule`.
 * Registered for serialisation as "RngNormal".
 * @example
 * ```ts
 * const init = new RngNormal({ seed: 1, rule: "heFanOut" });
 * const w = init.apply([120, 84]); // σ = √(2/84)
 * ```
 */
export class RngNormal extends InitializerBase {
  /** Name under which tfjs serialises this initializer. */
  static readonly className = "RngNormal";
  /** Seed of the `Rng` the values are drawn from. */
  readonly seed: number;
  /** The σ rule applied to the kernel shape. */
  readonly rule: NormalRule;

  /** An initializer with `args.seed` (default 0) and `args.rule` (default "inverseSqrtFanIn"). */
  constructor(args: RngNormalArgs = {}) {
    super();
    this.seed = args.seed ?? 0;
    this.rule = args.rule ?? "inverseSqrtFanIn";
  }

  /** Fills a tensor of `shape` row-major with normal(0, σ²) samples. */
  apply(shape: (number | null)[], dtype?: tf.DataType): tf.Tensor {
    if (dtype !== undefined && dtype !== "float32") {
      throw new Error(`RngNormal: only float32 weights, got ${dtype}`);
    }
    if (shape.some((d) => d === null)) throw new Error("RngNormal: the weight shape must be known");
    const dims = shape as number[];
    const std = normalStd(dims, this.rule);
    const rng = new Rng(this.seed);
    const values = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++) values[i] = std * rng.normal();
    return tf.tensor(values, dims, "float32"); // shape as asked
  }

  /** Serialisable configuration: seed and rule. */
  override getConfig(): tf.serialization.ConfigDict {
    return { seed: this.seed, rule: this.rule };
  }
}
tf.serialization.registerClass(
  RngNormal as unknown as tf.serialization.SerializableConstructor<RngNormal>,
);
