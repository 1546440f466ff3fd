import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend";
import { assertClose } from "../test-support/assert-close";
import { type Optimizer, OPTIMIZER_NAMES } from "./optimizer-base";
import { AdamOptimizer, MomentumOptimizer, SgdOptimizer, createOptimizer } from "./optimizers";

before(() => initBackend());

const values = (v: tf.Tensor) => Array.from(v.dataSync());

test("doc example: SGD steps w − η·g", () => {
  const w = tf.variable(tf.tensor1d([1, 2]));
  const optimizer = new SgdOptimizer({ learningRate: 0.5 });
  optimizer.step([w], [tf.tensor1d([1, -1])]); // w = [0.5, 2.5]
  assert.deepEqual(values(w), [0.5, 2.5]);
  const v = tf.variable(tf.scalar(1));
  new SgdOptimizer({ learningRate: 0.1 }).step([v], [tf.scalar(2)]); // 1 − 0.1·2 = 0.8
  assertClose(values(v), [0.8]);
  tf.dispose([w, v]);
});

test("doc example: momentum accumulates v ← m·v + g", () => {
  const w = tf.variable(tf.scalar(0));
  const opt = new MomentumOptimizer({ learningRate: 1, momentum: 0.5 });
  opt.step([w], [tf.scalar(1)]); // v = 1, w = −1
  assert.deepEqual(values(w), [-1]);
  opt.step([w], [tf.scalar(1)]); // v = 0.5 + 1 = 1.5, w = −2.5
  assert.deepEqual(values(w), [-2.5]);
  opt.dispose();
  w.dispose();
});

test("doc example: Adam's first step is η·sign(g) (bias-corrected m̂/√v̂ = g/|g|)", () => {
  const w = tf.variable(tf.scalar(1));
  const adam = new AdamOptimizer({ learningRate: 0.1 });
  adam.step([w], [tf.scalar(3)]); // m̂ = 3, v̂ = 9: w = 1 − 0.1·3/(3 + 1e-8)
  assertClose(values(w), [0.9], { atol: 1e-6 });
  assert.equal(adam.iterations, 1);
  adam.dispose();
  w.dispose();
});

test("doc example: createOptimizer", () => {
  const adam = createOptimizer("adam"); // learning rate 0.001
  assert.equal(adam.name, "adam");
  assert.equal(adam.learningRate, 0.001);
  const sdlm = createOptimizer("sdlm", { learningRate: 5e-4 });
  assert.equal(sdlm.name, "sdlm");
  assert.deepEqual(
    OPTIMIZER_NAMES.map((n) => createOptimizer(n).name),
    ["sgd", "momentum", "adam", "sdlm"],
  );
  assert.throws(() => createOptimizer("rmsprop" as never), /unknown optimiser "rmsprop"/);
});

/** Runs `steps` steps with fixed gradients on two weights; returns their values. */
function run(optimizer: Optimizer, weights: tf.Variable[], steps: number, from = 0): number[][] {
  for (let s = from; s < from + steps; s++) {
    const grads = weights.map((w, i) => tf.fill(w.shape, (s + 1) * (i + 1) * 0.1 - 0.2));
    optimizer.step(weights, grads, { batchSize: 4 });
    tf.dispose(grads);
  }
  return weights.map(values);
}

for (const name of OPTIMIZER_NAMES) {
  test(`${name}: getState/setState continues exactly (bit for bit) where it stopped`, () => {
    const make = () => [
      tf.variable(
        tf.tensor2d([
          [1, -2],
          [3, 0.5],
        ]),
      ),
      tf.variable(tf.tensor1d([0.25])),
    ];
    const straight = make();
    const a = createOptimizer(name, { learningRate: 0.05 });
    const expected = run(a, straight, 4);

    const resumed = make();
    const b = createOptimizer(name, { learningRate: 0.05 });
    run(b, resumed, 2);
    const state = b.getState();
    b.dispose();
    const c = createOptimizer(name, { learningRate: 0.05 });
    c.setState(state, resumed);
    assert.equal(c.iterations, 2);
    assert.deepEqual(run(c, resumed, 2, 2), expected);
    [a, c].forEach((o) => o.dispose());
    tf.dispose([...straight, ...resumed]);
  });
}

test("setState refuses another optimiser's state, other settings and wrong slot shapes", () => {
  const w = [tf.variable(tf.zeros([2]))];
  const momentum = new MomentumOptimizer({ momentum: 0.9 });
  momentum.step(w, [tf.ones([2])]);
  const state = momentum.getState();
  assert.throws(
    () => new AdamOptimizer().setState(state, w),
    /state is of the "momentum" optimiser/,
  );
  assert.throws(
    () => new MomentumOptimizer({ momentum: 0.5 }).setState(state, w),
    /momentum = 0.9, this one 0.5/,
  );
  const other = [tf.variable(tf.zeros([3]))];
  assert.throws(
    () => new MomentumOptimizer().setState(state, other),
    /slot velocity\/0 has shape \[2\], its weight \[3\]/,
  );
  momentum.dispose();
  tf.dispose([...w, ...other]);
});

test("steps leak no tensors and check gradient shapes", () => {
  const w = [tf.variable(tf.zeros([3])), tf.variable(tf.zeros([2, 2]))];
  const grads = [tf.ones([3]), tf.ones([2, 2])];
  for (const name of OPTIMIZER_NAMES) {
    const optimizer = createOptimizer(name);
    optimizer.step(w, grads, { batchSize: 2 }); // slots are created on the first step
    const before = tf.memory().numTensors;
    optimizer.step(w, grads, { batchSize: 2 });
    assert.equal(tf.memory().numTensors, before, `${name} leaked`);
    assert.throws(() => optimizer.step(w, [grads[0]]), /2 variables but 1 gradients/);
    optimizer.dispose();
  }
  tf.dispose([...w, ...grads]);
});
