import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createModel } from "../models/registry";
import { rbfPrototypes } from "../paper";
import { assertClose } from "../test-support/assert-close";
import { activationProbe, paperLayers } from "./activation-probe";

test("doc example: paperLayers reads each paper layer after its squashing function", () => {
  assert.deepEqual(
    paperLayers(createModel("historical")).map((l) => l.layer),
    ["C1_tanh", "S2_tanh", "C3_tanh", "S4_tanh", "C5_tanh", "F6_tanh", "OUTPUT"],
  );
  // modern with batch norm and dropout: after ReLU, never at a Dropout or Flatten.
  assert.deepEqual(paperLayers(createModel("modern", { batchNorm: true, dropout: 0.5 })), [
    { name: "C1", layer: "C1_relu" },
    { name: "S2", layer: "S2" },
    { name: "C3", layer: "C3_relu" },
    { name: "S4", layer: "S4" },
    { name: "C5", layer: "C5_relu" },
    { name: "F6", layer: "F6_relu" },
    { name: "OUTPUT", layer: "OUTPUT" },
  ]);
});

test("doc example: activationProbe gives every layer's shape (Fig. 2) and the model's own output", () => {
  const model = createModel("historical", { seed: 3 });
  const probe = activationProbe(model);
  const input = new Float32Array(32 * 32).fill(-0.1);
  input[16 * 32 + 16] = 1.175; // one ink pixel, so maps are not all equal
  const activations = probe.run(input);
  assert.deepEqual(
    activations.map((a) => [a.name, a.shape]),
    [
      ["C1", [28, 28, 6]],
      ["S2", [14, 14, 6]],
      ["C3", [10, 10, 16]],
      ["S4", [5, 5, 16]],
      ["C5", [1, 1, 120]],
      ["F6", [84]],
      ["OUTPUT", [10]],
    ],
  );
  const direct = tf.tidy(() =>
    (model.predict(tf.tensor4d(input, [1, 32, 32, 1])) as tf.Tensor).dataSync(),
  );
  assertClose(activations[6].data, direct, {
    atol: 1e-5,
    rtol: 0,
    label: "probe OUTPUT vs model.predict",
  });
  // OUTPUT is eq. 7 on F6: y_i = Σ_j (F6_j − w_ij)², w the fixed ±1 prototypes.
  const f6 = activations[5].data;
  const w = rbfPrototypes();
  const byHand = Array.from({ length: 10 }, (_, i) =>
    f6.reduce((sum, x, j) => sum + (x - w[i * 84 + j]) ** 2, 0),
  );
  assertClose(activations[6].data, byHand, { atol: 1e-3, rtol: 0, label: "RBF distances by hand" });
  assert.throws(() => probe.run(new Float32Array(28 * 28)), /32×32/);
  model.dispose();
});
