// The host kernels of softmax cross-entropy: on wasm and cpu they give the scratch twin's loss and
// gradient (its own loops, rounded once to float32), and the layer's op runs them.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as scratch from "../scratch/softmax-cross-entropy";
import { Rng } from "../rng";
import { testOnBackends } from "../test-support/parity"; // registers the kernels, as initBackend()
import { softmaxCrossEntropy } from "../layers/softmax-cross-entropy";
import { SOFTMAX_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY_GRAD } from "./softmax-cross-entropy";

testOnBackends(
  "the kernels compute the scratch twin's loss and gradient, to the float32 bit",
  () => {
    const rng = new Rng(7);
    const values = Float32Array.from({ length: 5 * 10 }, () => rng.uniform(-6, 6));
    const labelValues = Int32Array.from({ length: 5 }, () => rng.int(10));
    const logits = tf.tensor2d(values, [5, 10]);
    const labels = tf.tensor1d(labelValues, "int32");
    const inputs = { logits, labels };
    const loss = tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY, inputs, {}) as tf.Tensor;
    const grad = tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY_GRAD, inputs, {}) as tf.Tensor;
    const host = { shape: [5, 10], data: values };
    assert.deepEqual(loss.shape, []);
    assert.equal(loss.dataSync()[0], Math.fround(scratch.softmaxCrossEntropy(host, labelValues)));
    assert.deepEqual(grad.shape, [5, 10]);
    const want = scratch.softmaxCrossEntropyBackward(host, labelValues).data;
    assert.deepEqual(grad.dataSync(), Float32Array.from(want));
    tf.dispose([logits, labels, loss, grad]);
  },
);

testOnBackends(
  "softmaxCrossEntropy runs the two kernels (and no other) for loss and gradient",
  async () => {
    const logits = tf.tensor2d([[1, 2, 3, 4]]);
    const labels = tf.tensor1d([2], "int32");
    const profile = await tf.profile(() => {
      const { value, grads } = tf.valueAndGrads((z: tf.Tensor) =>
        softmaxCrossEntropy(labels, z as tf.Tensor2D),
      )([logits]);
      tf.dispose([value, ...grads]);
    });
    const names = new Set(profile.kernels.map((k) => k.name));
    assert.ok(names.has(SOFTMAX_CROSS_ENTROPY) && names.has(SOFTMAX_CROSS_ENTROPY_GRAD), "host");
    assert.ok(!names.has("Exp") && !names.has("OneHot"), "not the op chain");
    tf.dispose([logits, labels]);
  },
);
