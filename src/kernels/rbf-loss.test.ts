// The host kernels of the paper's RBF loss: on wasm and cpu they give the scratch twin's loss and
// gradient (its own loops, rounded once to float32), and the layer's op runs them.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as scratch from "../scratch/rbf-loss";
import { Rng } from "../rng";
import { testOnBackends } from "../test-support/parity"; // registers the kernels, as initBackend()
import { rbfLoss } from "../layers/rbf-loss";
import { RBF_LOSS, RBF_LOSS_GRAD } from "./rbf-loss";

testOnBackends(
  "the kernels compute the scratch twin's loss and gradient, to the float32 bit",
  () => {
    const rng = new Rng(9);
    const values = Float32Array.from({ length: 4 * 10 }, () => rng.uniform(0, 30));
    const labelValues = Int32Array.from({ length: 4 }, () => rng.int(10));
    const y = tf.tensor2d(values, [4, 10]);
    const labels = tf.tensor1d(labelValues, "int32");
    const attrs = { j: 0.5 };
    const loss = tf.engine().runKernel(RBF_LOSS, { y, labels }, attrs) as tf.Tensor;
    const grad = tf.engine().runKernel(RBF_LOSS_GRAD, { y, labels }, attrs) as tf.Tensor;
    const host = { shape: [4, 10], data: values };
    assert.deepEqual(loss.shape, []);
    assert.equal(loss.dataSync()[0], Math.fround(scratch.rbfLoss(host, labelValues, attrs)));
    assert.deepEqual(grad.shape, [4, 10]);
    const want = scratch.rbfLossBackward(host, labelValues, attrs).data;
    assert.deepEqual(grad.dataSync(), Float32Array.from(want));
    tf.dispose([y, labels, loss, grad]);
  },
);

testOnBackends(
  "rbfLoss runs the two kernels (and not the op chain) for loss and gradient",
  async () => {
    const y = tf.tensor2d([[3, 1, 4, 1]]);
    const labels = tf.tensor1d([1], "int32");
    const profile = await tf.profile(() => {
      const { value, grads } = tf.valueAndGrads((d: tf.Tensor) =>
        rbfLoss(labels, d as tf.Tensor2D),
      )([y]);
      tf.dispose([value, ...grads]);
    });
    const names = new Set(profile.kernels.map((k) => k.name));
    assert.ok(names.has(RBF_LOSS) && names.has(RBF_LOSS_GRAD), "host kernels");
    assert.ok(!names.has("Exp") && !names.has("OneHot"), "not the op chain");
    tf.dispose([y, labels]);
  },
);
