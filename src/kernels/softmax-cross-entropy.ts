/**
 * Softmax cross-entropy (the modern net's loss, not in the paper) and its gradient as two host
 * kernels on the wasm and cpu backends, for ../layers/softmax-cross-entropy.ts: the scratch
 * twin's own loops (../scratch/softmax-cross-entropy.ts) on the logits where the backend keeps
 * them (N × 10 numbers), instead of some fifteen tfjs kernel calls per training step. Speed only:
 * the layer computes the same E with tfjs's ops wherever these are not registered
 * (docs/speed.md).
 *
 *   E = (1/N) Σ_n ( logΣexp(z_n) − z_{n, label_n} ),   ∂E/∂z = (softmax(z) − onehot(label)) / N
 *
 * Input shape: logits [N, C] (float32), labels [N] (class indices).
 * Output shape: the loss kernel a scalar [], the gradient kernel [N, C].
 */
import * as tf from "@tensorflow/tfjs";
import * as scratch from "../scratch/softmax-cross-entropy";
import { HOST_BACKENDS, hostTensors } from "./wasm-kernel";

/** The loss kernel's registered name (wasm and cpu): logits, labels → E. */
export const SOFTMAX_CROSS_ENTROPY = "Lenet5SoftmaxCrossEntropy";
/** The gradient kernel's registered name (wasm and cpu): logits, labels → ∂E/∂logits. */
export const SOFTMAX_CROSS_ENTROPY_GRAD = "Lenet5SoftmaxCrossEntropyGrad";

/** The inputs of both kernels as the scratch twin takes them. */
function hostInputs(
  backendName: (typeof HOST_BACKENDS)[number],
  args: Parameters<tf.KernelFunc>[0],
) {
  const io = hostTensors(backendName, args.backend);
  const { logits, labels } = args.inputs;
  if (logits === undefined || labels === undefined) {
    throw new Error(`${SOFTMAX_CROSS_ENTROPY}: needs logits and labels`);
  }
  if (logits.dtype !== "float32") {
    throw new Error(`${SOFTMAX_CROSS_ENTROPY}: logits are ${logits.dtype}, not float32`);
  }
  const host = { shape: logits.shape, data: io.values(logits) as Float32Array }; // [N, C]
  return { io, host, labels: io.values(labels) };
}

/** The loss kernel for `backendName`. */
function lossKernel(backendName: (typeof HOST_BACKENDS)[number]): tf.KernelFunc {
  return (args) => {
    const { io, host, labels } = hostInputs(backendName, args);
    return io.output([], Float32Array.of(scratch.softmaxCrossEntropy(host, labels))); // []
  };
}

/** The gradient kernel for `backendName`. */
function gradKernel(backendName: (typeof HOST_BACKENDS)[number]): tf.KernelFunc {
  return (args) => {
    const { io, host, labels } = hostInputs(backendName, args);
    const dz = scratch.softmaxCrossEntropyBackward(host, labels); // [N, C]
    return io.output([...host.shape], Float32Array.from(dz.data)); // [N, C]
  };
}

/**
 * Both kernels on wasm and cpu, which tfjs has no counterpart of; ./register.ts registers them
 * when `initBackend()` runs.
 */
export const softmaxCrossEntropyConfigs: readonly tf.KernelConfig[] = HOST_BACKENDS.flatMap(
  (backendName) => [
    { kernelName: SOFTMAX_CROSS_ENTROPY, backendName, kernelFunc: lossKernel(backendName) },
    { kernelName: SOFTMAX_CROSS_ENTROPY_GRAD, backendName, kernelFunc: gradKernel(backendName) },
  ],
);
