// The fused wasm kernels of the squashing function against their float64 reference, driven
// through the layer's op (../layers/scaled-tanh.ts), whose custom gradient is what calls them.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "../test-support/register-kernels"; // the kernels, as initBackend() registers them
import { SCALED_TANH_A, SCALED_TANH_S } from "../paper";
import { Rng } from "../rng";
import { assertClose } from "../test-support/assert-close";
import { scaledTanh } from "../layers/scaled-tanh";
import { SCALED_TANH, SCALED_TANH_GRAD, scaledTanhReference } from "./scaled-tanh";

test("scaledTanhReference: the TSDoc example (the slope at the origin is A·S)", () => {
  const { y, dx } = scaledTanhReference(Float32Array.from([0]), Float32Array.from([1]));
  assert.deepEqual(Array.from(y), [0]);
  assertClose(dx, [SCALED_TANH_A * SCALED_TANH_S], { atol: 1e-7, rtol: 1e-7, label: "dx" });
});

// The fused wasm kernels against the float64 reference: a length that leaves a tail (4k + 3),
// the clamp at |S·x| ≥ 7.9, values below the rational's "tiny" cut, and C1's batch-64 size.
for (const [label, length, spread] of [
  ["tail of 3", 4 * 25 + 3, 3],
  ["large |x| (clamped)", 64, 40],
  ["tiny |x|", 37, 1e-3],
  ["C1 at batch 64", 64 * 28 * 28 * 6, 4],
] as const) {
  test(`fused wasm scaledTanh and gradient match the reference: ${label}`, async () => {
    await tf.setBackend("wasm");
    const rng = new Rng(length);
    const x = Float32Array.from({ length }, () => rng.uniform(-spread, spread));
    const dy = Float32Array.from({ length }, () => rng.uniform(-1, 1));
    const before = tf.memory().numTensors;
    const { y, dx, kernels } = await (async () => {
      const profile = await tf.profile(() =>
        tf.tidy(() => {
          const input = tf.tensor1d(x);
          const [value, grad] = [
            scaledTanh(input),
            tf.grad((t: tf.Tensor) => tf.sum(tf.mul(scaledTanh(t), tf.tensor1d(dy))))(input),
          ];
          return [tf.keep(value), tf.keep(grad)];
        }),
      );
      const [value, grad] = profile.result as tf.Tensor[];
      const out = {
        y: (await value.data()) as Float32Array,
        dx: (await grad.data()) as Float32Array,
        kernels: profile.kernels.map((k) => k.name),
      };
      tf.dispose([value, grad]);
      return out;
    })();
    assert.equal(tf.memory().numTensors, before, "tensors leaked");
    assert.ok(kernels.includes(SCALED_TANH) && kernels.includes(SCALED_TANH_GRAD), "fused");
    assert.ok(!kernels.includes("Tanh"), "no unfused tanh");
    const reference = scaledTanhReference(x, dy);
    // The rational approximation is within 2.4e-7 of tanh (./tanh.ts), times A, plus float32
    // rounding of |f| ≤ 1.7159 and of the slope (≤ A·S ≈ 1.14).
    assertClose(y, reference.y, { atol: 1e-6, rtol: 1e-6, label: "y" });
    assertClose(dx, reference.dx, { atol: 2e-6, rtol: 1e-5, label: "dx" });
  });
}
