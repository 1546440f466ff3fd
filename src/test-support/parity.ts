// Test-only helpers for the tfjs-layer parity tests (src/layers/*.test.ts): run a test on both
// the wasm and the cpu backend, move data between scratch tensors and tfjs, hold a layer to its
// scratch twin in one call (assertLayerMatchesScratch: output, input and weight gradients),
// check that SGD really trains a model (assertTrainingDescends), and round-trip a model through
// an in-memory IOHandler. Not part of the package (files matching *.test.* are left out of it).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import "./register-kernels"; // lenet5's kernels, as initBackend() registers them
import { Rng } from "../rng";
import { assertClose } from "./assert-close";
import { Tensor } from "../scratch/tensor";

/** The backends every parity test runs on. */
export const PARITY_BACKENDS = ["wasm", "cpu"] as const;

/** Registers `fn` as one test per backend, with that backend active. */
export function testOnBackends(name: string, fn: (backend: string) => Promise<void> | void): void {
  for (const backend of PARITY_BACKENDS) {
    test(`${name} [${backend}]`, async () => {
      assert.ok(await tf.setBackend(backend), `backend ${backend} did not start`);
      await fn(backend);
    });
  }
}

/** A scratch tensor of float32-representable values uniform in [low, high), stored as float64. */
export function randomTensor(shape: readonly number[], rng: Rng, low = -1, high = 1): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(size);
  for (let i = 0; i < size; i++) data[i] = Math.fround(rng.uniform(low, high));
  return { shape: [...shape], data };
}

/** The same values as a tfjs float32 tensor. */
export function toTf(t: Tensor): tf.Tensor {
  return tf.tensor(Float32Array.from(t.data), [...t.shape], "float32");
}

/** Output of {@link layerGradients}. */
export interface LayerGradients {
  /** y = layer(x). */
  y: Float32Array;
  /** ∂sum(y·R)/∂x. */
  dx: Float32Array;
  /** ∂sum(y·R)/∂w for each trainable weight, in `layer.trainableWeights` order. */
  dWeights: Float32Array[];
}

/**
 * Output, input gradient and trainable-weight gradients of sum(layer(x)·R), through the layer's
 * real variables (tf.variableGrads). The layer must already be built.
 */
export function layerGradients(layer: tf.layers.Layer, x: tf.Tensor, r: tf.Tensor): LayerGradients {
  return tf.tidy(() => {
    const xVariable = tf.variable(x, true);
    const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const y = layer.apply(xVariable) as tf.Tensor;
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.mul(layer.apply(xVariable) as tf.Tensor, r)),
      [xVariable, ...weights],
    );
    const result = {
      y: y.dataSync() as Float32Array,
      dx: grads[xVariable.name].dataSync() as Float32Array,
      dWeights: weights.map((w) => grads[w.name].dataSync() as Float32Array),
    };
    xVariable.dispose(); // variables are not tidied
    return result;
  });
}

/** A tolerance as {@link assertClose} takes it: |actual − expected| ≤ atol + rtol·|expected|. */
export interface Tolerance {
  atol: number;
  rtol: number;
}

/** Scratch gradients: dx alone (a layer without weights), or dx with named weight gradients. */
export type ScratchGradients<G extends string> = Tensor | ({ dx: Tensor } & Record<G, Tensor>);

/** One case of {@link assertLayerMatchesScratch}: a tfjs layer, its scratch twin, the shapes. */
export interface LayerParityCase<W extends string, G extends string> {
  /** A new, unbuilt layer: it is built on x, given the case's weights, then disposed. */
  layer: tf.layers.Layer;
  /** Seeds the draws of x, of each weight (in `weights` order) and of R, in that order. */
  seed: number;
  /** x's shape; its values are uniform in `inputRange`. */
  inputShape: readonly number[];
  /** x's range, default [−1, 1). */
  inputRange?: readonly [number, number];
  /** Each weight's shape by name, in the order `layer.setWeights` takes them; values in [−1, 1). */
  weights?: Readonly<Record<W, readonly number[]>>;
  /** The scratch forward pass y = f(x, weights). */
  forward: (x: Tensor, weights: Record<W, Tensor>) => Tensor;
  /** The scratch backward pass of sum(y·R): the gradient in x and, by name, in the weights. */
  backward: (x: Tensor, weights: Record<W, Tensor>, dy: Tensor) => ScratchGradients<G>;
  /** Names of backward's weight gradients in `layer.trainableWeights` order; default none. */
  trainable?: readonly G[];
  /** Tolerance of y, dx and, unless `weightTolerance` is given, of the weight gradients. */
  tolerance: Tolerance;
  /** Tolerance of the weight gradients, where they sum more terms than y and dx do. */
  weightTolerance?: Tolerance;
}

/** The random draws of one {@link assertLayerMatchesScratch} case, for further checks. */
export interface ParityDraws<W extends string> {
  x: Tensor;
  weights: Record<W, Tensor>;
  /** R, the cotangent the gradients are taken at. */
  dy: Tensor;
}

/**
 * Asserts that a tfjs layer and its scratch twin agree on random data: the output y, the input
 * gradient dx and each trainable weight's gradient of sum(y·R), each within the case's
 * tolerance (a failure names the largest difference), and that the layer trains exactly the
 * weights `trainable` names. Run it under {@link testOnBackends} to cover wasm and cpu.
 */
export function assertLayerMatchesScratch<W extends string = never, G extends string = never>(
  c: LayerParityCase<W, G>,
): ParityDraws<W> {
  const rng = new Rng(c.seed);
  const x = randomTensor(c.inputShape, rng, ...(c.inputRange ?? [-1, 1]));
  const shapes: [W, readonly number[]][] = Object.entries(c.weights ?? {}) as [W, number[]][];
  const weights = Object.fromEntries(
    shapes.map(([name, shape]) => [name, randomTensor(shape, rng)]),
  ) as Record<W, Tensor>;
  const y = c.forward(x, weights);
  const dy = randomTensor(y.shape, rng);
  const got = gradientsWithWeights(c.layer, x, Object.values<Tensor>(weights), dy);
  const want = c.backward(x, weights, dy);
  const dx = "dx" in want ? want.dx : want;
  assertClose(got.y, y.data, { ...c.tolerance, label: "y" });
  assertClose(got.dx, dx.data, { ...c.tolerance, label: "dx" });
  const trainable = c.trainable ?? [];
  assert.equal(got.dWeights.length, trainable.length, "how many weights the layer trains");
  trainable.forEach((name, i) => {
    const expected = (want as Record<G, Tensor>)[name].data;
    assertClose(got.dWeights[i], expected, { ...(c.weightTolerance ?? c.tolerance), label: name });
  });
  return { x, weights, dy };
}

/** {@link layerGradients} of `layer` built on x and given `weights`; disposes the layer. */
function gradientsWithWeights(
  layer: tf.layers.Layer,
  x: Tensor,
  weights: Tensor[],
  dy: Tensor,
): LayerGradients {
  const [xTf, dyTf, ...weightsTf] = [x, dy, ...weights].map(toTf);
  tf.tidy(() => {
    layer.apply(xTf); // builds the weights
  });
  if (weightsTf.length > 0) layer.setWeights(weightsTf);
  const got = layerGradients(layer, xTf, dyTf);
  tf.dispose([xTf, dyTf, ...weightsTf]);
  layer.dispose();
  return got;
}

/** Saves `model` to memory (a custom IOHandler) and loads it back with tf.loadLayersModel. */
export async function saveAndLoad(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  assert.ok(saved !== undefined, "the save handler was not called");
  const artifacts = saved;
  return tf.loadLayersModel({ load: async () => artifacts });
}

/** Asserts that `step` leaves tf.memory().numTensors unchanged (run it under tf.tidy). */
export function assertNoTensorLeak(step: () => void): void {
  const before = tf.memory().numTensors;
  tf.tidy(step);
  assert.equal(tf.memory().numTensors, before, "tensors leaked");
}

/** Mean squared error between `model(x)` and `target`: the loss of the training checks. */
function meanSquaredError(model: tf.LayersModel, x: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.mean(tf.square(tf.sub(model.apply(x) as tf.Tensor, target))) as tf.Scalar;
}

/** One plain-SGD step of `model` on {@link meanSquaredError}, under tf.tidy; the loss before it. */
function trainStep(
  model: tf.LayersModel,
  x: tf.Tensor,
  target: tf.Tensor,
  learningRate: number,
): number {
  const optimizer = tf.train.sgd(learningRate);
  let loss = NaN;
  assertNoTensorLeak(() => {
    const value = optimizer.minimize(() => meanSquaredError(model, x, target), true);
    loss = value === null ? NaN : value.dataSync()[0];
  });
  optimizer.dispose();
  return loss;
}

/** The values of `model`'s trainable weights, copied (the step replaces them). */
function trainableValues(model: tf.LayersModel): Float32Array[] {
  return model.trainableWeights.map((w) => (w.read().dataSync() as Float32Array).slice());
}

/** ∂loss/∂w for each of `model`'s trainable weights, in `model.trainableWeights` order. */
function trainableGradients(
  model: tf.LayersModel,
  x: tf.Tensor,
  target: tf.Tensor,
): Float32Array[] {
  return tf.tidy(() => {
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(() => meanSquaredError(model, x, target), variables);
    value.dispose();
    return variables.map((v) => grads[v.name].dataSync() as Float32Array);
  });
}

/** Options of {@link assertTrainingDescends}. */
export interface DescentOptions {
  /** Plain SGD's rate η; default 0.01. */
  learningRate?: number;
  /** How many steps to take; the loss must fall at each. Default 5. */
  steps?: number;
}

/**
 * Trains `model` with plain SGD on the mean squared error to `target` and asserts that training
 * does something: every trainable weight gets a non-zero gradient g, the first step moves each
 * weight by −η·g (so Δw·g = −η‖g‖² < 0), and the loss falls at every step — which a gradient of
 * the wrong sign or a weight the layer does not really read would break. Each step is checked
 * for tensor leaks. Returns the loss before each step, then after the last.
 */
export function assertTrainingDescends(
  model: tf.LayersModel,
  x: tf.Tensor,
  target: tf.Tensor,
  { learningRate = 0.01, steps = 5 }: DescentOptions = {},
): number[] {
  assert.ok(model.trainableWeights.length > 0, "the model has no trainable weights");
  const before = trainableValues(model);
  const gradients = trainableGradients(model, x, target);
  const losses = [trainStep(model, x, target, learningRate)];
  assertMovedAgainstGradient(model, before, trainableValues(model), gradients, learningRate);
  while (losses.length < steps) losses.push(trainStep(model, x, target, learningRate));
  losses.push(tf.tidy(() => meanSquaredError(model, x, target).dataSync()[0]));
  for (let k = 1; k < losses.length; k++) {
    assert.ok(losses[k] < losses[k - 1], `loss did not fall at step ${k}: ${losses.join(", ")}`);
  }
  return losses;
}

/** Asserts after − before = −η·g for each trainable weight of `model`, g non-zero. */
function assertMovedAgainstGradient(
  model: tf.LayersModel,
  before: Float32Array[],
  after: Float32Array[],
  gradients: Float32Array[],
  learningRate: number,
): void {
  model.trainableWeights.forEach(({ name }, i) => {
    assert.ok(
      gradients[i].some((g) => g !== 0),
      `no gradient reaches ${name}`,
    );
    // In float64: a Float32Array's own map would round the differences again.
    const moved = Array.from(after[i], (w, j) => w - before[i][j]);
    const expected = Array.from(gradients[i], (g) => -learningRate * g);
    // SGD computes w + fl(−η)·g in float32: one rounding of w's size and two of η·g's.
    const largest = before[i].reduce((m, w) => Math.max(m, Math.abs(w)), 0);
    assertClose(moved, expected, { atol: 2 ** -23 * largest, rtol: 2 ** -21, label: `Δ${name}` });
  });
}
