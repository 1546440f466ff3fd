// Tests of the Fig. 9 baselines: the linear classifier and k-nearest neighbours.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../rng";
import {
  errorRate,
  linearPredict,
  nearestNeighbourPredict,
  squaredDistance,
  trainLinearClassifier,
} from "./index";

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

test("k-NN with k = 3: two far neighbours of one label outvote the nearest, of another", () => {
  // One-pixel images on a line; the query 0 has neighbours 1 (label 5), 2 and 3 (label 8), then 10.
  const images = Uint8Array.of(10, 3, 1, 2);
  const labels = Uint8Array.of(5, 8, 5, 8);
  const query = Uint8Array.of(0);
  assert.deepEqual(
    nearestNeighbourPredict(images, labels, 4, query, 1, { k: 1 }),
    Uint8Array.of(5),
  );
  assert.deepEqual(
    nearestNeighbourPredict(images, labels, 4, query, 1, { k: 3 }),
    Uint8Array.of(8),
  );
  // Only the first three training images: 10, 3, 1 → labels 5, 8, 5: 5 wins 2–1.
  assert.deepEqual(
    nearestNeighbourPredict(images, labels, 3, query, 1, { k: 3 }),
    Uint8Array.of(5),
  );
});

test("k-NN's search (‖q‖² + ‖t‖² − 2 q·t over the query's ink) agrees with the plain definition", () => {
  const rng = new Rng(9);
  const pixels = 49;
  const [trainCount, queryCount] = [200, 60];
  // Sparse random bytes, as MNIST: about a fifth of the pixels inked.
  const image = (count: number) =>
    Uint8Array.from({ length: count * pixels }, () => (rng.int(5) === 0 ? 1 + rng.int(255) : 0));
  const train = image(trainCount);
  const labels = Uint8Array.from({ length: trainCount }, () => rng.int(10));
  const queries = image(queryCount);
  for (const k of [1, 3, 7]) {
    const expected = Uint8Array.from({ length: queryCount }, (_, q) => {
      const order = Array.from({ length: trainCount }, (_, t) => t).sort(
        (a, b) =>
          squaredDistance(queries, q, train, a, pixels) -
            squaredDistance(queries, q, train, b, pixels) || a - b,
      );
      const votes = new Array<number>(10).fill(0);
      for (const t of order.slice(0, k)) votes[labels[t]]++;
      const most = Math.max(...votes);
      return labels[order.slice(0, k).find((t) => votes[labels[t]] === most) ?? 0];
    });
    assert.deepEqual(
      nearestNeighbourPredict(train, labels, trainCount, queries, queryCount, { k }),
      expected,
      `k = ${k}`,
    );
  }
});

test("squaredDistance is the sum of squared pixel differences", () => {
  assert.equal(squaredDistance(Uint8Array.of(0, 0, 3, 4), 0, Uint8Array.of(0, 0, 3, 4), 1, 2), 25);
  assert.equal(squaredDistance(Uint8Array.of(1, 2), 0, Uint8Array.of(9, 9, 1, 2), 1, 2), 0);
});

test("errorRate counts the mismatches", () => {
  assert.equal(errorRate(Uint8Array.of(1, 2, 3, 4), Uint8Array.of(1, 2, 0, 0)), 0.5);
});
