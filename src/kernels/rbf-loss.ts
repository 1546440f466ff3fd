/**
 * The paper's RBF loss (Section II-C, eq. 9) and its gradient as two host kernels on the wasm and
 * cpu backends, for ../layers/rbf-loss.ts: the scratch twin's own loops (../scratch/rbf-loss.ts)
 * on the distances where the backend keeps them (N × 10 numbers), instead of some twenty tfjs
 * kernel calls per training step. Speed only: the layer computes the same E with tfjs's ops
 * wherever these are not registered (docs/speed.md).
 *
 *   E = (1/P) Σ_p ( y_{D_p} + log( e^{−j} + Σ_i e^{−y_i} ) )
 *   ∂E/∂y_k = ([k = D] − e^{−y_k} / (e^{−j} + Σ_i e^{−y_i})) / P
 *
 * Input shape: y [N, U] (float32 distances), labels [N] (class indices); attribute j.
 * Output shape: the loss kernel a scalar [], the gradient kernel [N, U].
 */
import * as tf from "@tensorflow/tfjs";
import * as scratch from "../scratch/rbf-loss";
import { HOST_BACKENDS, hostTensors } from "./wasm-kernel";

/** The loss kernel's registered name (wasm and cpu): y, labels → E. */
export const RBF_LOSS = "Lenet5RbfLoss";
/** The gradient kernel's registered name (wasm and cpu): y, labels → ∂E/∂y. */
export const RBF_LOSS_GRAD = "Lenet5RbfLossGrad";

/** The inputs of both kernels as the scratch twin takes them. */
function hostInputs(
  backendName: (typeof HOST_BACKENDS)[number],
  args: Parameters<tf.KernelFunc>[0],
) {
  const io = hostTensors(backendName, args.backend);
  const { y, labels } = args.inputs;
  if (y === undefined || labels === undefined) throw new Error(`${RBF_LOSS}: needs y and labels`);
  if (y.dtype !== "float32") throw new Error(`${RBF_LOSS}: y is ${y.dtype}, not float32`);
  const host = { shape: y.shape, data: io.values(y) as Float32Array }; // [N, U]
  const { j } = args.attrs as { j: number };
  return { io, host, labels: io.values(labels), j };
}

/** The loss kernel for `backendName`. */
function rbfLossKernel(backendName: (typeof HOST_BACKENDS)[number]): tf.KernelFunc {
  return (args) => {
    const { io, host, labels, j } = hostInputs(backendName, args);
    return io.output([], Float32Array.of(scratch.rbfLoss(host, labels, { j }))); // []
  };
}

/** The gradient kernel for `backendName`. */
function rbfLossGradKernel(backendName: (typeof HOST_BACKENDS)[number]): tf.KernelFunc {
  return (args) => {
    const { io, host, labels, j } = hostInputs(backendName, args);
    const dy = scratch.rbfLossBackward(host, labels, { j }); // [N, U]
    return io.output([...host.shape], Float32Array.from(dy.data)); // [N, U]
  };
}

/**
 * Both kernels on wasm and cpu, which tfjs has no counterpart of; ./register.ts registers them
 * when `initBackend()` runs.
 */
export const rbfLossConfigs: readonly tf.KernelConfig[] = HOST_BACKENDS.flatMap((backendName) => [
  { kernelName: RBF_LOSS, backendName, kernelFunc: rbfLossKernel(backendName) },
  { kernelName: RBF_LOSS_GRAD, backendName, kernelFunc: rbfLossGradKernel(backendName) },
]);
