// Parity of the tfjs softmaxCrossEntropy with src/scratch/softmax-cross-entropy.ts, on wasm and cpu.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as scratch from "../scratch/softmax-cross-entropy";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";
import { assertNoTensorLeak, randomTensor, testOnBackends, toTf } from "../test-support/parity";
import { softmax, softmaxCrossEntropy, softmaxCrossEntropyOps } from "./softmax-cross-entropy";

const tolerance = { atol: 1e-5, rtol: 1e-4 };

/** E and dE/dlogits of softmaxCrossEntropy at logits. */
function lossAndGradient(labels: tf.Tensor1D, logits: tf.Tensor2D) {
  return tf.tidy(() => {
    const { value, grad } = tf.valueAndGrad((z: tf.Tensor) =>
      softmaxCrossEntropy(labels, z as tf.Tensor2D),
    )(logits);
    return { value: value.dataSync()[0], grad: grad.dataSync() };
  });
}

testOnBackends("softmaxCrossEntropy: uniform logits over 10 classes give log 10", async () => {
  const e = softmaxCrossEntropy(tf.tensor1d([7], "int32"), tf.zeros([1, 10])); // log 10 ≈ 2.3026
  assertClose([(await e.data())[0]], [Math.log(10)], { ...tolerance, label: "E" });
  const p = softmax(tf.tensor2d([[0, Math.log(3)]])); // [[0.25, 0.75]]
  assertClose(await p.data(), [0.25, 0.75], { ...tolerance, label: "softmax" });
  tf.dispose([e, p]);
});

testOnBackends("softmaxCrossEntropy: value, gradient and softmax match scratch", async () => {
  const rng = new Rng(111);
  const logits = randomTensor([6, 10], rng, -5, 5);
  const labels = Int32Array.from({ length: 6 }, () => rng.int(10));
  const logitsTf = toTf(logits) as tf.Tensor2D;
  const labelsTf = tf.tensor1d(labels, "int32");
  const got = lossAndGradient(labelsTf, logitsTf);
  assertClose([got.value], [scratch.softmaxCrossEntropy(logits, labels)], {
    ...tolerance,
    label: "E",
  });
  assertClose(got.grad, scratch.softmaxCrossEntropyBackward(logits, labels).data, {
    ...tolerance,
    label: "dE/dz",
  });
  const p = softmax(logitsTf);
  assertClose(await p.data(), scratch.softmax(logits).data, { ...tolerance, label: "softmax" });
  assertNoTensorLeak(() => {
    lossAndGradient(labelsTf, logitsTf);
  });
  tf.dispose([logitsTf, labelsTf, p]);
});

testOnBackends("softmaxCrossEntropy is stable for huge logits", () => {
  // Logits [1000, 0]: e^1000 overflows unless the maximum is factored out. Label 1:
  // E = log(e^1000 + 1) − 0 = 1000 (to float32 precision); gradient [1, −1] (softmax ≈ [1, 0]).
  const got = lossAndGradient(tf.tensor1d([1], "int32"), tf.tensor2d([[1000, 0]]));
  assertClose([got.value], [1000], { atol: 1e-3, rtol: 0, label: "E" });
  assertClose(got.grad, [1, -1], { ...tolerance, label: "dE/dz" });
  assert.throws(
    () => softmaxCrossEntropy(tf.tensor1d([0, 1], "int32"), tf.zeros([3, 2])),
    /should be \[N\] and \[N, C\]/,
  );
});

testOnBackends("softmaxCrossEntropyOps: the TSDoc example, log 10 for uniform logits", async () => {
  const loss = softmaxCrossEntropyOps(tf.tensor1d([3], "int32"), tf.zeros([1, 10]));
  assertClose([(await loss.data())[0]], [Math.log(10)], { atol: 1e-6, rtol: 1e-6 });
});

testOnBackends("the host path and the ops agree: value and gradient, batch 64", () => {
  const rng = new Rng(64);
  const logits = tf.tensor2d(
    Float32Array.from({ length: 640 }, () => rng.uniform(-8, 8)),
    [64, 10],
  );
  const labels = tf.tensor1d(
    Int32Array.from({ length: 64 }, () => rng.int(10)),
    "int32",
  );
  const run = (loss: typeof softmaxCrossEntropy) => {
    const { value, grads } = tf.valueAndGrads((z: tf.Tensor) => loss(labels, z as tf.Tensor2D))([
      logits,
    ]);
    const out = { value: value.dataSync()[0], grad: grads[0].dataSync() as Float32Array };
    tf.dispose([value, ...grads]);
    return out;
  };
  const host = run(softmaxCrossEntropy); // wasm and cpu: the host path
  const ops = run(softmaxCrossEntropyOps);
  assertClose([host.value], [ops.value], { atol: 1e-5, rtol: 1e-6, label: "loss" });
  assertClose(host.grad, ops.grad, { atol: 1e-7, rtol: 1e-5, label: "dz" });
  tf.dispose([logits, labels]);
});
