/**
 * Adam's per-weight update (Kingma & Ba 2015, Algorithm 1, with the bias corrections folded into
 * the step as AdamOptimizer does) fused into ONE tfjs kernel, `Lenet5AdamUpdate`, instead of the
 * 13 tf ops of the plain composition: every tf op costs engine overhead on the wasm backend
 * whatever its size, and a modern LeNet-5 step ran 13 × 10 of them for Adam.
 *
 *   m' = m·β₁ + g·(1 − β₁)
 *   v' = v·β₂ + (g·g)·(1 − β₂)
 *   w' = w − (m'·(η / mCorrection)) / (√(v' / vCorrection) + ε)
 *
 * with mCorrection = 1 − β₁ᵗ and vCorrection = 1 − β₂ᵗ at step t (the caller computes them).
 * Arithmetic: float32, rounded after every operation in the order above, with each constant
 * rounded to float32 as tfjs rounds a scalar operand. That is what the op chain computes on wasm
 * and cpu (measured: the same bits), so the fused update reproduces the old one exactly.
 *
 * Kernels for the "wasm" backend (a WebAssembly SIMD loop, `adamUpdate` in ./simd-kernels.as.ts, on the backend's
 * own heap; a JavaScript loop on heap views where that cannot run) and for the "cpu" backend;
 * {@link adamUpdate} falls back to {@link adamUpdateOps}, the op chain, on any other backend
 * (webgl, tfjs-node). `initBackend()` registers the kernels (./register.ts). The kernel
 * returns new tensors and never writes its inputs: tfjs may share data between tensors. No
 * gradient is registered: an optimiser update is never differentiated.
 *
 * Input shape: w, m, v, g all of one shape (the weight's), float32.
 * Output shape: [w', m', v'], each of that shape.
 * Departures: Adam is not in the paper (LeCun et al. 1998 train with SDLM, Appendix C).
 */
import * as tf from "@tensorflow/tfjs";
import { heapOffset, simdKernelsFor, type WasmBackendInternals } from "./simd-kernels";
import { cpuFloat32, type CpuKernelBackend, type KernelArgs } from "./wasm-kernel";

/** The fused kernel's registered name. */
export const ADAM_UPDATE = "Lenet5AdamUpdate";

/** The backends {@link ADAM_UPDATE} has a kernel for (others use {@link adamUpdateOps}). */
export const ADAM_UPDATE_BACKENDS = ["wasm", "cpu"] as const;

/** Hyperparameters of one Adam update, the fused kernel's attributes. */
export interface AdamUpdateHyper {
  /** Global learning rate η. */
  readonly learningRate: number;
  /** Decay rate β₁ of the first-moment estimate m. */
  readonly beta1: number;
  /** Decay rate β₂ of the second-moment estimate v. */
  readonly beta2: number;
  /** ε added to √v̂ in the denominator. */
  readonly epsilon: number;
  /** Bias correction of m at step t: 1 − β₁ᵗ. */
  readonly mCorrection: number;
  /** Bias correction of v at step t: 1 − β₂ᵗ. */
  readonly vCorrection: number;
}

/** The three results of one update, in the kernel's output order: new weight, m and v. */
export type AdamUpdateResult<T> = readonly [wNew: T, mNew: T, vNew: T];

/**
 * The formula of the file header in plain loops on Float32Arrays, every operation rounded to
 * float32 (`Math.fround`): the reference the kernels are tested against. Returns new arrays; the
 * inputs are not changed.
 * @example
 * ```ts
 * // First step (t = 1) of w = 1 with g = 3, η = 0.1: m' = 0.3, v' = 0.009, and
 * // w' = 1 − (0.3·(0.1/0.1)) / (√(0.009/0.001) + 1e-8) ≈ 1 − 0.3/3 = 0.9.
 * const hyper = { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8,
 *   mCorrection: 1 - 0.9, vCorrection: 1 - 0.999 };
 * const [wNew, mNew, vNew] = adamUpdateReference(
 *   Float32Array.of(1), Float32Array.of(0), Float32Array.of(0), Float32Array.of(3), hyper);
 * // wNew ≈ [0.9], mNew ≈ [0.3], vNew ≈ [0.009]
 * ```
 */
export function adamUpdateReference(
  w: Float32Array,
  m: Float32Array,
  v: Float32Array,
  g: Float32Array,
  hyper: AdamUpdateHyper,
): AdamUpdateResult<Float32Array> {
  const f32 = Math.fround;
  const beta1 = f32(hyper.beta1);
  const beta2 = f32(hyper.beta2);
  const epsilon = f32(hyper.epsilon);
  const vCorrection = f32(hyper.vCorrection);
  const wNew = new Float32Array(w.length);
  const mNew = new Float32Array(w.length);
  const vNew = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) {
    mNew[i] = f32(m[i] * beta1) + f32(g[i] * f32(1 - hyper.beta1));
    vNew[i] = f32(v[i] * beta2) + f32(f32(g[i] * g[i]) * f32(1 - hyper.beta2));
    const denominator = f32(f32(Math.sqrt(f32(vNew[i] / vCorrection))) + epsilon);
    const step = f32(f32(mNew[i] * f32(hyper.learningRate / hyper.mCorrection)) / denominator);
    wNew[i] = w[i] - step; // stored, so rounded, like mNew[i] and vNew[i]
  }
  return [wNew, mNew, vNew];
}

/** The update's constants as float32 values, as tfjs makes its scalar operands. */
function float32Constants(hyper: AdamUpdateHyper) {
  const f32 = Math.fround;
  return {
    beta1: f32(hyper.beta1),
    oneMinusBeta1: f32(1 - hyper.beta1),
    beta2: f32(hyper.beta2),
    oneMinusBeta2: f32(1 - hyper.beta2),
    stepSize: f32(hyper.learningRate / hyper.mCorrection),
    vCorrection: f32(hyper.vCorrection),
    epsilon: f32(hyper.epsilon),
  };
}

/**
 * The kernels' JavaScript loop: the reference's arithmetic, operation for operation (so bit for
 * bit), with the constants hoisted. Writes only the three output arrays.
 */
function adamUpdateInto(
  inputs: { w: Float32Array; m: Float32Array; v: Float32Array; g: Float32Array },
  outputs: AdamUpdateResult<Float32Array>,
  hyper: AdamUpdateHyper,
): void {
  const f32 = Math.fround;
  const { w, m, v, g } = inputs;
  const [wNew, mNew, vNew] = outputs;
  const { beta1, oneMinusBeta1, beta2, oneMinusBeta2, stepSize, vCorrection, epsilon } =
    float32Constants(hyper);
  for (let i = 0; i < w.length; i++) {
    const gi = g[i];
    const mi = f32(f32(m[i] * beta1) + f32(gi * oneMinusBeta1));
    const vi = f32(f32(v[i] * beta2) + f32(f32(gi * gi) * oneMinusBeta2));
    mNew[i] = mi;
    vNew[i] = vi;
    const denominator = f32(f32(Math.sqrt(f32(vi / vCorrection))) + epsilon);
    wNew[i] = w[i] - f32(f32(mi * stepSize) / denominator);
  }
}

/** The four inputs of a kernel call, checked: present, float32, all of one size. */
function checkedInputs(args: KernelArgs): Record<"w" | "m" | "v" | "g", tf.TensorInfo> {
  const { w, m, v, g } = args.inputs;
  if (w === undefined || m === undefined || v === undefined || g === undefined) {
    throw new Error(`${ADAM_UPDATE}: needs inputs w, m, v and g`);
  }
  const size = tf.util.sizeFromShape(w.shape);
  for (const [name, info] of Object.entries({ w, m, v, g })) {
    if (info.dtype !== "float32") {
      throw new Error(`${ADAM_UPDATE}: input ${name} is ${info.dtype}, not float32`);
    }
    if (tf.util.sizeFromShape(info.shape) !== size) {
      throw new Error(`${ADAM_UPDATE}: input ${name} has shape [${info.shape}], w [${w.shape}]`);
    }
  }
  return { w, m, v, g };
}

/**
 * The wasm kernel: three new heap tensors written by the SIMD loop, or by the JavaScript loop
 * through heap views where the SIMD loop cannot run.
 */
function adamUpdateWasm(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as WasmBackendInternals;
  const inputs = checkedInputs(args);
  const hyper = args.attrs as unknown as AdamUpdateHyper;
  const shape = [...inputs.w.shape];
  const outputs = [0, 1, 2].map(() => backend.makeOutput(shape, "float32")); // [w', m', v'], like w
  const simd = simdKernelsFor(backend);
  if (simd !== undefined) {
    const offset = (info: tf.TensorInfo) => heapOffset(backend, info);
    const c = float32Constants(hyper);
    simd.adamUpdate(
      offset(inputs.w),
      offset(inputs.m),
      offset(inputs.v),
      offset(inputs.g),
      offset(outputs[0]),
      offset(outputs[1]),
      offset(outputs[2]),
      tf.util.sizeFromShape(shape),
      c.beta1,
      c.oneMinusBeta1,
      c.beta2,
      c.oneMinusBeta2,
      c.stepSize,
      c.vCorrection,
      c.epsilon,
    );
    return outputs;
  }
  // Views only now: each makeOutput may grow the wasm memory, which replaces the heap's buffer.
  const view = (info: tf.TensorInfo) => backend.typedArrayFromHeap(info);
  adamUpdateInto(
    { w: view(inputs.w), m: view(inputs.m), v: view(inputs.v), g: view(inputs.g) },
    [view(outputs[0]), view(outputs[1]), view(outputs[2])],
    hyper,
  );
  return outputs;
}

/** The cpu kernel: reads the inputs' Float32Arrays, hands three new arrays to the backend. */
function adamUpdateCpu(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as CpuKernelBackend;
  const inputs = checkedInputs(args);
  const hyper = args.attrs as unknown as AdamUpdateHyper;
  const read = (info: tf.TensorInfo): Float32Array => cpuFloat32(backend, info, ADAM_UPDATE);
  const size = tf.util.sizeFromShape(inputs.w.shape);
  const outputs = [0, 1, 2].map(() => new Float32Array(size)); // [w', m', v'], like w
  adamUpdateInto(
    { w: read(inputs.w), m: read(inputs.m), v: read(inputs.v), g: read(inputs.g) },
    [outputs[0], outputs[1], outputs[2]],
    hyper,
  );
  return outputs.map((values) => backend.makeTensorInfo([...inputs.w.shape], "float32", values));
}

/**
 * {@link ADAM_UPDATE} for each of {@link ADAM_UPDATE_BACKENDS}; ./register.ts registers them when
 * `initBackend()` runs (until then {@link adamUpdate} runs the op chain, with the same bits).
 */
export const adamUpdateConfigs: readonly tf.KernelConfig[] = [
  { kernelName: ADAM_UPDATE, backendName: "wasm", kernelFunc: adamUpdateWasm },
  { kernelName: ADAM_UPDATE, backendName: "cpu", kernelFunc: adamUpdateCpu },
];

/**
 * The update of the file header as a composition of 13 tf ops: the fallback of
 * {@link adamUpdate} on backends without the fused kernel, and exactly the arithmetic
 * AdamOptimizer used before the kernel existed. The caller owns the three results.
 * @example
 * ```ts
 * const hyper = { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8,
 *   mCorrection: 1 - 0.9, vCorrection: 1 - 0.999 };
 * const [wNew, mNew, vNew] = adamUpdateOps(
 *   tf.scalar(1), tf.scalar(0), tf.scalar(0), tf.scalar(3), hyper); // ≈ 0.9, 0.3, 0.009
 * ```
 */
export function adamUpdateOps(
  w: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  g: tf.Tensor,
  hyper: AdamUpdateHyper,
): AdamUpdateResult<tf.Tensor> {
  const { learningRate, beta1, beta2, epsilon, mCorrection, vCorrection } = hyper;
  const [wNew, mNew, vNew] = tf.tidy(() => {
    const mNext = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)); // like w
    const vNext = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)); // like w
    const denominator = tf.add(tf.sqrt(tf.div(vNext, vCorrection)), epsilon); // like w
    const update = tf.div(tf.mul(mNext, learningRate / mCorrection), denominator); // like w
    return [tf.sub(w, update), mNext, vNext]; // like w each
  });
  return [wNew, mNew, vNew];
}

/**
 * One Adam update of one weight tensor: [w', m', v'] of the file header, as new tensors (the
 * inputs are not changed; the caller owns the results). One kernel call on the wasm and cpu
 * backends, the 13-op {@link adamUpdateOps} on others.
 * @throws Error if the four tensors differ in shape or are not float32.
 * @example
 * ```ts
 * const hyper = { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8,
 *   mCorrection: 1 - 0.9, vCorrection: 1 - 0.999 }; // step t = 1
 * const w = tf.tensor1d([1, 2]);
 * const zeros = tf.zeros([2]);
 * const [wNew, mNew, vNew] = adamUpdate(w, zeros, zeros, tf.tensor1d([3, -0.5]), hyper);
 * // the first step moves each weight by η against its gradient's sign: wNew ≈ [0.9, 2.1]
 * ```
 */
export function adamUpdate(
  w: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  g: tf.Tensor,
  hyper: AdamUpdateHyper,
): AdamUpdateResult<tf.Tensor> {
  for (const [name, t] of Object.entries({ w, m, v, g })) {
    if (t.dtype !== "float32") throw new Error(`adamUpdate: ${name} is ${t.dtype}, not float32`);
    if (!tf.util.arraysEqual(t.shape, w.shape)) {
      throw new Error(`adamUpdate: ${name} has shape [${t.shape}], w [${w.shape}]`);
    }
  }
  if (tf.getKernel(ADAM_UPDATE, tf.getBackend()) === undefined) {
    return adamUpdateOps(w, m, v, g, hyper);
  }
  const attrs: tf.NamedAttrMap = {
    learningRate: hyper.learningRate,
    beta1: hyper.beta1,
    beta2: hyper.beta2,
    epsilon: hyper.epsilon,
    mCorrection: hyper.mCorrection,
    vCorrection: hyper.vCorrection,
  };
  const [wNew, mNew, vNew] = tf
    .engine()
    .runKernel(ADAM_UPDATE, { w, m, v, g }, attrs) as tf.Tensor[]; // like w each
  return [wNew, mNew, vNew];
}
