// AssemblyScript: the optimiser updates of the whole-step engine over a flat parameter record —
// the fast twins of src/train/optimizers.ts and sdlm.ts (same formulas; engine.test.ts checks
// the weights after 100 steps against the plain TypeScript step). `scale` turns the engine's
// summed gradient into the one the optimiser expects: 1/N for a mean, 1 for SDLM's sum.
//
//   SGD:       w ← w − η·g
//   momentum:  v ← m·v + g,  w ← w − η·v
//   Adam:      m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,  w ← w − η·(m/c₁)/(√(v/c₂) + ε)
//   SDLM:      w ← w − η/(μ + h)·g

/** w ← w − rate·scale·g. */
export function sgdUpdate(w: usize, g: usize, count: i32, rate: f32, scale: f32): void {
  const step = f32x4.splat(rate * scale);
  const whole = count & ~3;
  for (let i = 0; i < whole; i += 4) {
    const at = (<usize>i) << 2;
    v128.store(w + at, f32x4.sub(v128.load(w + at), f32x4.mul(step, v128.load(g + at))));
  }
  for (let i = whole; i < count; i++) {
    const at = (<usize>i) << 2;
    store<f32>(w + at, load<f32>(w + at) - rate * scale * load<f32>(g + at));
  }
}

/** v ← m·v + scale·g, w ← w − rate·v (four weights per vector, each the scalar formula). */
export function momentumUpdate(
  w: usize,
  g: usize,
  v: usize,
  count: i32,
  rate: f32,
  momentum: f32,
  scale: f32,
): void {
  const whole = count & ~3;
  const mv = f32x4.splat(momentum);
  const sv = f32x4.splat(scale);
  const rv = f32x4.splat(rate);
  for (let i = 0; i < whole; i += 4) {
    const at = (<usize>i) << 2;
    const velocity = f32x4.add(f32x4.mul(mv, v128.load(v + at)), f32x4.mul(sv, v128.load(g + at)));
    v128.store(v + at, velocity);
    v128.store(w + at, f32x4.sub(v128.load(w + at), f32x4.mul(rv, velocity)));
  }
  for (let i = whole; i < count; i++) {
    const at = (<usize>i) << 2;
    const velocity = momentum * load<f32>(v + at) + scale * load<f32>(g + at);
    store<f32>(v + at, velocity);
    store<f32>(w + at, load<f32>(w + at) - rate * velocity);
  }
}

/**
 * Adam with bias corrections c₁ = 1 − β₁ᵗ and c₂ = 1 − β₂ᵗ, on the gradient scale·g. Four
 * weights per vector: each lane does the scalar tail's operations in its order, and IEEE
 * arithmetic (√ and ÷ included) rounds the same in a lane as in a scalar.
 */
export function adamUpdate(
  w: usize,
  g: usize,
  m: usize,
  v: usize,
  count: i32,
  rate: f32,
  beta1: f32,
  beta2: f32,
  epsilon: f32,
  c1: f32,
  c2: f32,
  scale: f32,
): void {
  const whole = count & ~3;
  const sv = f32x4.splat(scale);
  const b1 = f32x4.splat(beta1);
  const b2 = f32x4.splat(beta2);
  const ob1 = f32x4.splat(1 - beta1);
  const ob2 = f32x4.splat(1 - beta2);
  const rv = f32x4.splat(rate);
  const c1v = f32x4.splat(c1);
  const c2v = f32x4.splat(c2);
  const ev = f32x4.splat(epsilon);
  for (let i = 0; i < whole; i += 4) {
    const at = (<usize>i) << 2;
    const grad = f32x4.mul(sv, v128.load(g + at));
    const mi = f32x4.add(f32x4.mul(b1, v128.load(m + at)), f32x4.mul(ob1, grad));
    const vi = f32x4.add(f32x4.mul(b2, v128.load(v + at)), f32x4.mul(f32x4.mul(ob2, grad), grad));
    v128.store(m + at, mi);
    v128.store(v + at, vi);
    const stepSize = f32x4.div(
      f32x4.mul(rv, f32x4.div(mi, c1v)),
      f32x4.add(f32x4.sqrt(f32x4.div(vi, c2v)), ev),
    );
    v128.store(w + at, f32x4.sub(v128.load(w + at), stepSize));
  }
  for (let i = whole; i < count; i++) {
    const at = (<usize>i) << 2;
    const grad = scale * load<f32>(g + at);
    const mi = beta1 * load<f32>(m + at) + (1 - beta1) * grad;
    const vi = beta2 * load<f32>(v + at) + (1 - beta2) * grad * grad;
    store<f32>(m + at, mi);
    store<f32>(v + at, vi);
    store<f32>(w + at, load<f32>(w + at) - (rate * (mi / c1)) / (Mathf.sqrt(vi / c2) + epsilon));
  }
}

/** w ← w − rate/(mu + h)·scale·g; h = 0 (no estimate yet) gives the rate η/μ. Four per vector. */
export function sdlmUpdate(
  w: usize,
  g: usize,
  h: usize,
  count: i32,
  rate: f32,
  mu: f32,
  scale: f32,
): void {
  const whole = count & ~3;
  const rv = f32x4.splat(rate);
  const muv = f32x4.splat(mu);
  const sv = f32x4.splat(scale);
  for (let i = 0; i < whole; i += 4) {
    const at = (<usize>i) << 2;
    const curvature = h == 0 ? f32x4.splat(0) : v128.load(h + at);
    const epsilon = f32x4.div(rv, f32x4.add(muv, curvature));
    const step = f32x4.mul(f32x4.mul(epsilon, sv), v128.load(g + at));
    v128.store(w + at, f32x4.sub(v128.load(w + at), step));
  }
  for (let i = whole; i < count; i++) {
    const at = (<usize>i) << 2;
    const curvature: f32 = h == 0 ? 0 : load<f32>(h + at);
    store<f32>(w + at, load<f32>(w + at) - (rate / (mu + curvature)) * scale * load<f32>(g + at));
  }
}
