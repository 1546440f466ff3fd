// Test-only helpers for the tfjs-layer parity tests (src/layers/*.test.ts): run a test on both
// the wasm and the cpu backend, move data between scratch tensors and tfjs, take a layer's
// input and weight gradients, and round-trip a model through an in-memory IOHandler.
// Not part of the package (files matching *.test.* are left out of it).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import "./register-kernels"; // lenet5's kernels, as initBackend() registers them
import { Rng } from "../rng";
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

/** One training step of `model` under tf.tidy: mean squared error to `target`, plain SGD. */
export function trainStep(model: tf.LayersModel, x: tf.Tensor, target: tf.Tensor): number {
  const optimizer = tf.train.sgd(0.01);
  let loss = NaN;
  assertNoTensorLeak(() => {
    const value = optimizer.minimize(
      () => tf.mean(tf.square(tf.sub(model.apply(x) as tf.Tensor, target))) as tf.Scalar,
      true,
    );
    loss = value === null ? NaN : value.dataSync()[0];
  });
  optimizer.dispose();
  return loss;
}
