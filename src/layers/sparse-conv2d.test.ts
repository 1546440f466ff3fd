// Parity of the tfjs SparseConv2D layer (C3) with src/scratch/sparse-conv2d.ts, on wasm and cpu.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as scratch from "../scratch/sparse-conv2d";
import { PAPER_LAYER_COUNTS, TABLE_I } from "../paper";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";
import {
  assertLayerMatchesScratch,
  assertNoTensorLeak,
  randomTensor,
  saveAndLoad,
  testOnBackends,
  toTf,
  assertTrainingDescends,
} from "../test-support/parity";
import {
  SparseConv2D,
  expandSparseKernel,
  sparseConv2d,
  sparseSelectionMatrix,
} from "./sparse-conv2d";

// Forward sums ≤ 150 products, the kernel gradient N·10·10 = 200 products, of magnitude ≤ 1:
// float32 rounding stays well under 1e-4 absolute at these sizes.
const tolerance = { atol: 1e-4, rtol: 1e-4 };

testOnBackends(
  "SparseConv2D layer (Table I): output, input and weight gradients match scratch",
  () => {
    assertLayerMatchesScratch({
      layer: new SparseConv2D(),
      seed: 33,
      inputShape: [2, 14, 14, 6],
      weights: { kernel: [5, 5, 60], bias: [16] },
      forward: (x, { kernel, bias }) => scratch.sparseConv2d(x, kernel, bias),
      backward: (x, { kernel }, dy) => scratch.sparseConv2dBackward(x, kernel, dy),
      trainable: ["dKernel", "dBias"],
      tolerance,
    });
  },
);

testOnBackends("SparseConv2D with a custom 3-input, 2-output table matches scratch", () => {
  const table = [[2, 0], [1]]; // map 0 ← inputs 2 then 0; map 1 ← input 1: 3 connections
  assertLayerMatchesScratch({
    layer: new SparseConv2D({ kernelSize: 3, table }),
    seed: 34,
    inputShape: [3, 6, 7, 3],
    weights: { kernel: [3, 3, 3], bias: [2] },
    forward: (x, { kernel, bias }) => scratch.sparseConv2d(x, kernel, bias, table),
    backward: (x, { kernel }, dy) => scratch.sparseConv2dBackward(x, kernel, dy, table),
    trainable: ["dKernel", "dBias"],
    tolerance,
  });
});

testOnBackends("the selection matrix and the expanded kernel follow Table I", async () => {
  const s = sparseSelectionMatrix(); // Table I: 60 × 96
  assert.equal(s.connections, 60);
  assert.equal(s.values.length, 60 * 96);
  assert.equal(s.values[0 * 96 + 0 * 16 + 0], 1); // connection 0 joins input map 0 to output map 0
  assert.equal(
    s.values.reduce((a, b) => a + b, 0),
    60,
  ); // one 1 per row
  const full = expandSparseKernel(tf.ones([5, 5, 60])); // [5, 5, 6, 16], 60 ones per tap
  assert.deepEqual(full.shape, [5, 5, 6, 16]);
  const tap = (await full.data()).subarray(0, 96); // tap (0, 0): [6, 16] row-major
  for (let i = 0; i < 6; i++) {
    for (let j = 0; j < 16; j++) {
      assert.equal(tap[i * 16 + j], TABLE_I[j].includes(i) ? 1 : 0, `input ${i} → output ${j}`);
    }
  }
  full.dispose();
  const y = sparseConv2d(tf.zeros([1, 14, 14, 6]), tf.zeros([5, 5, 60]), tf.zeros([16])); // [1, 10, 10, 16]
  assert.deepEqual(y.shape, [1, 10, 10, 16]);
  y.dispose();
});

testOnBackends(
  "SparseConv2D: C3's shapes, 1,516 parameters, per-map paper init ranges",
  async () => {
    // The @example.
    const c3 = new SparseConv2D({ inputShape: [14, 14, 6], seed: 3 });
    const model = tf.sequential({ layers: [c3] });
    assert.deepEqual(model.outputShape, [null, 10, 10, 16]);
    assert.equal(model.countParams(), 1516);
    assert.equal(model.countParams(), PAPER_LAYER_COUNTS.find((l) => l.name === "C3")?.params);
    assert.deepEqual(
      c3.trainableWeights.map((w) => w.shape),
      [[5, 5, 60], [16]],
    );
    // Map j's kernels and bias lie in ±2.4/(25·|TABLE_I[j]|): ±0.032 (3 inputs), ±0.024 (4),
    // ±0.016 (6); each group's largest |w| comes near its own bound, so the ranges really differ.
    const [kernel, bias] = c3.getWeights().map((w) => w.dataSync());
    const largest = new Array<number>(16).fill(0);
    let c = 0;
    TABLE_I.forEach((inputs, j) => {
      for (let k = 0; k < inputs.length; k++, c++) {
        for (let tap = 0; tap < 25; tap++)
          largest[j] = Math.max(largest[j], Math.abs(kernel[tap * 60 + c]));
      }
      largest[j] = Math.max(largest[j], Math.abs(bias[j]));
    });
    TABLE_I.forEach((inputs, j) => {
      const bound = 2.4 / (25 * inputs.length);
      assert.ok(largest[j] <= bound, `map ${j}: ${largest[j]} > ${bound}`);
      assert.ok(largest[j] > 0.8 * bound, `map ${j}: ${largest[j]} far below ${bound}`);
    });
    model.dispose();
  },
);

testOnBackends(
  "SparseConv2D: serialisation round trip keeps the table; SGD lowers the loss, no leaks",
  async () => {
    const table = [[0], [0, 1], [1]];
    const model = tf.sequential({
      layers: [new SparseConv2D({ inputShape: [5, 5, 2], kernelSize: 3, table, seed: 4 })],
    });
    assert.equal(model.countParams(), 4 * 9 + 3);
    const loaded = await saveAndLoad(model);
    assert.equal(loaded.layers[0].getClassName(), "SparseConv2D");
    assert.deepEqual(loaded.layers[0].getConfig().table, table);
    assert.equal(loaded.layers[0].getConfig().kernelSize, 3);
    const x = toTf(randomTensor([2, 5, 5, 2], new Rng(5)));
    const before = model.predict(x) as tf.Tensor;
    const after = loaded.predict(x) as tf.Tensor;
    assertClose(await after.data(), await before.data(), { atol: 0, rtol: 0, label: "reloaded" });
    assertNoTensorLeak(() => {
      model.predict(x);
    });
    const target = tf.zeros([2, 3, 3, 3]);
    assertTrainingDescends(model, x, target);
    tf.dispose([x, before, after, target]);
    model.dispose();
    loaded.dispose();
  },
);

testOnBackends("SparseConv2D rejects an input whose channels do not fit its table", () => {
  assert.throws(
    () => tf.sequential({ layers: [new SparseConv2D({ inputShape: [14, 14, 5] })] }),
    /should be \[N, H, W, 6\]/,
  );
});
