/**
 * The worker thread of {@link DataParallelStepper} (parallel.ts): builds its own copy of the
 * model on its own tfjs backend, then for every message sets the trainable weights it is sent,
 * computes the gradient of its part of the batch's mean loss, and replies with the gradients
 * (one Float32Array, the variables' values one after another), the part's mean loss and how many
 * it classified right. No paper reference: this is plumbing for speed.
 *
 * Input shape: weights [Σ sizes], inputs [n, S, S, 1], labels [n]. Output shape: grads [Σ sizes].
 */
import { parentPort, workerData } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
import { initBackend, type BackendName } from "../backend";
import { createModel } from "../models/registry";
import { partGradients, type ParallelSetup } from "./parallel";

/** What the main thread sends for each step. */
interface StepRequest {
  readonly weights: Float32Array;
  readonly inputs: Float32Array;
  readonly labels: Int32Array;
}

async function serve(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error("parallel-worker: run me as a worker thread");
  const setup = workerData as ParallelSetup & { backend: BackendName };
  await initBackend(setup.backend);
  const model = createModel(setup.modelName, { ...setup.modelOptions, seed: 0 });
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  port.postMessage({ ready: true, shapes: variables.map((v) => v.shape) });
  port.on("message", (request: StepRequest) => {
    try {
      let offset = 0;
      tf.tidy(() => {
        for (const v of variables) {
          v.assign(tf.tensor(request.weights.subarray(offset, offset + v.size), v.shape)); // like w
          offset += v.size;
        }
      });
      const part = partGradients(
        model,
        setup.kind,
        variables,
        request.inputs,
        request.labels,
        setup.side,
        setup.j,
      );
      const grads = request.weights; // reuse the buffer: same size
      offset = 0;
      for (const g of part.grads) {
        grads.set(g.dataSync() as Float32Array, offset);
        offset += g.size;
      }
      tf.dispose(part.grads);
      port.postMessage({ loss: part.loss, correct: part.correct, grads }, [grads.buffer]);
    } catch (error) {
      port.postMessage({ error: (error as Error).message });
    }
  });
}

serve().catch((error: unknown) => {
  parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
});
