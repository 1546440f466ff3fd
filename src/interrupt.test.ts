// SIGINT stops long calls: process.emit("SIGINT") calls the listeners exactly as the signal
// does (tslab's kernel and a terminal's Ctrl-C both deliver SIGINT), without ending this process.
// scripts/test-jupyter.mjs does the same with a real kernel and a real interrupt.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "./backend";
import { InterruptedError, interruptible, interruptScope, throwIfInterrupted } from "./interrupt";
import { createModel } from "./models/registry";
import { loadModelData } from "./train/data";
import { evaluateModel } from "./train/evaluate";
import { trainModel } from "./train/train";
import { runBenchmark } from "./bench/bench";
import { weightsOf } from "./test-support/training";

before(() => initBackend("wasm"));

const sigintListeners = () => process.listenerCount("SIGINT");

test("interruptible: SIGINT aborts the signal while the work runs; the listener goes with it", async () => {
  const listeners = sigintListeners();
  const seen = await interruptible(undefined, "the work", async (signal) => {
    assert.equal(sigintListeners(), listeners, "not yet: the listener comes one microtask late");
    await null;
    assert.equal(sigintListeners(), listeners + 1);
    process.emit("SIGINT");
    // The first SIGINT also removes the listener: a second one gets the host's own handling.
    assert.equal(sigintListeners(), listeners);
    return signal.reason;
  });
  assert.ok(seen instanceof InterruptedError);
  assert.equal((seen as Error).message, "the work was interrupted");
  assert.equal(sigintListeners(), listeners);
  await assert.rejects(
    interruptible(undefined, "failing work", async () => {
      throw new Error("boom");
    }),
    /boom/,
  );
  assert.equal(sigintListeners(), listeners, "removed when the work throws too");
});

test("interruptScope: the caller's signal aborts it too; throwIfInterrupted names the call", () => {
  const caller = new AbortController();
  const scope = interruptScope(caller.signal);
  assert.equal(scope.signal.aborted, false);
  caller.abort();
  assert.equal(scope.signal.aborted, true);
  scope.end();
  const early = interruptScope(AbortSignal.abort());
  assert.equal(early.signal.aborted, true);
  early.end();
  assert.throws(() => throwIfInterrupted(scope.signal, "evaluateModel"), {
    name: "InterruptedError",
    message: "evaluateModel was interrupted",
  });
  throwIfInterrupted(undefined, "nothing");
});

test("trainModel: SIGINT after step 3 stops it there with InterruptedError, the model holding step 3's weights", async () => {
  const listeners = sigintListeners();
  const options = {
    modelName: "historical",
    epochs: 2,
    batchSize: 16,
    limit: 256,
    evaluate: false,
    threads: 1,
  } as const;
  // The reference: the same run stopped by its own signal after step 3.
  const stop = new AbortController();
  const reference = createModel("historical", { seed: 2 });
  const stopped = await trainModel({
    ...options,
    model: reference,
    signal: stop.signal,
    onBatch: (p) => {
      if (p.batch === 3) stop.abort();
    },
  });
  assert.equal(stopped.aborted, true);
  const model = createModel("historical", { seed: 2 });
  const initial = weightsOf(model);
  let steps = 0;
  await assert.rejects(
    trainModel({
      ...options,
      model,
      onBatch: (p) => {
        steps++;
        if (p.batch === 3) process.emit("SIGINT");
      },
    }),
    { name: "InterruptedError", message: "trainModel was interrupted" },
  );
  assert.equal(steps, 3);
  assert.deepEqual(weightsOf(model), weightsOf(reference), "the weights after step 3");
  assert.notDeepEqual(weightsOf(model), initial);
  assert.equal(sigintListeners(), listeners);
  model.dispose();
  reference.dispose();
});

test("trainModel: the caller's own signal stops it with a result (aborted), SIGINT or not", async () => {
  const stop = new AbortController();
  const result = await trainModel({
    model: "modern",
    epochs: 2,
    limit: 128,
    batchSize: 32,
    evaluate: false,
    signal: stop.signal,
    onBatch: (p) => {
      if (p.batch !== 2) return;
      stop.abort(); // as lenet5 train does on Ctrl-C, with its own SIGINT listener
      process.emit("SIGINT");
    },
  });
  assert.equal(result.aborted, true);
  assert.equal(result.epochsCompleted, 0);
  result.model.dispose();
});

test("trainModel: SIGINT during the epoch's evaluation stops the run there", async () => {
  const test = loadModelData("modern", "test", { limit: 3000 });
  let evaluating = false;
  await assert.rejects(
    trainModel({
      model: "modern",
      epochs: 3,
      limit: 64,
      data: { train: loadModelData("modern", "train", { limit: 64 }), test },
      // One turn of the event loop after the step's own yield and abort check: in the evaluation.
      onBatch: () =>
        setImmediate(() =>
          setImmediate(() => {
            evaluating = true;
            process.emit("SIGINT");
          }),
        ),
      onEpoch: () => assert.fail("no epoch completes"),
    }),
    InterruptedError,
  );
  assert.ok(evaluating);
});

test("evaluateModel: SIGINT between batches throws InterruptedError; a signal does the same", async () => {
  const listeners = sigintListeners();
  const model = createModel("modern", { seed: 1 });
  const data = loadModelData("modern", "test", { limit: 400 });
  setImmediate(() => process.emit("SIGINT"));
  await assert.rejects(evaluateModel(model, "modern", data, { batchSize: 50 }), InterruptedError);
  assert.equal(sigintListeners(), listeners);
  await assert.rejects(
    evaluateModel(model, "modern", data, { signal: AbortSignal.abort() }),
    /evaluateModel was interrupted/,
  );
  model.dispose();
});

test("runBenchmark: SIGINT stops it between windows with InterruptedError", async () => {
  const listeners = sigintListeners();
  let lines = 0;
  await assert.rejects(
    runBenchmark({
      models: ["modern"],
      windows: 50,
      trainSteps: 1,
      inferBatches: 1,
      warmupSteps: 0,
      windowWarmupSteps: 0,
      inferBatch: 8,
      torch: false,
      log: (line) => {
        if (line.includes("round") && ++lines === 2) process.emit("SIGINT");
      },
    }),
    InterruptedError,
  );
  assert.equal(lines, 2, "no window after the interrupt");
  assert.equal(sigintListeners(), listeners);
});
