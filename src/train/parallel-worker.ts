/**
 * The worker thread of {@link DataParallelStepper} (parallel.ts): builds its own copy of the
 * model on its own tfjs backend, then for every step sets the trainable weights if it is sent
 * them, computes the gradient of its part of the batch's mean loss, and replies with the
 * gradients (one Float32Array, the variables' values one after another), the part's mean loss
 * and how many it classified right. It then waits for the main thread's gradients, averages the
 * two as the main thread does and takes the same optimiser step on its replica of the optimiser.
 * No paper reference: this is plumbing for speed.
 *
 * Input shape: weights [Σ sizes], inputs [n, S, S, 1], labels [n]. Output shape: grads [Σ sizes].
 */
import { parentPort, workerData } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
import { initBackend, type BackendName } from "../backend";
import { createModel } from "../models/registry";
import type { Optimizer } from "./optimizer-base";
import { createOptimizer } from "./optimizers";
import {
  averageGradients,
  flattenTensors,
  partGradients,
  stepWithFlatGradient,
  transferableBuffer,
  type ParallelSetup,
  type WorkerGradientsMessage,
  type WorkerStepRequest,
} from "./parallel";

/** Anything the main thread sends: a step, its gradients, or a request for the weights. */
type Message = WorkerStepRequest | WorkerGradientsMessage | { readonly kind: "weights" };

async function serve(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error("parallel-worker: run me as a worker thread");
  const setup = workerData as ParallelSetup & { backend: BackendName };
  await initBackend(setup.backend);
  const model = createModel(setup.modelName, { ...setup.modelOptions, seed: 0 });
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let replica: Optimizer | null = null;
  // Between a step and the main thread's gradients: this thread's own, and the step.
  let awaiting: { own: Float32Array; request: WorkerStepRequest } | null = null;
  port.postMessage({ ready: true, shapes: variables.map((v) => v.shape) });

  const step = (request: WorkerStepRequest) => {
    if (request.weights !== undefined) {
      let offset = 0;
      tf.tidy(() => {
        for (const v of variables) {
          v.assign(tf.tensor(request.weights!.subarray(offset, offset + v.size), v.shape)); // like w
          offset += v.size;
        }
      });
    }
    if (request.optimizer !== undefined) {
      const state = request.optimizer;
      replica?.dispose();
      replica = createOptimizer(state.name, { ...state.hyper, learningRate: state.learningRate });
      replica.setState(state, variables);
    }
    const part = partGradients(
      model,
      setup.kind,
      variables,
      request.inputs,
      request.labels,
      setup.side,
      setup.j,
    );
    const own = flattenTensors(part.grads);
    tf.dispose(part.grads);
    awaiting = { own, request };
    const grads = own.slice(); // `own` stays here for the average
    port.postMessage({ loss: part.loss, correct: part.correct, grads }, [
      transferableBuffer(grads),
    ]);
  };

  // The same average as the main thread's (its gradient first), then the same optimiser step.
  const stepReplica = (message: WorkerGradientsMessage) => {
    if (awaiting === null || replica === null) {
      throw new Error("gradients arrived with no step waiting for them");
    }
    const { own, request } = awaiting;
    awaiting = null;
    const averaged = averageGradients(
      own,
      message.grads,
      own,
      request.mainWeight,
      request.workerWeight,
    );
    replica.learningRate = request.learningRate;
    stepWithFlatGradient(replica, variables, averaged, request.batchSize);
  };

  port.on("message", (message: Message) => {
    try {
      if (message.kind === "step") step(message);
      else if (message.kind === "gradients") stepReplica(message);
      else port.postMessage({ weights: flattenTensors(variables) });
    } catch (error) {
      port.postMessage({ error: (error as Error).message });
    }
  });
}

serve().catch((error: unknown) => {
  parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
});
