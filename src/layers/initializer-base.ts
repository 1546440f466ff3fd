/**
 * The base class lenet5's tfjs initializers extend (PaperUniform, RngNormal). No paper reference:
 * tfjs plumbing, in a module of its own so the initializers can share it without a cycle.
 */
import * as tf from "@tensorflow/tfjs";

/** tfjs-layers' Initializer type (the class itself is not exported by name). */
export type Initializer = ReturnType<typeof tf.initializers.ones>;

/**
 * tfjs-layers' abstract `Initializer` class, reached through a built-in initializer because the
 * package does not export it; extending it makes `instanceof Initializer` hold, which
 * tf.layers.conv2d / dense require of an initializer object.
 */
export const InitializerBase = Object.getPrototypeOf(
  tf.initializers.zeros().constructor,
) as abstract new (...args: never[]) => Initializer;
