// Tests of the Fig. 9 baselines: the linear classifier and k-nearest neighbours.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../rng";
import { errorRate, linearPredict, nearestNeighbourPredict, trainLinearClassifier } from "./index";

/** `count` noisy 8×8 images: class c lights column c (of 10 classes, columns 0–7 and rows for 8, 9). */
function toyImages(count: number, seed: number): { images: Uint8Array; labels: Uint8Array } {
  const rng = new Rng(seed);
  const images = new Uint8Array(count * 64);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const c = rng.int(10);
    labels[n] = c;
    for (let i = 0; i < 8; i++) {
      const pixel = c < 8 ? i * 8 + c : (c - 8) * 8 + i;
      images[n * 64 + pixel] = 200 + rng.int(56);
    }
    images[n * 64 + rng.int(64)] = rng.int(120); // a stray mark
  }
  return { images, labels };
}

test("a linear classifier learns ten linearly separable classes", () => {
  const train = toyImages(600, 1);
  const test = toyImages(200, 2);
  const linear = trainLinearClassifier(train.images, train.labels, 600, { epochs: 3 });
  assert.equal(linear.weights.length, 64 * 10);
  assert.equal(errorRate(linearPredict(linear, test.images, 200), test.labels), 0);
});

test("an untrained linear classifier is at chance, so the test can fail", () => {
  const test = toyImages(200, 2);
  const zero = { pixels: 64, weights: new Float32Array(640), bias: new Float32Array(10) };
  assert.ok(errorRate(linearPredict(zero, test.images, 200), test.labels) > 0.8);
});

test("training is seeded: the same seed gives the same weights, another seed others", () => {
  const train = toyImages(300, 3);
  const a = trainLinearClassifier(train.images, train.labels, 300, { seed: 5 });
  const b = trainLinearClassifier(train.images, train.labels, 300, { seed: 5 });
  const c = trainLinearClassifier(train.images, train.labels, 300, { seed: 6 });
  assert.deepEqual(a.weights, b.weights);
  assert.notDeepEqual(a.weights, c.weights);
});

test("k-NN finds the nearest training image and votes among k", () => {
  const train = toyImages(300, 4);
  const test = toyImages(100, 5);
  for (const k of [1, 3, 5]) {
    const predicted = nearestNeighbourPredict(train.images, train.labels, 300, test.images, 100, {
      k,
    });
    assert.equal(errorRate(predicted, test.labels), 0, `k = ${k}`);
  }
});

test("k-NN: a query equal to a training image gets its label with k = 1; a 1–1 tie goes to the nearer", () => {
  const images = Uint8Array.of(0, 0, 10, 10, 3, 3); // three 2-pixel images
  const labels = Uint8Array.of(7, 2, 9);
  assert.deepEqual(
    nearestNeighbourPredict(images, labels, 3, Uint8Array.of(10, 10), 1, { k: 1 }),
    Uint8Array.of(2),
  );
  // (1, 1): nearest (0, 0) label 7, then (3, 3) label 9: one vote each, the nearer wins.
  assert.deepEqual(
    nearestNeighbourPredict(images, labels, 3, Uint8Array.of(1, 1), 1, { k: 2 }),
    Uint8Array.of(7),
  );
  assert.throws(
    () => nearestNeighbourPredict(images, labels, 3, Uint8Array.of(1, 1), 1, { k: 4 }),
    /k must be/,
  );
});

test("errorRate counts the mismatches", () => {
  assert.equal(errorRate(Uint8Array.of(1, 2, 3, 4), Uint8Array.of(1, 2, 0, 0)), 0.5);
});
