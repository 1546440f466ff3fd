// Parity of the tfjs rbfLoss with src/scratch/rbf-loss.ts, on wasm and cpu.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as scratch from "../scratch/rbf-loss";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";
import { assertNoTensorLeak, randomTensor, testOnBackends, toTf } from "../test-support/parity";
import { rbfLoss, rbfLossOps, rbfPredict } from "./rbf-loss";

const tolerance = { atol: 1e-5, rtol: 1e-4 };

/** E and dE/dy of rbfLoss at y. */
function lossAndGradient(labels: tf.Tensor1D, y: tf.Tensor2D, j?: number) {
  return tf.tidy(() => {
    const { value, grad } = tf.valueAndGrad((yy: tf.Tensor) =>
      rbfLoss(labels, yy as tf.Tensor2D, j === undefined ? {} : { j }),
    )(y);
    return { value: value.dataSync()[0], grad: grad.dataSync() };
  });
}

testOnBackends("rbfLoss: the hand-checked example, log(1 + 2/e) ≈ 0.5514", async () => {
  const e = rbfLoss(tf.tensor1d([0], "int32"), tf.tensor2d([[0, 1]]), { j: 1 });
  // 0 + log(e^−1 + e^0 + e^−1) = log(1 + 2/e) ≈ 0.5514
  assertClose([(await e.data())[0]], [Math.log(1 + 2 / Math.E)], { ...tolerance, label: "E" });
  e.dispose();
});

for (const j of [undefined, 2]) {
  testOnBackends(
    `rbfLoss (j = ${j ?? "default 0.1"}): value and gradient in y match scratch`,
    () => {
      const rng = new Rng(101);
      const y = randomTensor([6, 10], rng, 0, 20); // RBF distances are ≥ 0
      const labels = Int32Array.from({ length: 6 }, () => rng.int(10));
      const yTf = toTf(y) as tf.Tensor2D;
      const labelsTf = tf.tensor1d(labels, "int32");
      const got = lossAndGradient(labelsTf, yTf, j);
      const options = j === undefined ? {} : { j };
      assertClose([got.value], [scratch.rbfLoss(y, labels, options)], { ...tolerance, label: "E" });
      assertClose(got.grad, scratch.rbfLossBackward(y, labels, options).data, {
        ...tolerance,
        label: "dE/dy",
      });
      assertNoTensorLeak(() => {
        lossAndGradient(labelsTf, yTf, j);
      });
      tf.dispose([yTf, labelsTf]);
    },
  );
}

testOnBackends("rbfLoss is stable: huge and tiny distances give finite values", () => {
  // Distances of 1e4 make every e^−y underflow; the log-sum-exp must still give −j's term.
  // Row 0: y_D = 0, the rest 1e4 → E_0 = 0 + log(e^−0.1 + 1 + 9·e^−1e4) ≈ log(1.904837).
  const labels = tf.tensor1d([0], "int32");
  const y = tf.tensor2d([[0, 1e4, 1e4, 1e4, 1e4, 1e4, 1e4, 1e4, 1e4, 1e4]]);
  const got = lossAndGradient(labels, y);
  assertClose([got.value], [Math.log(Math.exp(-0.1) + 1)], { ...tolerance, label: "E" });
  assert.ok(Array.from(got.grad).every(Number.isFinite));
  // All distances 1e4 (nothing looks like anything): E = 1e4 + log(e^−0.1 + 10·e^−1e4) = 1e4 − 0.1.
  const far = lossAndGradient(labels, tf.fill([1, 10], 1e4) as tf.Tensor2D);
  assertClose([far.value], [1e4 - 0.1], { atol: 1e-2, rtol: 0, label: "E far" });
  tf.dispose([labels, y]);
});

testOnBackends("rbfPredict: the unit with the smallest distance, the first on ties", async () => {
  const predicted = rbfPredict(
    tf.tensor2d([
      [5, 1, 7],
      [0, 2, 2],
    ]),
  ); // int32 [1, 0]
  assert.equal(predicted.dtype, "int32");
  assert.deepEqual(Array.from(await predicted.data()), [1, 0]);
  const y = randomTensor([5, 10], new Rng(102), 0, 10);
  const tfPredicted = rbfPredict(toTf(y) as tf.Tensor2D);
  assert.deepEqual(Array.from(await tfPredicted.data()), Array.from(scratch.rbfPredict(y)));
  tf.dispose([predicted, tfPredicted]);
});

testOnBackends("rbfLossOps: the TSDoc example, log(e^−0.1 + 10) for zero distances", async () => {
  const loss = rbfLossOps(tf.tensor1d([3], "int32"), tf.zeros([1, 10]), 0.1);
  assertClose([(await loss.data())[0]], [Math.log(Math.exp(-0.1) + 10)], {
    atol: 1e-6,
    rtol: 1e-6,
  });
});

testOnBackends("the host path and the ops agree: value and gradient, batch 64", () => {
  const rng = new Rng(65);
  const distances = tf.tensor2d(
    Float32Array.from({ length: 640 }, () => rng.uniform(0, 60)),
    [64, 10],
  );
  const labels = tf.tensor1d(
    Int32Array.from({ length: 64 }, () => rng.int(10)),
    "int32",
  );
  const run = (loss: (y: tf.Tensor2D) => tf.Scalar) => {
    const { value, grads } = tf.valueAndGrads((y: tf.Tensor) => loss(y as tf.Tensor2D))([
      distances,
    ]);
    const out = { value: value.dataSync()[0], grad: grads[0].dataSync() as Float32Array };
    tf.dispose([value, ...grads]);
    return out;
  };
  const host = run((y) => rbfLoss(labels, y, { j: 0.1 })); // wasm and cpu: the host path
  const ops = run((y) => rbfLossOps(labels, y, 0.1));
  assertClose([host.value], [ops.value], { atol: 1e-4, rtol: 1e-6, label: "loss" });
  assertClose(host.grad, ops.grad, { atol: 1e-7, rtol: 1e-5, label: "dy" });
  tf.dispose([distances, labels]);
});
