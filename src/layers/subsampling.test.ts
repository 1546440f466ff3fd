// Parity of the tfjs Subsampling layer with src/scratch/subsampling.ts, on wasm and cpu.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as scratch from "../scratch/subsampling";
import { PAPER_LAYER_COUNTS } from "../paper";
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
import { Subsampling, subsampling } from "./subsampling";

// Sums of 4 (forward) and of N·(H/2)·(W/2) = 2·4·4 = 32 terms (coefficient gradient), in float32.
const tolerance = { atol: 1e-4, rtol: 1e-4 };

const paperParams = (name: string): number =>
  PAPER_LAYER_COUNTS.find((layer) => layer.name === name)?.params ?? NaN;

testOnBackends("subsampling: the hand-checked example, 0.5·(1+2+3+4) + 1 = 6", async () => {
  const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
  const y = subsampling(x, tf.tensor1d([0.5]), tf.tensor1d([1])); // [[[[6]]]]: 0.5·10 + 1
  assert.deepEqual(y.shape, [1, 1, 1, 1]);
  assert.deepEqual(Array.from(await y.data()), [6]);
  tf.dispose([x, y]);
});

// C = 3 takes tfjs's ops everywhere; S2's 6 and S4's 16 channels take the fused SIMD kernels on
// wasm (with a last chunk that overlaps for 6).
for (const [channels, size] of [
  [3, 8],
  [6, 28],
  [16, 10],
] as const) {
  testOnBackends(
    `Subsampling layer, C = ${channels}: output, input and weight gradients match the scratch twin`,
    () => {
      assertLayerMatchesScratch({
        layer: new Subsampling({ seed: 5 }),
        seed: 22 + channels,
        inputShape: [2, size, size, channels],
        weights: { coefficient: [channels], bias: [channels] },
        forward: (x, { coefficient, bias }) => scratch.subsampling(x, coefficient, bias),
        backward: (x, { coefficient }, dy) => scratch.subsamplingBackward(x, coefficient, dy),
        trainable: ["dCoefficient", "dBias"],
        tolerance,
        // The coefficient's gradient sums 2·(size/2)² products of block sums (|·| ≤ 4).
        weightTolerance: { atol: 1e-6 * 4 * 2 * (size / 2) ** 2, rtol: 1e-4 },
      });
    },
  );
}

testOnBackends("Subsampling: S2 and S4 shapes and parameter counts are the paper's", () => {
  // The @example: S2 on C1's [28, 28, 6] output.
  const s2 = new Subsampling({ inputShape: [28, 28, 6], seed: 2 });
  const model = tf.sequential({ layers: [s2] });
  assert.deepEqual(model.outputShape, [null, 14, 14, 6]);
  assert.equal(model.countParams(), 12);
  assert.equal(model.countParams(), paperParams("S2"));
  const s4 = tf.sequential({ layers: [new Subsampling({ inputShape: [10, 10, 16] })] });
  assert.deepEqual(s4.outputShape, [null, 5, 5, 16]);
  assert.equal(s4.countParams(), paperParams("S4")); // 32
  // Paper init, F_i = 4: every coefficient and bias in ±2.4/4 = ±0.6, and not all equal.
  const values = s2.getWeights().flatMap((w) => Array.from(w.dataSync()));
  assert.ok(
    values.every((v) => Math.abs(v) <= 0.6),
    `outside ±0.6: ${values}`,
  );
  assert.ok(new Set(values).size === values.length);
  model.dispose();
  s4.dispose();
});

testOnBackends("Subsampling rejects an odd height or width", () => {
  assert.throws(
    () => tf.sequential({ layers: [new Subsampling({ inputShape: [5, 6, 2] })] }),
    /even height and width/,
  );
});

testOnBackends(
  "Subsampling: serialisation round trip, SGD lowers the loss, no tensor leaks",
  async () => {
    const model = tf.sequential({ layers: [new Subsampling({ inputShape: [4, 4, 2], seed: 9 })] });
    const loaded = await saveAndLoad(model);
    assert.equal(loaded.layers[0].getClassName(), "Subsampling");
    assert.equal(loaded.layers[0].getConfig().seed, 9);
    const rng = new Rng(3);
    const x = toTf(randomTensor([3, 4, 4, 2], rng));
    const before = model.predict(x) as tf.Tensor;
    const after = loaded.predict(x) as tf.Tensor;
    assertClose(await after.data(), await before.data(), { atol: 0, rtol: 0, label: "reloaded" });
    assertNoTensorLeak(() => {
      model.predict(x);
    });
    const target = tf.zeros([3, 2, 2, 2]);
    assertTrainingDescends(model, x, target);
    tf.dispose([x, before, after, target]);
    model.dispose();
    loaded.dispose();
  },
);
