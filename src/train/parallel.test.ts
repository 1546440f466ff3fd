// Tests of data-parallel training (parallel.ts, parallel-worker.ts): when two threads are used,
// that a two-thread step equals a one-thread step on the whole batch (the averaged gradient is
// the batch's), and that trainModel with two threads is repeatable, abortable and leak-free.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend";
import { createModel } from "../models/registry";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";
import type { LabeledImages } from "./data";
import { createOptimizer, SgdOptimizer } from "./optimizers";
import {
  DataParallelStepper,
  averageGradients,
  chooseWorkers,
  countCorrect,
  flattenTensors,
  partGradients,
} from "./parallel";
import { SdlmOptimizer } from "./sdlm";
import { startTrainingSteps, trainModel } from "./train";
import { weightsOf } from "../test-support/training";

before(() => initBackend("wasm"));

/** `count` random modern inputs [count, 28, 28, 1] with labels 0–9. */
function randomData(count: number, seed: number): LabeledImages {
  const rng = new Rng(seed);
  return {
    images: Float32Array.from({ length: count * 28 * 28 }, () => rng.normal()),
    labels: Array.from({ length: count }, () => rng.int(10)),
    count,
  };
}

test("doc examples: chooseWorkers splits only long wasm runs", () => {
  const wasmRun = { backend: "wasm" as const, batchSize: 64, modelOptions: {}, cores: 2 };
  assert.equal(chooseWorkers({ ...wasmRun, images: 600_000 }), 2);
  assert.equal(chooseWorkers({ ...wasmRun, images: 256 }), 1);
  assert.equal(chooseWorkers({ ...wasmRun, images: 600_000, cores: 1 }), 1);
  assert.equal(chooseWorkers({ ...wasmRun, images: 600_000, backend: "cpu" }), 1);
  assert.equal(chooseWorkers({ ...wasmRun, images: 600_000, batchSize: 16 }), 1); // SDLM's default
  assert.equal(chooseWorkers({ ...wasmRun, images: 256, requested: 2 }), 2);
  // Batch statistics and dropout masks would change with the split: never split those.
  assert.equal(
    chooseWorkers({ ...wasmRun, images: 600_000, modelOptions: { batchNorm: true } }),
    1,
  );
  assert.throws(
    () => chooseWorkers({ ...wasmRun, images: 256, requested: 2, modelOptions: { dropout: 0.5 } }),
    /batch normalisation or dropout/,
  );
});

test("doc example: partGradients gives one gradient per variable", () => {
  const model = createModel("modern", { seed: 1 });
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const part = partGradients(
    model,
    "logits",
    variables,
    new Float32Array(2 * 784),
    Int32Array.from([3, 7]),
    28,
    0.1,
  );
  assert.equal(part.grads.length, 10);
  assert.ok(Number.isFinite(part.loss));
  tf.dispose(part.grads);
  model.dispose();
});

test("a two-thread step = a one-thread step on the whole batch (loss, accuracy, weights)", async () => {
  const data = randomData(33, 4); // odd: the halves are 16 and 17
  const labels = Int32Array.from(data.labels);
  const one = createModel("modern", { seed: 2 });
  const two = createModel("modern", { seed: 2 });
  const oneVars = one.trainableWeights.map((w) => w.read() as tf.Variable);
  const twoVars = two.trainableWeights.map((w) => w.read() as tf.Variable);
  const sgdOne = new SgdOptimizer({ learningRate: 0.1 });
  const sgdTwo = new SgdOptimizer({ learningRate: 0.1 });
  const tensorsBefore = tf.memory().numTensors;
  const stepper = await DataParallelStepper.start(
    { modelName: "modern", modelOptions: {}, kind: "logits", side: 28, j: 0.1 },
    two,
    twoVars,
  );
  for (let step = 0; step < 2; step++) {
    const whole = partGradients(one, "logits", oneVars, data.images, labels, 28, 0.1);
    sgdOne.step(oneVars, whole.grads);
    tf.dispose(whole.grads);
    const split = await stepper.step(sgdTwo, data.images, labels);
    // Means of 16 and 17 losses recombined: float32 rounding only.
    assert.ok(Math.abs(split.loss - whole.loss) < 1e-5, `loss ${split.loss} vs ${whole.loss}`);
    assert.equal(split.correct, whole.correct);
  }
  await stepper.dispose();
  assert.equal(tf.memory().numTensors, tensorsBefore, "tensors leaked");
  weightsOf(two).forEach((w, i) =>
    assertClose(w as Float32Array, weightsOf(one)[i] as Float32Array, {
      atol: 1e-5,
      rtol: 1e-4,
      label: `weight ${i}`,
    }),
  );
  [one, two].forEach((m) => m.dispose());
});

test("doc example: startTrainingSteps runs trainModel's step", async () => {
  const model = createModel("modern", { seed: 1 });
  const optimizer = createOptimizer("adam");
  const steps = await startTrainingSteps({
    model,
    modelName: "modern",
    modelOptions: {},
    optimizer,
    side: 28,
    threads: 1,
  });
  const { loss } = await steps.step(new Float32Array(2 * 28 * 28), Int32Array.from([3, 7]));
  await steps.dispose();
  assert.ok(Math.abs(loss - Math.log(10)) < 1, `loss ${loss} near log 10 for an untrained net`);
  optimizer.dispose();
  model.dispose();
});

test("trainModel on two threads: same seed, same weights; an abort stops it; no leaks", async () => {
  const train = randomData(256, 9);
  const run = (signal?: AbortSignal, onBatch?: () => void) =>
    trainModel({
      model: "modern",
      epochs: 1,
      batchSize: 32,
      seed: 3,
      threads: 2,
      data: { train },
      evaluate: false,
      ...(signal && { signal }),
      ...(onBatch && { onBatch }),
    });
  const tensorsBefore = tf.memory().numTensors;
  const a = await run();
  const b = await run();
  assert.equal(a.recipe.threads, 2);
  assert.deepEqual(weightsOf(a.model), weightsOf(b.model));
  assert.deepEqual(
    a.history.map((e) => e.loss),
    b.history.map((e) => e.loss),
  );
  const controller = new AbortController();
  let steps = 0;
  const c = await run(controller.signal, () => {
    if (++steps === 2) controller.abort();
  });
  assert.equal(c.aborted, true);
  assert.equal(steps, 2);
  [a.model, b.model, c.model].forEach((m) => m.dispose());
  assert.equal(tf.memory().numTensors, tensorsBefore, "tensors leaked");
});

test("countCorrect: the TSDoc example, and RBF outputs pick the smallest distance", () => {
  // prettier-ignore
  const outputs = Float32Array.from([0, 2, 1, 5, 3, 4, 0, 0, 0, 0,  9, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(countCorrect(outputs, Int32Array.from([3, 1]), "logits"), 1);
  // rbf: row 0's smallest is 0 at classes 0, 6, 7, 8, 9 → the first, 0; row 1's is 0 at 1 → right.
  assert.equal(countCorrect(outputs, Int32Array.from([0, 1]), "rbf"), 2);
});

test("averageGradients: the TSDoc example", () => {
  const g = averageGradients(
    new Float32Array(2),
    Float32Array.from([1, 2]),
    Float32Array.from([3, 4]),
    0.5,
    0.5,
  );
  assert.deepEqual(Array.from(g), [2, 3]);
});

const SETUP = { modelName: "modern", modelOptions: {}, kind: "logits", side: 28, j: 0.1 } as const;

test("replicated Adam: the worker's weights equal the main thread's, bit for bit, every step", async () => {
  const data = randomData(32, 7);
  const labels = Int32Array.from(data.labels);
  const model = createModel("modern", { seed: 4 });
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const adam = createOptimizer("adam", { learningRate: 0.01 });
  const stepper = await DataParallelStepper.start(SETUP, model, variables);
  for (let step = 0; step < 4; step++) {
    await stepper.step(adam, data.images, labels);
    assert.deepEqual(
      await stepper.workerWeights(),
      flattenTensors(variables),
      `after step ${step + 1}`,
    );
  }
  // Weights assigned between steps (as a checkpoint load would): the next step sends them.
  variables[0].assign(tf.zerosLike(variables[0]));
  await stepper.step(adam, data.images, labels);
  assert.deepEqual(await stepper.workerWeights(), flattenTensors(variables), "after an assign");
  // A learning rate changed between steps (as a schedule does) reaches the replica too.
  adam.learningRate = 0.001;
  await stepper.step(adam, data.images, labels);
  assert.deepEqual(await stepper.workerWeights(), flattenTensors(variables), "after a new rate");
  // Another optimiser object: a new replica from its state.
  const sgd = createOptimizer("sgd", { learningRate: 0.05 });
  await stepper.step(sgd, data.images, labels);
  assert.deepEqual(
    await stepper.workerWeights(),
    flattenTensors(variables),
    "after a new optimiser",
  );
  await stepper.dispose();
  [adam, sgd].forEach((o) => o.dispose());
  model.dispose();
});

test("SDLM on two threads: a step equals the one-thread step; a new Hessian reaches the replica", async () => {
  const data = randomData(16, 8);
  const labels = Int32Array.from(data.labels);
  const one = createModel("historical", { seed: 2 });
  const two = createModel("historical", { seed: 2 });
  const oneVars = one.trainableWeights.map((w) => w.read() as tf.Variable);
  const twoVars = two.trainableWeights.map((w) => w.read() as tf.Variable);
  const sdlmOne = new SdlmOptimizer({ learningRate: 0.0005, mu: 0.1 });
  const sdlmTwo = new SdlmOptimizer({ learningRate: 0.0005, mu: 0.1 });
  const images = Float32Array.from(
    { length: 16 * 32 * 32 },
    (_, i) => data.images[i % data.images.length],
  );
  const stepper = await DataParallelStepper.start(
    { modelName: "historical", modelOptions: {}, kind: "rbf", side: 32, j: 0.1 },
    two,
    twoVars,
  );
  for (let step = 0; step < 3; step++) {
    if (step === 1) {
      // A Hessian estimate set between steps (trainModel does so before each pass).
      const hessian = (vars: tf.Variable[]) => vars.map((v) => tf.fill(v.shape, 0.5));
      sdlmOne.setHessian(hessian(oneVars));
      sdlmTwo.setHessian(hessian(twoVars));
    }
    const whole = partGradients(one, "rbf", oneVars, images, labels, 32, 0.1);
    sdlmOne.step(oneVars, whole.grads, { batchSize: 16 });
    tf.dispose(whole.grads);
    await stepper.step(sdlmTwo, images, labels);
    assert.deepEqual(await stepper.workerWeights(), flattenTensors(twoVars), `step ${step + 1}`);
  }
  await stepper.dispose();
  weightsOf(two).forEach((w, i) =>
    assertClose(w as Float32Array, weightsOf(one)[i] as Float32Array, {
      atol: 1e-5,
      rtol: 1e-4,
      label: `weight ${i}`,
    }),
  );
  [sdlmOne, sdlmTwo].forEach((o) => o.dispose());
  [one, two].forEach((m) => m.dispose());
});
