// Tests of typed-array mini-batches: order, coverage of every index once per epoch, seeded
// determinism, the last partial batch, and that batches are copies.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../rng";
import { type BatchSource, batchCount, batches } from "./batches";

/** `count` 2×2 images; every pixel of image i holds i + 0.5, its label is i mod 10. */
function numbered(count: number): BatchSource {
  const imageSize = 2;
  const inputs = new Float32Array(count * 4); // [count, 2, 2, 1]
  for (let i = 0; i < count; i++) inputs.fill(i + 0.5, i * 4, i * 4 + 4);
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  return { inputs, labels, count, imageSize };
}

test("doc example: 10 examples in batches of 4 give 4, 4, 2", () => {
  const data = {
    inputs: new Float32Array(10 * 32 * 32),
    labels: new Uint8Array(10),
    count: 10,
    imageSize: 32,
  };
  const sizes: number[] = [];
  for (const batch of batches(data, { batchSize: 4, rng: new Rng(1) })) {
    sizes.push(batch.indices.length);
    assert.equal(batch.inputs.length, batch.indices.length * 32 * 32); // [B, 32, 32, 1]
  }
  assert.deepEqual(sizes, [4, 4, 2]);
});

test("doc example: batchCount", () => {
  assert.equal(batchCount(10, 4), 3); // 4 + 4 + 2
  assert.equal(batchCount(10, 4, true), 2);
  assert.equal(batchCount(12, 4), 3);
});

test("without rng the batches come in order, with the right images and labels", () => {
  const all = [...batches(numbered(5), { batchSize: 2 })];
  assert.deepEqual(
    all.map((b) => [...b.indices]),
    [[0, 1], [2, 3], [4]],
  );
  // Batch 1 holds images 2 and 3: four values 2.5 then four values 3.5; labels 2, 3.
  assert.deepEqual([...all[1].inputs], [2.5, 2.5, 2.5, 2.5, 3.5, 3.5, 3.5, 3.5]);
  assert.deepEqual([...all[1].labels], [2, 3]);
  assert.ok(all[1].labels instanceof Int32Array);
});

test("shuffled: every index exactly once per epoch, inputs and labels follow their index", () => {
  const data = numbered(103);
  const seen = new Array<number>(103).fill(0);
  const all = [...batches(data, { batchSize: 10, rng: new Rng(7) })];
  assert.equal(all.length, 11);
  assert.equal(all[10].indices.length, 3); // last partial batch: 103 = 10·10 + 3
  for (const batch of all) {
    batch.indices.forEach((index, i) => {
      seen[index]++;
      assert.equal(batch.labels[i], index % 10);
      assert.equal(batch.inputs[i * 4], index + 0.5);
      assert.equal(batch.inputs[i * 4 + 3], index + 0.5);
    });
  }
  assert.ok(
    seen.every((n) => n === 1),
    "each index once",
  );
  const order = all.flatMap((b) => [...b.indices]);
  assert.notDeepEqual(
    order,
    order.slice().sort((a, b) => a - b),
    "shuffled, not in order",
  );
});

test("same seed → same order; another seed or the next epoch → another order", () => {
  const data = numbered(50);
  const orderOf = (rng: Rng) =>
    [...batches(data, { batchSize: 8, rng })].flatMap((b) => [...b.indices]);
  assert.deepEqual(orderOf(new Rng(3)), orderOf(new Rng(3)));
  assert.notDeepEqual(orderOf(new Rng(3)), orderOf(new Rng(4)));
  const rng = new Rng(3);
  const epoch1 = orderOf(rng);
  const epoch2 = orderOf(rng);
  assert.notDeepEqual(epoch1, epoch2);
  // The order is exactly the Rng's permutation, so it is reproducible outside this module too.
  assert.deepEqual(orderOf(new Rng(3)), [...new Rng(3).permutation(50)]);
});

test("dropLast skips the partial batch", () => {
  const all = [...batches(numbered(10), { batchSize: 4, rng: new Rng(1), dropLast: true })];
  assert.deepEqual(
    all.map((b) => b.indices.length),
    [4, 4],
  );
  assert.equal(new Set(all.flatMap((b) => [...b.indices])).size, 8);
});

test("batches are copies: changing one leaves the source alone", () => {
  const data = numbered(3);
  const [first] = batches(data, { batchSize: 3 });
  first.inputs[0] = 99;
  assert.equal(data.inputs[0], 0.5);
});

test("mismatched lengths and bad batch sizes are RangeErrors", () => {
  const data = numbered(3);
  assert.throws(() => [...batches({ ...data, count: 4 }, { batchSize: 2 })], /inputs hold 12/);
  assert.throws(
    () => [...batches({ ...data, labels: new Uint8Array(2) }, { batchSize: 2 })],
    /2 labels for 3/,
  );
  assert.throws(() => [...batches(data, { batchSize: 0 })], /positive integer/);
});
