import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend";
import { historicalParams } from "../models/historical";
import { historicalForward } from "../scratch/historical";
import { createModel } from "../models/registry";
import { rbfPredict } from "../scratch/rbf-loss";
import { assertClose } from "../test-support/assert-close";
import { loadModelData, imageSide } from "./data";
import { CLASSES, evaluateModel, modelLoss, predictBatch } from "./evaluate";

before(() => initBackend());

/** A "modern"-shaped (28×28 in, logits out) model whose logits are the first 10 pixels. */
function firstPixelsModel(): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: CLASSES, useBias: false }),
    ],
  });
  const kernel = new Float32Array(784 * CLASSES);
  for (let c = 0; c < CLASSES; c++) kernel[c * CLASSES + c] = 1; // pixel c → logit c
  model.setWeights([tf.tensor2d(kernel, [784, CLASSES])]);
  return model;
}

test("accuracy, per-class accuracy and confusion[true][predicted], worked by hand", async () => {
  // Five images; image i lights pixel predicted[i], so it is classified as that digit.
  const predicted = [3, 3, 7, 0, 1];
  const labels = [3, 5, 7, 0, 0];
  const images = new Float32Array(5 * 784);
  predicted.forEach((p, i) => (images[i * 784 + p] = 5));
  const model = firstPixelsModel();
  const result = await evaluateModel(
    model,
    "modern",
    { images, labels, count: 5 },
    { batchSize: 2 },
  );
  assert.equal(result.count, 5);
  assert.equal(result.accuracy, 3 / 5); // images 0, 2, 3 right
  assertClose([result.errorRate], [0.4]);
  assert.equal(result.confusion[5][3], 1); // a five taken for a three
  assert.equal(result.confusion[0][1], 1); // a zero taken for a one
  assert.equal(
    result.confusion.flat().reduce((a, b) => a + b, 0),
    5,
  );
  // Class 0: one of two right; class 3: one of one; class 5: none of one; class 2: no images.
  assert.equal(result.perClass[0], 0.5);
  assert.equal(result.perClass[3], 1);
  assert.equal(result.perClass[5], 0);
  assert.ok(Number.isNaN(result.perClass[2]));
  // The loss is the mean softmax cross-entropy of the same logits.
  const expectedLoss = modelLoss(
    "logits",
    tf.tensor1d(labels, "int32"),
    model.predict(tf.tensor4d(images, [5, 28, 28, 1])) as tf.Tensor2D,
  ).dataSync()[0];
  assertClose([result.loss], [expectedLoss], { rtol: 1e-5 });
  model.dispose();
});

test("doc example: modelLoss on uniform logits is log 10", () => {
  const loss = modelLoss("logits", tf.tensor1d([7], "int32"), tf.zeros([1, 10]));
  assertClose(loss.dataSync(), [Math.log(10)], { rtol: 1e-6 });
});

test("historical: prediction is the argmin of the RBF distances (matches the scratch forward)", async () => {
  const model = createModel("historical", { seed: 2 });
  const test = loadModelData("historical", "test", { limit: 20 });
  const { digits, scores, probabilities } = predictBatch(model, "historical", test.images, 20);
  const reference = historicalForward(historicalParams(model), {
    shape: [20, 32, 32, 1],
    data: test.images,
  });
  assert.deepEqual(Array.from(digits), Array.from(rbfPredict(reference.OUTPUT)));
  assertClose(scores, reference.OUTPUT.data, { rtol: 1e-4, atol: 1e-3 });
  // eq. 9's posterior: positive, and with the rubbish class at most 1 per row.
  for (let n = 0; n < 20; n++) {
    const row = probabilities.subarray(n * 10, n * 10 + 10);
    assert.ok(row.every((p) => p >= 0) && row.reduce((a, b) => a + b, 0) <= 1 + 1e-6);
  }
  const result = await evaluateModel(model, "historical", test);
  const right = digits.filter((d, i) => d === test.labels[i]).length;
  assert.equal(result.accuracy, right / 20);
  assert.equal(result.errorRate, 1 - right / 20);
  const fourAsNine = digits.filter((d, i) => test.labels[i] === 4 && d === 9).length;
  assert.equal(result.confusion[4][9], fourAsNine); // fours taken for nines
  model.dispose();
});

test("doc examples: loadModelData, imageSide and predictBatch", () => {
  const test = loadModelData("historical", "test", { limit: 100 });
  assert.equal(test.images.length, 100 * 32 * 32);
  assert.equal(test.labels[0], 7); // MNIST's first test digit
  assert.equal(
    imageSide({ images: new Float32Array(2 * 32 * 32), labels: [0, 1], count: 2 }, 32),
    32,
  );
  assert.throws(() => imageSide(test, 28), /images are 32×32, the model takes 28×28/);
  const model = createModel("historical", { seed: 1 });
  const { digits, probabilities } = predictBatch(
    model,
    "historical",
    test.images.subarray(0, 2 * 1024),
    2,
  );
  assert.equal(digits.length, 2);
  assert.equal(probabilities.length, 20);
  const modern = loadModelData("modern", "test", { limit: 3 });
  assert.equal(modern.images.length, 3 * 28 * 28);
  model.dispose();
});
