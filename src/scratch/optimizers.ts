/**
 * The optimisers' updates in plain TypeScript, on parameter records (./historical.ts,
 * ./modern.ts): the reference the engine's fused updates (src/engine/optimizers.as.ts) are held
 * to. The same formulas as src/train/optimizers.ts and sdlm.ts, which run them on tfjs tensors:
 *
 *   SGD:       w ← w − η·g
 *   momentum:  v ← m·v + g,  w ← w − η·v
 *   Adam:      m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,  w ← w − η·(m/(1 − β₁ᵗ))/(√(v/(1 − β₂ᵗ)) + ε)
 *   SDLM:      w ← w − η/(μ + h_kk)·g     (the paper's Appendix C; h from a Backward2 pass)
 *
 * Every function updates `params` (and the state records) in place; g is a record of the same
 * layout (the fixed RBF prototypes, absent from it, are left alone).
 *
 * Input shape / Output shape: records of one layout.
 * Departures from the paper: the paper trains with SDLM only.
 */
import { namedTensors, type Tensor } from "./tensor";

/** Pairs each gradient tensor with the tensors of the same name in the other records. */
function aligned(grads: object, ...records: object[]): { g: Tensor; others: Tensor[] }[] {
  const maps = records.map((r) => new Map(namedTensors(r)));
  return namedTensors(grads).map(([name, g]) => ({
    g,
    others: maps.map((m, i) => {
      const t = m.get(name);
      if (t === undefined || t.data.length !== g.data.length) {
        throw new RangeError(`optimizers: record ${i} has no ${name} of ${g.data.length} values`);
      }
      return t;
    }),
  }));
}

/**
 * w ← w − η·g.
 * @example
 * ```ts
 * sgdStep(params, grads, 0.01);
 * ```
 */
export function sgdStep(params: object, grads: object, rate: number): void {
  for (const {
    g,
    others: [w],
  } of aligned(grads, params)) {
    for (let i = 0; i < g.data.length; i++) w.data[i] -= rate * g.data[i];
  }
}

/**
 * v ← m·v + g, w ← w − η·v (PyTorch's form, as MomentumOptimizer).
 * @example
 * ```ts
 * momentumStep(params, grads, velocity, 0.01, 0.9); // velocity: zeros of the same layout
 * ```
 */
export function momentumStep(
  params: object,
  grads: object,
  velocity: object,
  rate: number,
  momentum: number,
): void {
  for (const {
    g,
    others: [w, v],
  } of aligned(grads, params, velocity)) {
    for (let i = 0; i < g.data.length; i++) {
      v.data[i] = momentum * v.data[i] + g.data[i];
      w.data[i] -= rate * v.data[i];
    }
  }
}

/** Adam's hyper-parameters and its step number t (1 for the first update). */
export interface AdamHyper {
  /** η. */
  rate: number;
  /** β₁. */
  beta1: number;
  /** β₂. */
  beta2: number;
  /** ε. */
  epsilon: number;
  /** The step number t ≥ 1 of the bias corrections. */
  t: number;
}

/**
 * Adam (Kingma & Ba 2015) with bias corrections, as AdamOptimizer.
 * @example
 * ```ts
 * adamStep(params, grads, m, v, { rate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, t: 1 });
 * ```
 */
export function adamStep(
  params: object,
  grads: object,
  m: object,
  v: object,
  hyper: AdamHyper,
): void {
  const c1 = 1 - hyper.beta1 ** hyper.t;
  const c2 = 1 - hyper.beta2 ** hyper.t;
  for (const {
    g,
    others: [w, mt, vt],
  } of aligned(grads, params, m, v)) {
    for (let i = 0; i < g.data.length; i++) {
      mt.data[i] = hyper.beta1 * mt.data[i] + (1 - hyper.beta1) * g.data[i];
      vt.data[i] = hyper.beta2 * vt.data[i] + (1 - hyper.beta2) * g.data[i] ** 2;
      w.data[i] -= (hyper.rate * (mt.data[i] / c1)) / (Math.sqrt(vt.data[i] / c2) + hyper.epsilon);
    }
  }
}

/**
 * The paper's SDLM update, ε_k = η/(μ + h_kk), w_k ← w_k − ε_k·g_k; without an estimate
 * (`hessian` null) every ε_k is η/μ.
 * @example
 * ```ts
 * sdlmStep(params, grads, hessian, 5e-4, 0.02);
 * ```
 */
export function sdlmStep(
  params: object,
  grads: object,
  hessian: object | null,
  rate: number,
  mu: number,
): void {
  const records = hessian === null ? [params] : [params, hessian];
  for (const {
    g,
    others: [w, h],
  } of aligned(grads, ...records)) {
    for (let i = 0; i < g.data.length; i++) {
      w.data[i] -= (rate / (mu + (h === undefined ? 0 : h.data[i]))) * g.data[i];
    }
  }
}
