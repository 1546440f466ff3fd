/**
 * LeNet-5's Euclidean RBF output layer as a tfjs layer (Section II-B, eq. 7): output unit i is
 * the squared distance from F6's 84-vector x to the unit's parameter vector w_i,
 *
 *   y[n, i] = Σ_j (x[n, j] − w[i, j])²
 *
 * The prototypes w [10, 84] are the paper's fixed ±1 bitmaps (`rbfPrototypes()` in paper.ts,
 * row i = digit i). They are a NON-trainable weight: `countParams()` counts them (840, the
 * paper's "connections") but optimisers leave them alone, and they are saved and loaded with the
 * model like any weight. Twin of src/scratch/rbf.ts.
 *
 * Computed by broadcasting (x[:, None, :] − w[None, :, :])², not as ‖x‖² − 2x·wᵀ + ‖w‖²: the
 * expansion subtracts large numbers (‖x‖² ≈ 84 near a prototype) to get a small distance, so in
 * float32 it loses digits exactly where the loss looks hardest, and can even go negative; the
 * broadcast costs N·10·84 multiply-adds, nothing next to the convolutions.
 *
 * Input shape: [N, D] (D = 84 with the paper's prototypes). Output shape: [N, U] (U = 10).
 * Departures from the paper: the bitmaps are drawn in the paper's style (see paper.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { RBF_BITMAP_HEIGHT, RBF_BITMAP_WIDTH, rbfPrototypes } from "../paper";

/** Number of RBF output units: one per digit. */
export const RBF_UNITS = 10;
/** Length of each prototype: 7 × 12 = 84, the units of F6. */
export const RBF_PROTOTYPE_LENGTH = RBF_BITMAP_WIDTH * RBF_BITMAP_HEIGHT;

/** Arguments of the {@link Rbf} layer: only tfjs's common ones (name, inputShape, …). */
export type RbfArgs = ConstructorParameters<typeof tf.layers.Layer>[0];

/**
 * Squared Euclidean distance from each row of x [N, D] to each prototype row of w [U, D].
 *
 * Input shape: x [N, D], prototypes [U, D] (the paper's: D = 84, U = 10). Output shape: [N, U].
 * @example
 * ```ts
 * const w = tf.tensor2d(rbfPrototypes(), [10, 84]);
 * const y = rbf(w.slice([3, 0], [1, 84]), w); // [1, 10]; y[0][3] = 0: digit 3's own bitmap
 * ```
 */
export function rbf(x: tf.Tensor, prototypes: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const [units, length] = prototypes.shape;
    if (x.rank !== 2 || x.shape[1] !== length) {
      throw new Error(`rbf: x [${x.shape.join(", ")}] should be [N, ${length}]`);
    }
    const rows = tf.expandDims(x, 1); // [N, 1, D]
    const difference = tf.sub(rows, tf.reshape(prototypes, [1, units, length])); // [N, U, D]
    return tf.sum(tf.square(difference), 2) as tf.Tensor2D; // [N, U]
  });
}

/**
 * The RBF output layer with the paper's prototypes as a non-trainable weight; registered for
 * serialisation as "Rbf".
 *
 * Input shape: [N, 84] (F6's output). Output shape: [N, 10], one distance per digit.
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [new Rbf({ inputShape: [84] })] });
 * model.outputShape; // [null, 10]
 * model.countParams(); // 840, all non-trainable: model.trainableWeights.length === 0
 * ```
 */
export class Rbf extends tf.layers.Layer {
  /** Name under which tfjs serialises this layer. */
  static readonly className = "Rbf";
  private prototypes: tf.LayerVariable | null = null;

  /** An RBF layer; its prototypes are filled in when it is built. */
  constructor(args: RbfArgs = {}) {
    super(args);
  }

  /** Creates the prototypes [10, 84] (non-trainable) and fills them with the paper's bitmaps. */
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (shape.length !== 2 || shape[1] !== RBF_PROTOTYPE_LENGTH) {
      throw new Error(`Rbf: input [${shape.join(", ")}] should be [N, ${RBF_PROTOTYPE_LENGTH}]`);
    }
    this.prototypes = this.addWeight(
      "prototypes",
      [RBF_UNITS, RBF_PROTOTYPE_LENGTH],
      "float32",
      tf.initializers.zeros(),
      undefined,
      false,
    ); // [10, 84]
    tf.tidy(() => {
      this.prototypes?.write(tf.tensor2d(rbfPrototypes(), [RBF_UNITS, RBF_PROTOTYPE_LENGTH])); // [10, 84]
    });
    this.built = true;
  }

  /** y[n, i] = Σ_j (x[n, j] − w[i, j])². */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (this.prototypes === null) throw new Error("Rbf: not built");
    return rbf(x, this.prototypes.read()); // [N, 10]
  }

  /** [N, 84] → [N, 10]. */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0], RBF_UNITS];
  }

  /** tfjs's common configuration: the prototypes travel as a weight, not as configuration. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig() };
  }
}
tf.serialization.registerClass(Rbf);
