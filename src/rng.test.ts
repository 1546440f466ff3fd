import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "./rng";

test("same seed gives the same sequence; different seeds differ", () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const c = new Rng(43);
  const seqA = Array.from({ length: 5 }, () => a.nextUint32());
  const seqB = Array.from({ length: 5 }, () => b.nextUint32());
  const seqC = Array.from({ length: 5 }, () => c.nextUint32());
  assert.deepEqual(seqA, seqB);
  assert.notDeepEqual(seqA, seqC);
});

test("doc example: next() lies in [0, 1)", () => {
  const rng = new Rng(42);
  const u = rng.next();
  assert.ok(u >= 0 && u < 1);
});

test("uniform draws have the right mean and range", () => {
  const rng = new Rng(1);
  let sum = 0;
  const n = 20000;
  for (let i = 0; i < n; i++) {
    const u = rng.uniform(-2, 2);
    assert.ok(u >= -2 && u < 2);
    sum += u;
  }
  assert.ok(Math.abs(sum / n) < 0.05, `mean ${sum / n} should be near 0`);
});

test("normal draws have mean 0 and variance 1", () => {
  const rng = new Rng(7);
  const n = 20000;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    sum += z;
    sumSq += z * z;
  }
  const mean = sum / n;
  assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
  assert.ok(Math.abs(sumSq / n - mean * mean - 1) < 0.05, `variance ${sumSq / n}`);
});

test("int covers 0..n-1 and permutation is a permutation", () => {
  const rng = new Rng(3);
  const seen = new Set<number>();
  for (let i = 0; i < 1000; i++) seen.add(rng.int(10));
  assert.deepEqual(
    [...seen].sort((x, y) => x - y),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  const p = rng.permutation(100);
  assert.deepEqual(
    [...p].sort((x, y) => x - y),
    Array.from({ length: 100 }, (_, i) => i),
  );
  assert.throws(() => rng.int(0), /n must be an integer/);
});

test("state round-trips: a restored generator continues the same sequence", () => {
  const a = new Rng(99);
  a.next();
  const b = Rng.fromState(a.getState());
  assert.deepEqual(
    Array.from({ length: 4 }, () => a.nextUint32()),
    Array.from({ length: 4 }, () => b.nextUint32()),
  );
  assert.throws(() => Rng.fromState([1, 2, 3]), /four unsigned 32-bit integers/);
});
