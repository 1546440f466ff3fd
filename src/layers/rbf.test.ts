// Parity of the tfjs Rbf layer with src/scratch/rbf.ts, on wasm and cpu.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as scratch from "../scratch/rbf";
import { PAPER_LAYER_COUNTS, rbfPrototypes } from "../paper";
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
import { Rbf, rbf } from "./rbf";

// Sums of 84 squares (y) and of N = 3 terms (dPrototypes) of magnitude ≤ 4 in float32.
const tolerance = { atol: 1e-4, rtol: 1e-4 };

// A seeded init for the dense layer that feeds this one: the same losses on every run.
const seeded = tf.initializers.glorotUniform({ seed: 1 });

testOnBackends(
  "rbf: a prototype is at distance 0 from itself, 4·(differing pixels) from others",
  async () => {
    const w = tf.tensor2d(rbfPrototypes(), [10, 84]);
    const y = rbf(w.slice([3, 0], [1, 84]), w); // [1, 10]; y[0][3] = 0: digit 3's own bitmap
    const distances = await y.data();
    const bitmaps = rbfPrototypes();
    for (let i = 0; i < 10; i++) {
      let differing = 0; // ±1 pixels: each differing pixel adds (1 − (−1))² = 4
      for (let j = 0; j < 84; j++) if (bitmaps[i * 84 + j] !== bitmaps[3 * 84 + j]) differing++;
      assert.equal(distances[i], 4 * differing, `unit ${i}`);
    }
    assert.equal(distances[3], 0);
    tf.dispose([w, y]);
  },
);

testOnBackends("Rbf layer: output and input gradient match scratch; prototype gradient too", () => {
  const { x, weights, dy } = assertLayerMatchesScratch({
    layer: new Rbf(),
    seed: 44,
    inputShape: [3, 84],
    inputRange: [-1.7, 1.7],
    weights: { prototypes: [10, 84] },
    forward: (x, { prototypes }) => scratch.rbf(x, prototypes),
    backward: (x, { prototypes }, dy) => scratch.rbfBackward(x, prototypes, dy),
    trainable: [], // the prototypes are fixed
    tolerance,
  });
  // The layer computes rbf(x, w); its gradient in w exists even though training never uses it.
  const want = scratch.rbfBackward(x, weights.prototypes, dy).dPrototypes;
  const [xTf, wTf, dyTf] = [x, weights.prototypes, dy].map(toTf);
  const dPrototypes = tf.tidy(() =>
    tf
      .grad((w: tf.Tensor) => tf.sum(tf.mul(rbf(xTf, w), dyTf)))(wTf)
      .dataSync(),
  );
  assertClose(dPrototypes, want.data, { ...tolerance, label: "dPrototypes" });
  tf.dispose([xTf, wTf, dyTf]);
});

testOnBackends("Rbf: 840 fixed weights, none trainable; the paper's bitmaps; shapes", () => {
  // The @example.
  const model = tf.sequential({ layers: [new Rbf({ inputShape: [84] })] });
  assert.deepEqual(model.outputShape, [null, 10]);
  assert.equal(model.countParams(), 840);
  assert.equal(
    model.countParams(),
    PAPER_LAYER_COUNTS.find((l) => l.name === "OUTPUT")?.connections,
  );
  assert.equal(model.trainableWeights.length, 0);
  assert.equal(model.nonTrainableWeights.length, 1);
  assert.deepEqual(Array.from(model.getWeights()[0].dataSync()), Array.from(rbfPrototypes()));
  model.dispose();
  assert.throws(
    () => tf.sequential({ layers: [new Rbf({ inputShape: [80] })] }),
    /should be \[N, 84\]/,
  );
});

testOnBackends(
  "Rbf: serialisation round trip keeps the prototypes; SGD lowers the loss, leaves them alone",
  async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 84, inputShape: [5], kernelInitializer: seeded }),
        new Rbf(),
      ],
    });
    const rbfLayer = model.layers[1];
    // Replace the bitmaps with other values: the reloaded model must get these from the weights.
    const custom = toTf(randomTensor([10, 84], new Rng(6)));
    rbfLayer.setWeights([custom]);
    const loaded = await saveAndLoad(model);
    assert.equal(loaded.layers[1].getClassName(), "Rbf");
    assertClose(loaded.layers[1].getWeights()[0].dataSync(), custom.dataSync(), {
      atol: 0,
      rtol: 0,
      label: "reloaded prototypes",
    });
    const x = toTf(randomTensor([4, 5], new Rng(7)));
    assertNoTensorLeak(() => {
      model.predict(x);
    });
    const target = tf.zeros([4, 10]);
    // The loss, mean(distance²), is quartic in F6's outputs: η = 0.01 falls here (805 → 600)
    // but blew up within three steps with the paper's bitmaps; 1e-3 falls with margin.
    assertTrainingDescends(model, x, target, { learningRate: 1e-3 });
    assertClose(rbfLayer.getWeights()[0].dataSync(), custom.dataSync(), {
      atol: 0,
      rtol: 0,
      label: "prototypes after training",
    });
    tf.dispose([x, custom, target]);
    model.dispose();
    loaded.dispose();
  },
);
