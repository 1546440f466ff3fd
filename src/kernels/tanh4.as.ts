// AssemblyScript, imported (inlined) by both of lenet5's WebAssembly modules: the SIMD kernels
// (./simd-kernels.as.ts) and the whole-step engine (src/engine/ops.as.ts).
//
// tanh as x·P(x²)/Q(x²) (Eigen's float32 rational approximation, as ./tanh.ts), 4 lanes at once.
const TANH_CLAMP: f32 = 7.90531110763549805;
const TANH_TINY: f32 = 0.0004;

@inline
export function tanh4(v: v128): v128 {
  const x = f32x4.pmin(f32x4.pmax(v, f32x4.splat(-TANH_CLAMP)), f32x4.splat(TANH_CLAMP));
  const x2 = f32x4.mul(x, x);
  let p = f32x4.splat(-2.76076847742355e-16);
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(2.00018790482477e-13));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(-8.60467152213735e-11));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(5.12229709037114e-8));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(1.48572235717979e-5));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(6.37261928875436e-4));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(4.89352455891786e-3));
  p = f32x4.mul(p, x);
  let q = f32x4.splat(1.19825839466702e-6);
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(1.18534705686654e-4));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(2.268434632439e-3));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(4.89352518554385e-3));
  // Below TANH_TINY, tanh(x) = x to float32 precision (and the ratio would lose digits).
  const tiny = f32x4.lt(f32x4.abs(v), f32x4.splat(TANH_TINY));
  return v128.bitselect(v, f32x4.div(p, q), tiny);
}
