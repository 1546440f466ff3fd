import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend";
import { assertClose } from "../test-support/assert-close";
import {
  SDLM_FINAL_RATE,
  SDLM_HESSIAN_SAMPLES,
  SDLM_MU,
  SDLM_PASSES,
  SDLM_SCHEDULE,
  SdlmOptimizer,
  sdlmMuForBatch,
} from "./sdlm";

before(() => initBackend());

test("the constants are the paper's (Section III-B)", () => {
  // "μ was set to 0.02"; "reevaluated on 500 samples"; "20 iterations".
  assert.equal(SDLM_MU, 0.02);
  assert.equal(SDLM_HESSIAN_SAMPLES, 500);
  assert.equal(SDLM_PASSES, 20);
  // 0.0005 for 2 passes, 0.0002 for 3, 0.0001 for 3, 0.00005 for 4, 0.00001 thereafter.
  assert.deepEqual(
    SDLM_SCHEDULE.map(({ passes, rate }) => [passes, rate]),
    [
      [2, 0.0005],
      [3, 0.0002],
      [3, 0.0001],
      [4, 0.00005],
    ],
  );
  assert.equal(SDLM_FINAL_RATE, 0.00001);
});

test("doc example: per-weight rates η/(μ + h_kk)", () => {
  const w = tf.variable(tf.tensor1d([1, 1]));
  const sdlm = new SdlmOptimizer({ learningRate: 0.1, mu: 0.1 });
  sdlm.setHessian([tf.tensor1d([0.9, 0.1])]); // rates 0.1/1 = 0.1 and 0.1/0.2 = 0.5
  sdlm.step([w], [tf.tensor1d([1, 1])], { batchSize: 1 }); // w = [0.9, 0.5]
  assertClose(Array.from(w.dataSync()), [0.9, 0.5]);
  sdlm.dispose();
  w.dispose();
});

test("without a Hessian every rate is η/μ; 'sum' scales the mean gradient by B, 'mean' does not", () => {
  const step = (batchScaling: "sum" | "mean", batchSize: number) => {
    const w = tf.variable(tf.scalar(0));
    const sdlm = new SdlmOptimizer({ learningRate: 0.01, mu: 0.5, batchScaling });
    sdlm.step([w], [tf.scalar(1)], { batchSize });
    const value = w.dataSync()[0];
    w.dispose();
    return value;
  };
  // η/μ = 0.02; the sum of 4 per-example gradients whose mean is 1 is 4.
  assertClose([step("sum", 1), step("sum", 4), step("mean", 4)], [-0.02, -0.08, -0.02]);
});

test("the Hessian travels with the state, and a state of other settings is refused", () => {
  const w = [tf.variable(tf.zeros([2]))];
  const a = new SdlmOptimizer({ learningRate: 0.1 });
  a.setHessian([tf.tensor1d([1, 3])]);
  a.step(w, [tf.ones([2])], { batchSize: 1 });
  const state = a.getState();
  assert.deepEqual(
    state.slots.map((s) => [s.name, Array.from(s.data)]),
    [["hessian/0", [1, 3]]],
  );
  const b = new SdlmOptimizer({ learningRate: 0.1 });
  b.setState(state, w);
  assert.deepEqual(Array.from(b.getHessian()?.[0].dataSync() ?? []), [1, 3]);
  assert.equal(b.iterations, 1);
  assert.throws(() => new SdlmOptimizer({ mu: 0.5 }).setState(state, w), /mu = 0.02, this one 0.5/);
  [a, b].forEach((o) => o.dispose());
  tf.dispose(w);
});

test("doc example: lenet5's default μ grows with the batch, never below the paper's", () => {
  assert.equal(sdlmMuForBatch(16), 1.6);
  assert.equal(sdlmMuForBatch(1), 0.1);
});
