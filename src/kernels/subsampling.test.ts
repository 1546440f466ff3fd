// The fused wasm kernels of trainable subsampling against their plain reference, driven through
// the layer's op (../layers/subsampling.ts), whose custom gradient is what calls them.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "../test-support/register-kernels"; // the kernels, as initBackend() registers them
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";
import { subsampling } from "../layers/subsampling";
import { SUBSAMPLING, SUBSAMPLING_GRAD, subsamplingReference } from "./subsampling";

test("subsamplingReference: the TSDoc example", () => {
  const r = subsamplingReference(
    Float32Array.from([1, 2, 3, 4]),
    [1, 2, 2, 1],
    Float32Array.from([0.5]),
    Float32Array.from([1]),
    Float32Array.from([2]),
    1,
  );
  assert.deepEqual(Array.from(r.y), [6]); // 0.5 · 10 + 1
  assert.deepEqual(Array.from(r.dx), [1, 1, 1, 1]); // 2 · 0.5
  assert.deepEqual(Array.from(r.dCoefficient), [20]); // 2 · 10
  assert.deepEqual(Array.from(r.dBias), [2]);
});

// The fused kernels against the reference: S2 and S4 at batch 64 ("sum", the paper's) and the
// seed page's "average" with 5 channels (a last chunk overlapping by 3 lanes).
for (const [shape, reduce] of [
  [[64, 28, 28, 6], "sum"],
  [[64, 10, 10, 16], "sum"],
  [[3, 6, 4, 5], "average"],
] as const) {
  test(`fused wasm subsampling matches the reference: [${shape}], ${reduce}`, async () => {
    await tf.setBackend("wasm");
    const [n, h, w, c] = shape;
    const rng = new Rng(n * c);
    const random = (length: number) => Float32Array.from({ length }, () => rng.uniform(-1, 1));
    const [x, coefficient, bias, dy] = [n * h * w * c, c, c, (n * h * w * c) / 4].map(random);
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() =>
      tf.tidy(() => {
        const [xs, cs, bs, r] = [
          tf.tensor4d(x, shape as unknown as [number, number, number, number]),
          tf.tensor1d(coefficient),
          tf.tensor1d(bias),
          tf.tensor4d(dy, [n, h / 2, w / 2, c]),
        ];
        const loss = (a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) =>
          tf.sum(tf.mul(subsampling(a, b, d, reduce), r));
        const grads = tf.grads(loss)([xs, cs, bs]);
        return [subsampling(xs, cs, bs, reduce), ...grads].map((t) => tf.keep(t));
      }),
    );
    const [y, dx, dc, db] = await Promise.all(
      (profile.result as tf.Tensor[]).map(async (t) => (await t.data()) as Float32Array),
    );
    tf.dispose(profile.result as tf.Tensor[]);
    assert.equal(tf.memory().numTensors, before, "tensors leaked");
    const names = profile.kernels.map((k) => k.name);
    assert.ok(names.includes(SUBSAMPLING) && names.includes(SUBSAMPLING_GRAD), "fused");
    assert.ok(!names.includes("AvgPool") && !names.includes("AvgPoolGrad"), "no unfused pool");
    const scale = reduce === "sum" ? 1 : 0.25;
    const want = subsamplingReference(x, shape, coefficient, bias, dy, scale);
    const terms = (n * h * w) / 4; // products summed into each coefficient and bias gradient
    assertClose(y, want.y, { atol: 1e-5, rtol: 1e-5, label: "y" });
    assertClose(dx, want.dx, { atol: 1e-6, rtol: 1e-6, label: "dx" });
    assertClose(dc, want.dCoefficient, { atol: 1e-6 * 4 * terms, rtol: 1e-5, label: "dc" });
    assertClose(db, want.dBias, { atol: 1e-6 * terms, rtol: 1e-5, label: "db" });
  });
}
