// Parity of conv2dLayer (tfjs's conv2d with lenet5's init) with src/scratch/conv2d.ts, on wasm
// and cpu; the filter gradient on wasm runs the kernel of conv2d-backprop-filter.ts.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as scratch from "../scratch/conv2d";
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
import { conv2dLayer } from "./conv2d";

// Sums of ≤ 400 products (forward, C5-like) and N·H·W ≤ 2·12·12·… products (kernel gradient),
// each of magnitude ≤ 1, in float32: rounding stays below 1e-4 absolute here.
const tolerance = { atol: 1e-4, rtol: 1e-4 };

const cases = [
  { name: "C1-like, valid", x: [2, 12, 12, 1], k: [5, 5, 1, 3], padding: "valid" as const, pad: 0 },
  { name: "same (pad 2)", x: [2, 8, 8, 2], k: [5, 5, 2, 3], padding: "same" as const, pad: 2 },
  {
    name: "C5-like, 1×1 output",
    x: [2, 5, 5, 16],
    k: [5, 5, 16, 8],
    padding: "valid" as const,
    pad: 0,
  },
];

for (const c of cases) {
  testOnBackends(`conv2dLayer ${c.name}: output, input and weight gradients match scratch`, () => {
    const { k, padding, pad } = c;
    assertLayerMatchesScratch({
      layer: conv2dLayer({ filters: k[3], kernelSize: k[0], padding, inChannels: c.x[3] }),
      seed: 55,
      inputShape: c.x,
      weights: { kernel: k, bias: [k[3]] },
      forward: (x, { kernel, bias }) => scratch.conv2d(x, kernel, bias, { padding: pad }),
      backward: (x, { kernel }, dy) => scratch.conv2dBackward(x, kernel, dy, { padding: pad }),
      trainable: ["dKernel", "dBias"],
      tolerance,
    });
  });
}

testOnBackends("conv2dLayer: C1 and C5 parameter counts; paper init in ±2.4/(K·K·Cin)", () => {
  // The @example.
  const c1 = conv2dLayer({ filters: 6, kernelSize: 5, inputShape: [32, 32, 1], seed: 1 });
  const model = tf.sequential({ layers: [c1] });
  assert.deepEqual(model.outputShape, [null, 28, 28, 6]);
  assert.equal(model.countParams(), 156);
  const paper = (name: string) => PAPER_LAYER_COUNTS.find((l) => l.name === name)?.params;
  assert.equal(model.countParams(), paper("C1"));
  const c5 = tf.sequential({
    layers: [conv2dLayer({ filters: 120, kernelSize: 5, inputShape: [5, 5, 16], seed: 5 })],
  });
  assert.equal(c5.countParams(), paper("C5")); // 48,120
  for (const [layerModel, fanIn] of [
    [model, 25],
    [c5, 400],
  ] as const) {
    const bound = 2.4 / fanIn; // C1: 0.096, C5: 0.006
    const values = layerModel.getWeights().flatMap((w) => Array.from(w.dataSync()));
    const largest = Math.max(...values.map(Math.abs));
    assert.ok(largest <= bound && largest > 0.9 * bound, `largest |w| ${largest}, bound ${bound}`);
  }
  model.dispose();
  c5.dispose();
});

testOnBackends("conv2dLayer: same seed, same weights; paper init without Cin throws", () => {
  const weights = (seed: number) => {
    const m = tf.sequential({
      layers: [conv2dLayer({ filters: 2, kernelSize: 3, inputShape: [4, 4, 1], seed })],
    });
    const values = m.getWeights().map((w) => Array.from(w.dataSync()));
    m.dispose();
    return values;
  };
  assert.deepEqual(weights(7), weights(7));
  assert.notDeepEqual(weights(7), weights(8));
  assert.throws(() => conv2dLayer({ filters: 2, kernelSize: 3 }), /needs the layer's input size/);
  const modern = conv2dLayer({ filters: 2, kernelSize: 3, init: "heNormal" }); // no Cin needed
  assert.equal(modern.getClassName(), "Conv2D");
});

testOnBackends(
  "conv2dLayer: serialisation round trip (PaperUniform in the config); SGD lowers the loss, no leaks",
  async () => {
    const model = tf.sequential({
      layers: [
        conv2dLayer({ filters: 2, kernelSize: 3, inputShape: [6, 6, 1], seed: 2, name: "c" }),
        tf.layers.flatten(),
      ],
    });
    const config = JSON.stringify(model.layers[0].getConfig());
    assert.match(config, /"PaperUniform"/);
    const loaded = await saveAndLoad(model);
    const x = toTf(randomTensor([2, 6, 6, 1], new Rng(8)));
    const before = model.predict(x) as tf.Tensor;
    const after = loaded.predict(x) as tf.Tensor;
    assertClose(await after.data(), await before.data(), { atol: 0, rtol: 0, label: "reloaded" });
    assertNoTensorLeak(() => {
      model.predict(x);
    });
    const target = tf.zeros([2, 32]);
    assertTrainingDescends(model, x, target);
    tf.dispose([x, before, after, target]);
    model.dispose();
    loaded.dispose();
  },
);
