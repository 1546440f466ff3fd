// AssemblyScript (not TypeScript: `v128`, `load<f32>` and `@inline` are AssemblyScript's): the
// layer ops of lenet5's whole-step engine, one example at a time, WebAssembly SIMD where it pays.
// Each is the fast twin of an op in src/scratch/ and computes the same formula; the tests hold
// the whole step to src/scratch/historical.ts and modern.ts (engine.test.ts).
//
// Pointers are byte offsets into the engine's own memory; nothing here allocates or checks
// bounds (src/engine/layout.ts lays the memory out and the wrapper checks every input).
// Layouts inside the engine are speed choices, invisible outside it: C1's and S2's maps are
// planar ([C][H][W]: C1 is vectorised over x), C3 onwards NHWC ([H][W][C]: vectorised over the
// channels). Weights keep the record layout of src/scratch/ (NHWC kernels [KH, KW, Cin, Cout],
// dense [In, Out]).
//
// Second derivatives reuse the backward ops with squared inputs and weights (a Backward2 is the
// backward with every factor squared, src/scratch/*.ts); only the squashing function and the
// losses have second-derivative ops of their own.

// ---------------------------------------------------------------------------------------------
// Small helpers

import { tanh4 } from "../kernels/tanh4.as";

@inline
export function f32At(base: usize, index: i32): f32 {
  return load<f32>(base + (<usize>index << 2));
}

/** The address of float `offset` of a region (regions are laid out in floats). */
@inline
export function at(base: usize, offset: i32): usize {
  return base + (<usize>offset << 2);
}

@inline
export function setF32(base: usize, index: i32, value: f32): void {
  store<f32>(base + (<usize>index << 2), value);
}

@inline
function hsum(v: v128): f32 {
  const pairs = f32x4.add(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(pairs, 0) + f32x4.extract_lane(pairs, 1);
}

/** dst[i] = 0 for `count` floats. */
export function zero(dst: usize, count: i32): void {
  memory.fill(dst, 0, <usize>count << 2);
}

/** dst[i] += src[i] for `count` floats. */
export function addInto(dst: usize, src: usize, count: i32): void {
  const whole = count & ~3;
  for (let i = 0; i < whole; i += 4) {
    const at = <usize>i << 2;
    v128.store(dst + at, f32x4.add(v128.load(dst + at), v128.load(src + at)));
  }
  for (let i = whole; i < count; i++) setF32(dst, i, f32At(dst, i) + f32At(src, i));
}

/** dst[i] = src[i]² for `count` floats. */
export function squareInto(dst: usize, src: usize, count: i32): void {
  const whole = count & ~3;
  for (let i = 0; i < whole; i += 4) {
    const at = <usize>i << 2;
    const v = v128.load(src + at);
    v128.store(dst + at, f32x4.mul(v, v));
  }
  for (let i = whole; i < count; i++) {
    const v = f32At(src, i);
    setF32(dst, i, v * v);
  }
}

/** dst[i] = src[i] · factor for `count` floats (dst may be src). */
export function scaleInto(dst: usize, src: usize, count: i32, factor: f32): void {
  const f = f32x4.splat(factor);
  const whole = count & ~3;
  for (let i = 0; i < whole; i += 4) {
    const at = <usize>i << 2;
    v128.store(dst + at, f32x4.mul(v128.load(src + at), f));
  }
  for (let i = whole; i < count; i++) setF32(dst, i, f32At(src, i) * factor);
}

// ---------------------------------------------------------------------------------------------
// The squashing function f(a) = A·tanh(S·a) (scratch/scaled-tanh.ts), and ReLU (scratch/relu.ts)


/** y ← A·tanh(S·y) in place, `count` floats (the tail through one vector, same arithmetic). */
export function scaledTanhInPlace(y: usize, count: i32, a: f32, s: f32): void {
  const scale = f32x4.splat(s);
  const amplitude = f32x4.splat(a);
  const whole = count & ~3;
  for (let i = 0; i < whole; i += 4) {
    const at = y + (<usize>i << 2);
    v128.store(at, f32x4.mul(amplitude, tanh4(f32x4.mul(scale, v128.load(at)))));
  }
  for (let i = whole; i < count; i++) {
    const r = f32x4.mul(amplitude, tanh4(f32x4.mul(scale, f32x4.splat(f32At(y, i)))));
    setF32(y, i, f32x4.extract_lane(r, 0));
  }
}

/**
 * Backward of f from its output y: d ← d·f'(a) with f'(a) = (S/A)(A² − y²), in place; with
 * `squared` the Gauss–Newton second-derivative pass, d ← d·f'(a)².
 */
export function scaledTanhBackwardInPlace(
  y: usize,
  d: usize,
  count: i32,
  a: f32,
  s: f32,
  squared: bool,
): void {
  const ratio = f32x4.splat(s / a);
  const square = f32x4.splat(a * a);
  const whole = count & ~3;
  for (let i = 0; i < whole; i += 4) {
    const at = <usize>i << 2;
    const out = v128.load(y + at);
    let slope = f32x4.mul(ratio, f32x4.sub(square, f32x4.mul(out, out)));
    if (squared) slope = f32x4.mul(slope, slope);
    v128.store(d + at, f32x4.mul(v128.load(d + at), slope));
  }
  for (let i = whole; i < count; i++) {
    const out = f32At(y, i);
    let slope = (s / a) * (a * a - out * out);
    if (squared) slope *= slope;
    setF32(d, i, f32At(d, i) * slope);
  }
}

/** y ← max(0, y) in place; NaN stays NaN (IEEE max, as tfjs and scratch/relu.ts). */
export function reluInPlace(y: usize, count: i32): void {
  const zeros = f32x4.splat(0);
  const whole = count & ~3;
  for (let i = 0; i < whole; i += 4) {
    const at = y + (<usize>i << 2);
    v128.store(at, f32x4.max(zeros, v128.load(at)));
  }
  for (let i = whole; i < count; i++) setF32(y, i, max<f32>(0, f32At(y, i)));
}

/** d ← d where y > 0, else 0 (ReLU's backward from its output; also its second derivative). */
export function reluBackwardInPlace(y: usize, d: usize, count: i32): void {
  const zeros = f32x4.splat(0);
  const whole = count & ~3;
  for (let i = 0; i < whole; i += 4) {
    const at = <usize>i << 2;
    const open = f32x4.gt(v128.load(y + at), zeros);
    v128.store(d + at, v128.and(v128.load(d + at), open));
  }
  for (let i = whole; i < count; i++) {
    if (!(f32At(y, i) > 0)) setF32(d, i, 0);
  }
}

// ---------------------------------------------------------------------------------------------
// C1: a 5×5 convolution of one input plane into six planar maps (scratch/conv2d.ts)

/**
 * y[c][oy][ox] = b[c] + Σ_{ky,kx} x[oy + ky][ox + kx]·k[(ky·5 + kx)·6 + c], for a planar input
 * of width `xw` and outputs of outH × outW (outW a multiple of 4). Vectorised over 4 x positions.
 */
export function conv1Forward(
  x: usize,
  xw: i32,
  k: usize,
  b: usize,
  y: usize,
  outH: i32,
  outW: i32,
): void {
  const plane = <usize>(outH * outW) << 2;
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox += 4) {
      let a0 = v128.load32_splat(b, 0);
      let a1 = v128.load32_splat(b, 4);
      let a2 = v128.load32_splat(b, 8);
      let a3 = v128.load32_splat(b, 12);
      let a4 = v128.load32_splat(b, 16);
      let a5 = v128.load32_splat(b, 20);
      for (let ky = 0; ky < 5; ky++) {
        const row = x + (<usize>((oy + ky) * xw + ox) << 2);
        for (let kx = 0; kx < 5; kx++) {
          const xv = v128.load(row + (<usize>kx << 2));
          const tap = k + (<usize>((ky * 5 + kx) * 6) << 2);
          a0 = f32x4.add(a0, f32x4.mul(xv, v128.load32_splat(tap, 0)));
          a1 = f32x4.add(a1, f32x4.mul(xv, v128.load32_splat(tap, 4)));
          a2 = f32x4.add(a2, f32x4.mul(xv, v128.load32_splat(tap, 8)));
          a3 = f32x4.add(a3, f32x4.mul(xv, v128.load32_splat(tap, 12)));
          a4 = f32x4.add(a4, f32x4.mul(xv, v128.load32_splat(tap, 16)));
          a5 = f32x4.add(a5, f32x4.mul(xv, v128.load32_splat(tap, 20)));
        }
      }
      const at = y + (<usize>(oy * outW + ox) << 2);
      v128.store(at, a0);
      v128.store(at + plane, a1);
      v128.store(at + 2 * plane, a2);
      v128.store(at + 3 * plane, a3);
      v128.store(at + 4 * plane, a4);
      v128.store(at + 5 * plane, a5);
    }
  }
}

/**
 * C1's filter and bias gradients, accumulated: dk[(ky·5 + kx)·6 + c] += Σ x[oy + ky][ox + kx]·
 * dy[c][oy][ox], db[c] += Σ dy[c]. dy planar [6][outH][outW] (outW a multiple of 4).
 */
export function conv1FilterGrad(
  x: usize,
  xw: i32,
  dy: usize,
  dk: usize,
  db: usize,
  outH: i32,
  outW: i32,
): void {
  const plane = <usize>(outH * outW) << 2;
  for (let c = 0; c < 6; c++) {
    let sum = f32x4.splat(0);
    const base = dy + <usize>c * plane;
    for (let i = 0; i < outH * outW; i += 4) sum = f32x4.add(sum, v128.load(base + (<usize>i << 2)));
    setF32(db, c, f32At(db, c) + hsum(sum));
  }
  for (let ky = 0; ky < 5; ky++) {
    for (let kx = 0; kx < 5; kx++) {
      let a0 = f32x4.splat(0);
      let a1 = f32x4.splat(0);
      let a2 = f32x4.splat(0);
      let a3 = f32x4.splat(0);
      let a4 = f32x4.splat(0);
      let a5 = f32x4.splat(0);
      for (let oy = 0; oy < outH; oy++) {
        const row = x + (<usize>((oy + ky) * xw + kx) << 2);
        const drow = dy + (<usize>(oy * outW) << 2);
        for (let ox = 0; ox < outW; ox += 4) {
          const xv = v128.load(row + (<usize>ox << 2));
          const d = drow + (<usize>ox << 2);
          a0 = f32x4.add(a0, f32x4.mul(xv, v128.load(d)));
          a1 = f32x4.add(a1, f32x4.mul(xv, v128.load(d + plane)));
          a2 = f32x4.add(a2, f32x4.mul(xv, v128.load(d + 2 * plane)));
          a3 = f32x4.add(a3, f32x4.mul(xv, v128.load(d + 3 * plane)));
          a4 = f32x4.add(a4, f32x4.mul(xv, v128.load(d + 4 * plane)));
          a5 = f32x4.add(a5, f32x4.mul(xv, v128.load(d + 5 * plane)));
        }
      }
      const tap = (ky * 5 + kx) * 6;
      setF32(dk, tap, f32At(dk, tap) + hsum(a0));
      setF32(dk, tap + 1, f32At(dk, tap + 1) + hsum(a1));
      setF32(dk, tap + 2, f32At(dk, tap + 2) + hsum(a2));
      setF32(dk, tap + 3, f32At(dk, tap + 3) + hsum(a3));
      setF32(dk, tap + 4, f32At(dk, tap + 4) + hsum(a4));
      setF32(dk, tap + 5, f32At(dk, tap + 5) + hsum(a5));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// C3: a 5×5 convolution of six planar 14×14 maps into sixteen NHWC 10×10 maps. The kernel is
// the full [5, 5, 6, 16] (for `historical`, Table I's packed kernel expanded with zeros by
// expandTableKernel: exact zeros add nothing, and four output maps fill one vector).

/** y[oy][ox][0..16] = b + Σ_{ky,kx,ci} x[ci][oy + ky][ox + kx]·k[ky][kx][ci][0..16], two pixels at a time. */
export function conv3Forward(x: usize, k: usize, b: usize, y: usize): void {
  for (let oy = 0; oy < 10; oy++) {
    for (let ox = 0; ox < 10; ox += 2) {
      let p0 = v128.load(b, 0);
      let p1 = v128.load(b, 16);
      let p2 = v128.load(b, 32);
      let p3 = v128.load(b, 48);
      let q0 = p0;
      let q1 = p1;
      let q2 = p2;
      let q3 = p3;
      for (let ky = 0; ky < 5; ky++) {
        for (let kx = 0; kx < 5; kx++) {
          const taps = k + (<usize>((ky * 5 + kx) * 96) << 2);
          for (let ci = 0; ci < 6; ci++) {
            const kk = taps + (<usize>(ci * 16) << 2);
            const k0 = v128.load(kk, 0);
            const k1 = v128.load(kk, 16);
            const k2 = v128.load(kk, 32);
            const k3 = v128.load(kk, 48);
            const xa = x + (<usize>((ci * 14 + oy + ky) * 14 + ox + kx) << 2);
            const x0 = v128.load32_splat(xa, 0);
            const x1 = v128.load32_splat(xa, 4);
            p0 = f32x4.add(p0, f32x4.mul(x0, k0));
            p1 = f32x4.add(p1, f32x4.mul(x0, k1));
            p2 = f32x4.add(p2, f32x4.mul(x0, k2));
            p3 = f32x4.add(p3, f32x4.mul(x0, k3));
            q0 = f32x4.add(q0, f32x4.mul(x1, k0));
            q1 = f32x4.add(q1, f32x4.mul(x1, k1));
            q2 = f32x4.add(q2, f32x4.mul(x1, k2));
            q3 = f32x4.add(q3, f32x4.mul(x1, k3));
          }
        }
      }
      const at = y + (<usize>((oy * 10 + ox) * 16) << 2);
      v128.store(at, p0, 0);
      v128.store(at, p1, 16);
      v128.store(at, p2, 32);
      v128.store(at, p3, 48);
      v128.store(at, q0, 64);
      v128.store(at, q1, 80);
      v128.store(at, q2, 96);
      v128.store(at, q3, 112);
    }
  }
}

/** C3's full-kernel and bias gradients, accumulated: dk[tap][ci][0..16] += Σ_p x[ci][p + tap]·dy[p][0..16]. */
export function conv3FilterGrad(x: usize, dy: usize, dk: usize, db: usize): void {
  let b0 = v128.load(db, 0);
  let b1 = v128.load(db, 16);
  let b2 = v128.load(db, 32);
  let b3 = v128.load(db, 48);
  for (let p = 0; p < 100; p++) {
    const d = dy + (<usize>(p * 16) << 2);
    b0 = f32x4.add(b0, v128.load(d, 0));
    b1 = f32x4.add(b1, v128.load(d, 16));
    b2 = f32x4.add(b2, v128.load(d, 32));
    b3 = f32x4.add(b3, v128.load(d, 48));
  }
  v128.store(db, b0, 0);
  v128.store(db, b1, 16);
  v128.store(db, b2, 32);
  v128.store(db, b3, 48);
  for (let ky = 0; ky < 5; ky++) {
    for (let kx = 0; kx < 5; kx++) {
      // Two input maps at a time: each dy vector loaded once serves both (eight sums in registers).
      for (let ci = 0; ci < 6; ci += 2) {
        const kk = dk + (<usize>(((ky * 5 + kx) * 6 + ci) * 16) << 2);
        let a0 = v128.load(kk, 0);
        let a1 = v128.load(kk, 16);
        let a2 = v128.load(kk, 32);
        let a3 = v128.load(kk, 48);
        let e0 = v128.load(kk, 64);
        let e1 = v128.load(kk, 80);
        let e2 = v128.load(kk, 96);
        let e3 = v128.load(kk, 112);
        for (let oy = 0; oy < 10; oy++) {
          const xrow = x + (<usize>((ci * 14 + oy + ky) * 14 + kx) << 2);
          const drow = dy + (<usize>(oy * 160) << 2);
          for (let ox = 0; ox < 10; ox++) {
            const xv = v128.load32_splat(xrow + (<usize>ox << 2));
            const xn = v128.load32_splat(xrow + (<usize>(ox + 196) << 2));
            const d = drow + (<usize>(ox * 16) << 2);
            const d0 = v128.load(d, 0);
            const d1 = v128.load(d, 16);
            const d2 = v128.load(d, 32);
            const d3 = v128.load(d, 48);
            a0 = f32x4.add(a0, f32x4.mul(xv, d0));
            a1 = f32x4.add(a1, f32x4.mul(xv, d1));
            a2 = f32x4.add(a2, f32x4.mul(xv, d2));
            a3 = f32x4.add(a3, f32x4.mul(xv, d3));
            e0 = f32x4.add(e0, f32x4.mul(xn, d0));
            e1 = f32x4.add(e1, f32x4.mul(xn, d1));
            e2 = f32x4.add(e2, f32x4.mul(xn, d2));
            e3 = f32x4.add(e3, f32x4.mul(xn, d3));
          }
        }
        v128.store(kk, a0, 0);
        v128.store(kk, a1, 16);
        v128.store(kk, a2, 32);
        v128.store(kk, a3, 48);
        v128.store(kk, e0, 64);
        v128.store(kk, e1, 80);
        v128.store(kk, e2, 96);
        v128.store(kk, e3, 112);
      }
    }
  }
}

/**
 * C3's input gradient, planar: dx[ci][iy][ix] = Σ_{ky,kx} Σ_co k[ky][kx][ci][co]·dy[iy − ky][ix − kx][co]
 * over the taps that land inside the 10×10 output.
 */
export function conv3InputGrad(k: usize, dy: usize, dx: usize): void {
  for (let iy = 0; iy < 14; iy++) {
    for (let ix = 0; ix < 14; ix++) {
      let c0 = f32x4.splat(0);
      let c1 = f32x4.splat(0);
      let c2 = f32x4.splat(0);
      let c3 = f32x4.splat(0);
      let c4 = f32x4.splat(0);
      let c5 = f32x4.splat(0);
      const kyLow = max<i32>(0, iy - 9);
      const kyHigh = min<i32>(4, iy);
      const kxLow = max<i32>(0, ix - 9);
      const kxHigh = min<i32>(4, ix);
      for (let ky = kyLow; ky <= kyHigh; ky++) {
        for (let kx = kxLow; kx <= kxHigh; kx++) {
          const d = dy + (<usize>(((iy - ky) * 10 + ix - kx) * 16) << 2);
          const d0 = v128.load(d, 0);
          const d1 = v128.load(d, 16);
          const d2 = v128.load(d, 32);
          const d3 = v128.load(d, 48);
          const kk = k + (<usize>((ky * 5 + kx) * 96) << 2);
          c0 = f32x4.add(c0, dot16(kk, 0, d0, d1, d2, d3));
          c1 = f32x4.add(c1, dot16(kk, 64, d0, d1, d2, d3));
          c2 = f32x4.add(c2, dot16(kk, 128, d0, d1, d2, d3));
          c3 = f32x4.add(c3, dot16(kk, 192, d0, d1, d2, d3));
          c4 = f32x4.add(c4, dot16(kk, 256, d0, d1, d2, d3));
          c5 = f32x4.add(c5, dot16(kk, 320, d0, d1, d2, d3));
        }
      }
      const at = iy * 14 + ix;
      setF32(dx, at, hsum(c0));
      setF32(dx, 196 + at, hsum(c1));
      setF32(dx, 392 + at, hsum(c2));
      setF32(dx, 588 + at, hsum(c3));
      setF32(dx, 784 + at, hsum(c4));
      setF32(dx, 980 + at, hsum(c5));
    }
  }
}

/** Lane-wise Σ of the four products k[0..16]·d[0..16] (to be summed across lanes later). */
@inline
function dot16(kk: usize, offset: usize, d0: v128, d1: v128, d2: v128, d3: v128): v128 {
  const a = f32x4.add(
    f32x4.mul(v128.load(kk + offset, 0), d0),
    f32x4.mul(v128.load(kk + offset, 16), d1),
  );
  const b = f32x4.add(
    f32x4.mul(v128.load(kk + offset, 32), d2),
    f32x4.mul(v128.load(kk + offset, 48), d3),
  );
  return f32x4.add(a, b);
}

/**
 * Table I's packed kernel [5, 5, connections] → the full [5, 5, 6, 16] with zeros where the table
 * has no connection. inMap/outMap: i32 arrays of the connections (scratch/sparse-conv2d.ts).
 */
export function expandTableKernel(
  packed: usize,
  full: usize,
  inMap: usize,
  outMap: usize,
  connections: i32,
): void {
  zero(full, 2400);
  for (let tap = 0; tap < 25; tap++) {
    for (let c = 0; c < connections; c++) {
      const ci = load<i32>(inMap + (<usize>c << 2));
      const co = load<i32>(outMap + (<usize>c << 2));
      setF32(full, (tap * 6 + ci) * 16 + co, f32At(packed, tap * connections + c));
    }
  }
}

/** The packed gradient += the table's entries of a full [5, 5, 6, 16] gradient. */
export function gatherTableGrad(
  full: usize,
  packed: usize,
  inMap: usize,
  outMap: usize,
  connections: i32,
): void {
  for (let tap = 0; tap < 25; tap++) {
    for (let c = 0; c < connections; c++) {
      const ci = load<i32>(inMap + (<usize>c << 2));
      const co = load<i32>(outMap + (<usize>c << 2));
      const at = tap * connections + c;
      setF32(packed, at, f32At(packed, at) + f32At(full, (tap * 6 + ci) * 16 + co));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Full connections y = x·W + b (scratch/dense.ts); C5 is one too (a 5×5 kernel on a 5×5 map).

/**
 * y[o] = b[o] + Σ_i x[i]·w[i][o]; `outs` a multiple of 4 or not (the tail is scalar). The sums
 * stay in registers, eight vectors (32 outputs) at a time, so W is the only stream read per i;
 * every output still adds its terms in the order i = 0, 1, … (the same bits as one at a time).
 */
export function denseForward(x: usize, w: usize, b: usize, y: usize, ins: i32, outs: i32): void {
  const whole = outs & ~3;
  const rowBytes = <usize>outs << 2;
  let o = 0;
  for (; o + 32 <= whole; o += 32) denseBlock8(x, w + (<usize>o << 2), b + (<usize>o << 2), y + (<usize>o << 2), ins, rowBytes);
  for (; o + 16 <= whole; o += 16) denseBlock4(x, w + (<usize>o << 2), b + (<usize>o << 2), y + (<usize>o << 2), ins, rowBytes);
  for (; o < whole; o += 4) denseBlock1(x, w + (<usize>o << 2), b + (<usize>o << 2), y + (<usize>o << 2), ins, rowBytes);
  for (; o < outs; o++) {
    let sum = f32At(b, o);
    for (let i = 0; i < ins; i++) sum += f32At(x, i) * f32At(w, i * outs + o);
    setF32(y, o, sum);
  }
}

/** 32 outputs of denseForward: w and b point at the block's first column, rows `rowBytes` apart. */
@inline
function denseBlock8(x: usize, w: usize, b: usize, y: usize, ins: i32, rowBytes: usize): void {
  let a0 = v128.load(b, 0);
  let a1 = v128.load(b, 16);
  let a2 = v128.load(b, 32);
  let a3 = v128.load(b, 48);
  let a4 = v128.load(b, 64);
  let a5 = v128.load(b, 80);
  let a6 = v128.load(b, 96);
  let a7 = v128.load(b, 112);
  let row = w;
  for (let i = 0; i < ins; i++) {
    const xv = v128.load32_splat(x + (<usize>i << 2));
    a0 = f32x4.add(a0, f32x4.mul(xv, v128.load(row, 0)));
    a1 = f32x4.add(a1, f32x4.mul(xv, v128.load(row, 16)));
    a2 = f32x4.add(a2, f32x4.mul(xv, v128.load(row, 32)));
    a3 = f32x4.add(a3, f32x4.mul(xv, v128.load(row, 48)));
    a4 = f32x4.add(a4, f32x4.mul(xv, v128.load(row, 64)));
    a5 = f32x4.add(a5, f32x4.mul(xv, v128.load(row, 80)));
    a6 = f32x4.add(a6, f32x4.mul(xv, v128.load(row, 96)));
    a7 = f32x4.add(a7, f32x4.mul(xv, v128.load(row, 112)));
    row += rowBytes;
  }
  v128.store(y, a0, 0);
  v128.store(y, a1, 16);
  v128.store(y, a2, 32);
  v128.store(y, a3, 48);
  v128.store(y, a4, 64);
  v128.store(y, a5, 80);
  v128.store(y, a6, 96);
  v128.store(y, a7, 112);
}

/** 16 outputs of denseForward (as denseBlock8). */
@inline
function denseBlock4(x: usize, w: usize, b: usize, y: usize, ins: i32, rowBytes: usize): void {
  let a0 = v128.load(b, 0);
  let a1 = v128.load(b, 16);
  let a2 = v128.load(b, 32);
  let a3 = v128.load(b, 48);
  let row = w;
  for (let i = 0; i < ins; i++) {
    const xv = v128.load32_splat(x + (<usize>i << 2));
    a0 = f32x4.add(a0, f32x4.mul(xv, v128.load(row, 0)));
    a1 = f32x4.add(a1, f32x4.mul(xv, v128.load(row, 16)));
    a2 = f32x4.add(a2, f32x4.mul(xv, v128.load(row, 32)));
    a3 = f32x4.add(a3, f32x4.mul(xv, v128.load(row, 48)));
    row += rowBytes;
  }
  v128.store(y, a0, 0);
  v128.store(y, a1, 16);
  v128.store(y, a2, 32);
  v128.store(y, a3, 48);
}

/** 4 outputs of denseForward (as denseBlock8). */
@inline
function denseBlock1(x: usize, w: usize, b: usize, y: usize, ins: i32, rowBytes: usize): void {
  let a0 = v128.load(b);
  let row = w;
  for (let i = 0; i < ins; i++) {
    a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(x + (<usize>i << 2)), v128.load(row)));
    row += rowBytes;
  }
  v128.store(y, a0);
}

/**
 * Backward of denseForward, accumulated into dw and db; dx (unless 0) = dy·Wᵀ, overwritten.
 * With x² and W² in place of x and W it is the Gauss–Newton second-derivative pass.
 */
export function denseBackward(
  x: usize,
  w: usize,
  dy: usize,
  dx: usize,
  dw: usize,
  db: usize,
  ins: i32,
  outs: i32,
): void {
  addInto(db, dy, outs);
  const whole = outs & ~3;
  for (let i = 0; i < ins; i++) {
    const xi = f32At(x, i);
    const xv = f32x4.splat(xi);
    const row = w + (<usize>(i * outs) << 2);
    const drow = dw + (<usize>(i * outs) << 2);
    let acc = f32x4.splat(0);
    for (let o = 0; o < whole; o += 4) {
      const at = <usize>o << 2;
      const d = v128.load(dy + at);
      acc = f32x4.add(acc, f32x4.mul(v128.load(row + at), d));
      v128.store(drow + at, f32x4.add(v128.load(drow + at), f32x4.mul(xv, d)));
    }
    let sum = hsum(acc);
    for (let o = whole; o < outs; o++) {
      const d = f32At(dy, o);
      sum += f32At(row, o) * d;
      setF32(drow, o, f32At(drow, o) + xi * d);
    }
    if (dx != 0) setF32(dx, i, sum);
  }
}

// ---------------------------------------------------------------------------------------------
// 2×2 blocks, stride 2: trainable subsampling (scratch/subsampling.ts) and max pooling
// (scratch/max-pool.ts). Scalar, with strides, so one loop serves planar and NHWC maps; they are
// a small part of the step. Element (c, y, x) of the input sits at c·cs + y·ys + x·xs; of the
// output at c·ocs + y·oys + x·oxs.

/** y = coef[c]·(sum of the block) + bias[c]. */
export function subsamplingForward(
  x: usize,
  coef: usize,
  bias: usize,
  y: usize,
  channels: i32,
  outH: i32,
  outW: i32,
  cs: i32,
  ys: i32,
  xs: i32,
  ocs: i32,
  oys: i32,
  oxs: i32,
): void {
  for (let c = 0; c < channels; c++) {
    const k = f32At(coef, c);
    const b = f32At(bias, c);
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const at = c * cs + 2 * oy * ys + 2 * ox * xs;
        const block = f32At(x, at) + f32At(x, at + xs) + f32At(x, at + ys) + f32At(x, at + ys + xs);
        setF32(y, c * ocs + oy * oys + ox * oxs, k * block + b);
      }
    }
  }
}

/**
 * Backward of subsamplingForward: dx (overwritten) = coef[c]·dy, dcoef[c] += Σ block·dy,
 * dbias[c] += Σ dy. With x² and coef² it is the second-derivative pass.
 */
export function subsamplingBackward(
  x: usize,
  coef: usize,
  dy: usize,
  dx: usize,
  dcoef: usize,
  dbias: usize,
  channels: i32,
  outH: i32,
  outW: i32,
  cs: i32,
  ys: i32,
  xs: i32,
  ocs: i32,
  oys: i32,
  oxs: i32,
): void {
  for (let c = 0; c < channels; c++) {
    const k = f32At(coef, c);
    let dk: f32 = 0;
    let db: f32 = 0;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const at = c * cs + 2 * oy * ys + 2 * ox * xs;
        const d = f32At(dy, c * ocs + oy * oys + ox * oxs);
        const block = f32At(x, at) + f32At(x, at + xs) + f32At(x, at + ys) + f32At(x, at + ys + xs);
        dk += block * d;
        db += d;
        const g = k * d;
        setF32(dx, at, g);
        setF32(dx, at + xs, g);
        setF32(dx, at + ys, g);
        setF32(dx, at + ys + xs, g);
      }
    }
    setF32(dcoef, c, f32At(dcoef, c) + dk);
    setF32(dbias, c, f32At(dbias, c) + db);
  }
}

/**
 * 2×2 max pooling of planar maps [channels][inH][inW] into [channels][inH/2][inW/2] (S2 of
 * `modern`; inW/2 = 4k + 2). Vectorised: two rows' maxima, then each pair of neighbours'. Max
 * is exact, so this is the value scratch's first-maximum rule picks (maxPoolBackward finds the
 * position again from x).
 */
export function maxPool2Planar(x: usize, y: usize, channels: i32, inH: i32, inW: i32): void {
  const outW = inW >> 1;
  const chunks = outW >> 2;
  for (let c = 0; c < channels; c++) {
    for (let oy = 0; oy < inH >> 1; oy++) {
      const r0 = x + (<usize>((c * inH + 2 * oy) * inW) << 2);
      const r1 = r0 + (<usize>inW << 2);
      const out = y + (<usize>((c * (inH >> 1) + oy) * outW) << 2);
      for (let j = 0; j < chunks; j++) {
        const from = <usize>(j * 8) << 2;
        const a = f32x4.max(v128.load(r0 + from), v128.load(r1 + from));
        const b = f32x4.max(v128.load(r0 + from, 16), v128.load(r1 + from, 16));
        const evens = v128.shuffle<f32>(a, b, 0, 2, 4, 6);
        const odds = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
        v128.store(out + (<usize>(j * 4) << 2), f32x4.max(evens, odds));
      }
      for (let ox = chunks * 4; ox < outW; ox++) {
        const at = <usize>(2 * ox) << 2;
        const left = max<f32>(load<f32>(r0 + at), load<f32>(r1 + at));
        const right = max<f32>(load<f32>(r0 + at, 4), load<f32>(r1 + at, 4));
        setF32(out, ox, max<f32>(left, right));
      }
    }
  }
}

/**
 * 2×2 max pooling of NHWC maps [inH][inW][channels] into [inH/2][inW/2][channels] (S4 of
 * `modern`; channels a multiple of 4), four channels per vector.
 */
export function maxPool2Channels(x: usize, y: usize, inH: i32, inW: i32, channels: i32): void {
  const row = <usize>(inW * channels) << 2;
  const step = <usize>channels << 2;
  for (let oy = 0; oy < inH >> 1; oy++) {
    for (let ox = 0; ox < inW >> 1; ox++) {
      const p = x + (<usize>((2 * oy * inW + 2 * ox) * channels) << 2);
      const out = y + (<usize>((oy * (inW >> 1) + ox) * channels) << 2);
      for (let c = 0; c < channels; c += 4) {
        const at = <usize>c << 2;
        const top = f32x4.max(v128.load(p + at), v128.load(p + step + at));
        const bottom = f32x4.max(v128.load(p + row + at), v128.load(p + row + step + at));
        v128.store(out + at, f32x4.max(top, bottom));
      }
    }
  }
}

// Backward of the 2×2 max pooling: dx (overwritten) = dy at each block's first maximum in
// row-major order (scratch's rule), 0 elsewhere. The position is found again from x: the
// block's maximum m, then masks "equals m and no earlier one did", and dy ANDed with them.

/** Backward of maxPool2Planar: x, dx planar [channels][inH][inW], dy [channels][inH/2][inW/2]. */
export function maxPool2PlanarBackward(x: usize, dy: usize, dx: usize, channels: i32, inH: i32, inW: i32): void {
  const outW = inW >> 1;
  const chunks = outW >> 2;
  const none = i32x4.splat(0);
  for (let c = 0; c < channels; c++) {
    for (let oy = 0; oy < inH >> 1; oy++) {
      const r0 = x + (<usize>((c * inH + 2 * oy) * inW) << 2);
      const r1 = r0 + (<usize>inW << 2);
      const g0 = dx + (r0 - x);
      const g1 = dx + (r1 - x);
      const d = dy + (<usize>((c * (inH >> 1) + oy) * outW) << 2);
      for (let j = 0; j < chunks; j++) {
        const from = <usize>(j * 8) << 2;
        const a0 = v128.load(r0 + from);
        const a1 = v128.load(r0 + from, 16);
        const b0 = v128.load(r1 + from);
        const b1 = v128.load(r1 + from, 16);
        const top0 = f32x4.max(a0, b0);
        const top1 = f32x4.max(a1, b1);
        const m = f32x4.max(v128.shuffle<f32>(top0, top1, 0, 2, 4, 6), v128.shuffle<f32>(top0, top1, 1, 3, 5, 7));
        const d4 = v128.load(d + (<usize>(j * 4) << 2));
        const mA = v128.shuffle<f32>(m, m, 0, 0, 1, 1);
        const mB = v128.shuffle<f32>(m, m, 2, 2, 3, 3);
        const dA = v128.shuffle<f32>(d4, d4, 0, 0, 1, 1);
        const dB = v128.shuffle<f32>(d4, d4, 2, 2, 3, 3);
        pairBackward(a0, b0, mA, dA, g0 + from, g1 + from, none);
        pairBackward(a1, b1, mB, dB, g0 + from + 16, g1 + from + 16, none);
      }
      for (let ox = chunks * 4; ox < outW; ox++) {
        const at = 2 * ox;
        const rowOf = (r0 - x) >> 2;
        const best = blockArgmax(x, <i32>rowOf + at, inW, 1);
        setF32(g0, at, 0);
        setF32(g0, at + 1, 0);
        setF32(g1, at, 0);
        setF32(g1, at + 1, 0);
        setF32(dx, best, f32At(d, ox));
      }
    }
  }
}

/**
 * Two blocks side by side: a = their top rows (lanes tl, tr, tl, tr), b = their bottom rows,
 * m and dy each block's, repeated for its two lanes. Writes dx's two rows.
 */
@inline
function pairBackward(a: v128, b: v128, m: v128, d: v128, top: usize, bottom: usize, none: v128): void {
  const upper = f32x4.eq(a, m);
  const lower = f32x4.eq(b, m);
  // A right-hand lane may take dy only if its left neighbour did not (the earlier position).
  const leftUpper = v128.shuffle<i32>(upper, none, 4, 0, 4, 2);
  const leftLower = v128.shuffle<i32>(lower, none, 4, 0, 4, 2);
  const upperAny = v128.or(v128.shuffle<i32>(upper, upper, 0, 0, 2, 2), v128.shuffle<i32>(upper, upper, 1, 1, 3, 3));
  v128.store(top, v128.and(d, v128.andnot(upper, leftUpper)));
  v128.store(bottom, v128.and(d, v128.andnot(v128.andnot(lower, leftLower), upperAny)));
}

/** Backward of maxPool2Channels: x, dx NHWC [inH][inW][channels], dy [inH/2][inW/2][channels]. */
export function maxPool2ChannelsBackward(x: usize, dy: usize, dx: usize, inH: i32, inW: i32, channels: i32): void {
  const row = <usize>(inW * channels) << 2;
  const step = <usize>channels << 2;
  for (let oy = 0; oy < inH >> 1; oy++) {
    for (let ox = 0; ox < inW >> 1; ox++) {
      const offset = <usize>((2 * oy * inW + 2 * ox) * channels) << 2;
      const p = x + offset;
      const g = dx + offset;
      const dAt = dy + (<usize>((oy * (inW >> 1) + ox) * channels) << 2);
      for (let c = 0; c < channels; c += 4) {
        const at = <usize>c << 2;
        const v00 = v128.load(p + at);
        const v01 = v128.load(p + step + at);
        const v10 = v128.load(p + row + at);
        const v11 = v128.load(p + row + step + at);
        const m = f32x4.max(f32x4.max(v00, v01), f32x4.max(v10, v11));
        const d = v128.load(dAt + at);
        const e00 = f32x4.eq(v00, m);
        const e01 = f32x4.eq(v01, m);
        const e10 = f32x4.eq(v10, m);
        const before01 = e00;
        const before10 = v128.or(e00, e01);
        const before11 = v128.or(before10, e10);
        v128.store(g + at, v128.and(d, e00));
        v128.store(g + step + at, v128.and(d, v128.andnot(e01, before01)));
        v128.store(g + row + at, v128.and(d, v128.andnot(e10, before10)));
        v128.store(g + row + step + at, v128.and(d, v128.andnot(f32x4.eq(v11, m), before11)));
      }
    }
  }
}

/** Index of the block's maximum; strict > keeps the first in row-major order, as scratch does. */
@inline
function blockArgmax(x: usize, at: i32, ys: i32, xs: i32): i32 {
  let best = at;
  if (f32At(x, at + xs) > f32At(x, best)) best = at + xs;
  if (f32At(x, at + ys) > f32At(x, best)) best = at + ys;
  if (f32At(x, at + ys + xs) > f32At(x, best)) best = at + ys + xs;
  return best;
}

// ---------------------------------------------------------------------------------------------
// Outputs and losses

/**
 * The RBF output and the loss of eq. 9 for one example (scratch/rbf.ts, scratch/rbf-loss.ts):
 * y_i = Σ_d (x_d − w_id)², E = y_D + log(e^{−j} + Σ_i e^{−y_i}). Writes y [units] and
 * dE/dx [features] (unless dx is 0) and returns E.
 */
export function rbfLoss(
  x: usize,
  w: usize,
  y: usize,
  dx: usize,
  units: i32,
  features: i32,
  label: i32,
  j: f64,
): f64 {
  let smallest: f64 = j; // −(the largest score): the scores are −y_i and −j
  for (let i = 0; i < units; i++) {
    const row = w + (<usize>(i * features) << 2);
    let acc = f32x4.splat(0);
    const whole = features & ~3;
    for (let d = 0; d < whole; d += 4) {
      const diff = f32x4.sub(v128.load(x + (<usize>d << 2)), v128.load(row + (<usize>d << 2)));
      acc = f32x4.add(acc, f32x4.mul(diff, diff));
    }
    let sum = hsum(acc);
    for (let d = whole; d < features; d++) {
      const diff = f32At(x, d) - f32At(row, d);
      sum += diff * diff;
    }
    setF32(y, i, sum);
    smallest = Math.min(smallest, <f64>sum);
  }
  let z = Math.exp(smallest - j);
  for (let i = 0; i < units; i++) z += Math.exp(smallest - <f64>f32At(y, i));
  const loss = <f64>f32At(y, label) + Math.log(z) - smallest;
  if (dx != 0) {
    zero(dx, features);
    for (let i = 0; i < units; i++) {
      // dE/dy_i = [i = D] − p_i, then dE/dx = Σ_i dE/dy_i · 2(x − w_i)
      const p = Math.exp(smallest - <f64>f32At(y, i)) / z;
      const g = <f32>(2 * ((i == label ? 1 : 0) - p));
      const row = w + (<usize>(i * features) << 2);
      for (let d = 0; d < features; d++) {
        setF32(dx, d, f32At(dx, d) + g * (f32At(x, d) - f32At(row, d)));
      }
    }
  }
  return loss;
}

/**
 * The exact diagonal of ∂²E/∂x² for the RBF layer and eq. 9 together (scratch/rbf-loss.ts's
 * rbfLossBackward2): 2·p_rubbish + Σ_i p_i (J_id − m_d)² + p_rubbish·m_d², J_id = 2(x_d − w_id),
 * m_d = Σ_i p_i J_id, times `factor`. Needs y from rbfLoss. The label does not enter.
 */
export function rbfLossBackward2(
  x: usize,
  w: usize,
  y: usize,
  d2x: usize,
  units: i32,
  features: i32,
  j: f64,
  factor: f64,
): void {
  let smallest: f64 = j;
  for (let i = 0; i < units; i++) smallest = Math.min(smallest, <f64>f32At(y, i));
  let z = Math.exp(smallest - j);
  for (let i = 0; i < units; i++) z += Math.exp(smallest - <f64>f32At(y, i));
  const rubbish = Math.exp(smallest - j) / z;
  for (let d = 0; d < features; d++) {
    const xd = <f64>f32At(x, d);
    let mean: f64 = 0;
    for (let i = 0; i < units; i++) {
      const p = Math.exp(smallest - <f64>f32At(y, i)) / z;
      mean += p * 2 * (xd - <f64>f32At(w, i * features + d));
    }
    let variance = rubbish * mean * mean;
    for (let i = 0; i < units; i++) {
      const p = Math.exp(smallest - <f64>f32At(y, i)) / z;
      const dev = 2 * (xd - <f64>f32At(w, i * features + d)) - mean;
      variance += p * dev * dev;
    }
    setF32(d2x, d, <f32>(factor * (2 * rubbish + variance)));
  }
}

/**
 * Softmax cross-entropy for one example (scratch/softmax-cross-entropy.ts): E = log Σ e^{z} − z_D.
 * Writes dz = p − onehot (unless dz is 0), or with `second` the Gauss–Newton diagonal
 * p(1 − p)·factor instead; returns E.
 */
export function softmaxCrossEntropy(
  z: usize,
  dz: usize,
  classes: i32,
  label: i32,
  second: bool,
  factor: f64,
): f64 {
  let top = <f64>f32At(z, 0);
  for (let c = 1; c < classes; c++) top = Math.max(top, <f64>f32At(z, c));
  let sum: f64 = 0;
  for (let c = 0; c < classes; c++) sum += Math.exp(<f64>f32At(z, c) - top);
  if (dz != 0) {
    for (let c = 0; c < classes; c++) {
      const p = Math.exp(<f64>f32At(z, c) - top) / sum;
      const g = second ? p * (1 - p) * factor : p - (c == label ? 1 : 0);
      setF32(dz, c, <f32>g);
    }
  }
  return Math.log(sum) + top - <f64>f32At(z, label);
}
