// AssemblyScript source of lenet5's WebAssembly SIMD kernels (not TypeScript: `v128`, `load<f32>`
// and `@inline` are AssemblyScript's). `npm run build:simd` (scripts/build-simd.mjs) compiles it to
// ./simd-kernels-wasm.ts, and a test recompiles it and checks that file is up to date.
//
// The module imports the wasm backend's own memory (env.memory) and owns no memory of its own: no
// static data, no allocator, no stack. Every function takes byte offsets of tensors the backend
// allocated, reads its inputs and writes only its output (and scratch space the caller passed).
// The TypeScript wrappers (./conv2d-backprop-filter.ts) check shapes before calling; nothing here
// checks bounds.
//
// Layout: NHWC, float32, contiguous.

import { tanh4 } from "./tanh4.as";

/**
 * Copies `count` planes of h×w floats into planes of (h + 2·pad)×(w + 2·pad) with a zero border.
 * src [count, h, w] → dst [count, h + 2·pad, w + 2·pad].
 */
export function padPlanes(src: usize, dst: usize, count: i32, h: i32, w: i32, pad: i32): void {
  const hp = h + 2 * pad;
  const wp = w + 2 * pad;
  memory.fill(dst, 0, <usize>(count * hp * wp) << 2);
  for (let p = 0; p < count; p++) {
    for (let r = 0; r < h; r++) {
      const from = src + ((<usize>((p * h + r) * w)) << 2);
      const to = dst + ((<usize>((p * hp + r + pad) * wp + pad)) << 2);
      memory.copy(to, from, <usize>w << 2);
    }
  }
}

// Accumulators of one filter row (kh fixed, kw = 0..4) for a 6-channel dy read two pixels at a
// time: 12 floats = 3 vectors per tap. See conv1FilterGrad5x5x6 for how the lanes fold.
// prettier-ignore
@inline
function accumulateRow(xRow: usize, dyRow: usize, pairs: i32, acc: usize): void {
  let a00 = v128.load(acc, 0), a01 = v128.load(acc, 16), a02 = v128.load(acc, 32);
  let a10 = v128.load(acc, 48), a11 = v128.load(acc, 64), a12 = v128.load(acc, 80);
  let a20 = v128.load(acc, 96), a21 = v128.load(acc, 112), a22 = v128.load(acc, 128);
  let a30 = v128.load(acc, 144), a31 = v128.load(acc, 160), a32 = v128.load(acc, 176);
  let a40 = v128.load(acc, 192), a41 = v128.load(acc, 208), a42 = v128.load(acc, 224);
  for (let q = 0; q < pairs; q++) {
    const d = dyRow + (<usize>q) * 48; // two pixels × 6 channels × 4 bytes
    const d0 = v128.load(d, 0); // [p0c0 p0c1 p0c2 p0c3]
    const d1 = v128.load(d, 16); // [p0c4 p0c5 p1c0 p1c1]
    const d2 = v128.load(d, 32); // [p1c2 p1c3 p1c4 p1c5]
    const x = xRow + (<usize>q) * 8; // x[ow], ow = 2q
    const xa = v128.load(x, 0); // x[ow .. ow+3]
    const xb = v128.load(x, 16); // x[ow+4 .. ow+7]
    const s0 = v128.shuffle<f32>(xa, xa, 0, 0, 0, 0);
    const s1 = v128.shuffle<f32>(xa, xa, 1, 1, 1, 1);
    const s2 = v128.shuffle<f32>(xa, xa, 2, 2, 2, 2);
    const s3 = v128.shuffle<f32>(xa, xa, 3, 3, 3, 3);
    const s4 = v128.shuffle<f32>(xb, xb, 0, 0, 0, 0);
    const s5 = v128.shuffle<f32>(xb, xb, 1, 1, 1, 1);
    // Tap kw: pixel 0 sees x[ow + kw], pixel 1 sees x[ow + kw + 1].
    a00 = f32x4.add(a00, f32x4.mul(d0, s0));
    a01 = f32x4.add(a01, f32x4.mul(d1, v128.shuffle<f32>(xa, xa, 0, 0, 1, 1)));
    a02 = f32x4.add(a02, f32x4.mul(d2, s1));
    a10 = f32x4.add(a10, f32x4.mul(d0, s1));
    a11 = f32x4.add(a11, f32x4.mul(d1, v128.shuffle<f32>(xa, xa, 1, 1, 2, 2)));
    a12 = f32x4.add(a12, f32x4.mul(d2, s2));
    a20 = f32x4.add(a20, f32x4.mul(d0, s2));
    a21 = f32x4.add(a21, f32x4.mul(d1, v128.shuffle<f32>(xa, xa, 2, 2, 3, 3)));
    a22 = f32x4.add(a22, f32x4.mul(d2, s3));
    a30 = f32x4.add(a30, f32x4.mul(d0, s3));
    a31 = f32x4.add(a31, f32x4.mul(d1, v128.shuffle<f32>(xa, xb, 3, 3, 4, 4)));
    a32 = f32x4.add(a32, f32x4.mul(d2, s4));
    a40 = f32x4.add(a40, f32x4.mul(d0, s4));
    a41 = f32x4.add(a41, f32x4.mul(d1, v128.shuffle<f32>(xb, xb, 0, 0, 1, 1)));
    a42 = f32x4.add(a42, f32x4.mul(d2, s5));
  }
  v128.store(acc, a00, 0); v128.store(acc, a01, 16); v128.store(acc, a02, 32);
  v128.store(acc, a10, 48); v128.store(acc, a11, 64); v128.store(acc, a12, 80);
  v128.store(acc, a20, 96); v128.store(acc, a21, 112); v128.store(acc, a22, 128);
  v128.store(acc, a30, 144); v128.store(acc, a31, 160); v128.store(acc, a32, 176);
  v128.store(acc, a40, 192); v128.store(acc, a41, 208); v128.store(acc, a42, 224);
}

/**
 * C1's filter gradient: a 5×5 filter, one input channel, six output channels, stride 1, on an
 * already padded input (padPlanes), with an even output width.
 *   dW[kh, kw, 0, co] = Σ_{n, oh, ow} x[n, oh + kh, ow + kw] · dy[n, oh, ow, co]
 * x [n, outH + 4, outW + 4] (plus 4 readable floats after the last plane, see below),
 * dy [n, outH, outW, 6] → out [5, 5, 1, 6]. `acc` is scratch for 25 × 12 floats, 16-byte aligned.
 *
 * Lanes: dy is read two pixels (12 floats, 3 vectors) at a time, so vector 0 holds pixel 0's
 * channels 0–3, vector 1 pixel 0's 4–5 and pixel 1's 0–1, vector 2 pixel 1's 2–5. Each tap keeps
 * three such accumulators and folds them into six channel sums at the end. The x loads read up to
 * x[ow + 7] for ow = outW − 2, i.e. 2 floats past the row's last tap: the next row's (or, for the
 * last row of the last plane, the caller's padding).
 */
export function conv1FilterGrad5x5x6(
  x: usize,
  dy: usize,
  out: usize,
  acc: usize,
  n: i32,
  outH: i32,
  outW: i32,
): void {
  const inH = outH + 4;
  const inW = outW + 4;
  const pairs = outW >> 1;
  memory.fill(acc, 0, 25 * 12 * 4);
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < outH; oh++) {
      const dyRow = dy + ((<usize>((b * outH + oh) * outW * 6)) << 2);
      for (let kh = 0; kh < 5; kh++) {
        const xRow = x + ((<usize>((b * inH + oh + kh) * inW)) << 2);
        accumulateRow(xRow, dyRow, pairs, acc + (<usize>kh) * 240);
      }
    }
  }
  // Fold: channel c of pixel 0 sits in lane c of vector 0 (c < 4) or lane c − 4 of vector 1;
  // channel c of pixel 1 sits in lane c + 2 of vector 1 (c < 2) or lane c − 2 of vector 2.
  for (let tap = 0; tap < 25; tap++) {
    const a = acc + (<usize>tap) * 48;
    const o = out + (<usize>tap) * 24;
    store<f32>(o, load<f32>(a, 0) + load<f32>(a, 24));
    store<f32>(o, load<f32>(a, 4) + load<f32>(a, 28), 4);
    store<f32>(o, load<f32>(a, 8) + load<f32>(a, 32), 8);
    store<f32>(o, load<f32>(a, 12) + load<f32>(a, 36), 12);
    store<f32>(o, load<f32>(a, 16) + load<f32>(a, 40), 16);
    store<f32>(o, load<f32>(a, 20) + load<f32>(a, 44), 20);
  }
}

// Channel offsets of the 4-lane chunks covering c ≥ 4 channels: 0, 4, 8, … and a last chunk at
// c − 4 that may overlap the one before (it recomputes, and rewrites, the same values).
@inline
function chunkAt(k: i32, c: i32): i32 {
  return min(k << 2, c - 4);
}

/**
 * ReLU then 2×2 max pooling, stride 2, in one pass (max commutes with the ReLU):
 *   y[b, oh, ow, ch] = max(0, max_{i, j ∈ {0, 1}} x[b, 2·oh + i, 2·ow + j, ch])
 * x [n, h, w, c] with h and w even and c ≥ 4 → y [n, h/2, w/2, c]. Lanes hold 4 channels of one
 * pixel; `pmax` (a < b ? b : a) is one instruction, where `max` also orders NaN and −0.
 */
export function reluMaxPool2x2(x: usize, y: usize, n: i32, h: i32, w: i32, c: i32): void {
  const outH = h >> 1;
  const outW = w >> 1;
  const rowStride = <usize>(w * c) << 2;
  const pixelStride = <usize>c << 2;
  const chunks = (c + 3) >> 2;
  const zero = f32x4.splat(0);
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < outH; oh++) {
      const top = x + (<usize>((b * h + 2 * oh) * w * c) << 2);
      const outRow = y + (<usize>((b * outH + oh) * outW * c) << 2);
      for (let ow = 0; ow < outW; ow++) {
        const corner = top + (<usize>(2 * ow)) * pixelStride;
        const out = outRow + (<usize>ow) * pixelStride;
        for (let k = 0; k < chunks; k++) {
          const ch = <usize>chunkAt(k, c) << 2;
          const p = corner + ch;
          const upper = f32x4.pmax(v128.load(p), v128.load(p + pixelStride));
          const lower = f32x4.pmax(v128.load(p + rowStride), v128.load(p + rowStride + pixelStride));
          v128.store(out + ch, f32x4.pmax(f32x4.pmax(upper, lower), zero));
        }
      }
    }
  }
}

/**
 * The gradient of reluMaxPool2x2: each window's dy goes to its first maximum (row-major, as tfjs's
 * MaxPoolGrad does), and only if that maximum is positive (the ReLU's gradient is 0 at x ≤ 0).
 *   dx[b, h, w, ch] = dy[b, h/2, w/2, ch] if (h, w) is the first argmax of its window and x > 0,
 *   else 0.
 * x [n, h, w, c] (c ≥ 4), dy [n, h/2, w/2, c] → dx [n, h, w, c] (every element written). Branch
 * free: lane masks pick the first element equal to the window's maximum.
 */
export function reluMaxPool2x2Grad(
  x: usize,
  dy: usize,
  dx: usize,
  n: i32,
  h: i32,
  w: i32,
  c: i32,
): void {
  const outH = h >> 1;
  const outW = w >> 1;
  const rowStride = <usize>(w * c) << 2;
  const pixelStride = <usize>c << 2;
  const chunks = (c + 3) >> 2;
  const zero = f32x4.splat(0);
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < outH; oh++) {
      const offset = <usize>((b * h + 2 * oh) * w * c) << 2;
      const gRow = dy + (<usize>((b * outH + oh) * outW * c) << 2);
      for (let ow = 0; ow < outW; ow++) {
        const corner = offset + (<usize>(2 * ow)) * pixelStride;
        for (let k = 0; k < chunks; k++) {
          const ch = <usize>chunkAt(k, c) << 2;
          const p = corner + ch;
          const v0 = v128.load(x + p);
          const v1 = v128.load(x + p + pixelStride);
          const v2 = v128.load(x + p + rowStride);
          const v3 = v128.load(x + p + rowStride + pixelStride);
          const m = f32x4.pmax(f32x4.pmax(v0, v1), f32x4.pmax(v2, v3));
          // dy where the maximum is positive, 0 elsewhere.
          const g = v128.and(v128.load(gRow + (<usize>ow) * pixelStride + ch), f32x4.gt(m, zero));
          const at0 = f32x4.eq(v0, m);
          const at1 = v128.andnot(f32x4.eq(v1, m), at0);
          const seen = v128.or(at0, at1);
          const at2 = v128.andnot(f32x4.eq(v2, m), seen);
          const at3 = v128.not(v128.or(seen, at2));
          v128.store(dx + p, v128.and(g, at0));
          v128.store(dx + p + pixelStride, v128.and(g, at1));
          v128.store(dx + p + rowStride, v128.and(g, at2));
          v128.store(dx + p + rowStride + pixelStride, v128.and(g, at3));
        }
      }
    }
  }
}

/**
 * col2im for a valid, stride-1 convolution's input gradient: adds each output pixel's columns
 * back onto the input pixels its k×k window covered.
 *   dx[b, oh + kh, ow + kw, ci] += cols[b, oh, ow, kh, kw, ci]   (dx zeroed first)
 * cols [n, outH, outW, k, k, cin] → dx [n, outH + k − 1, outW + k − 1, cin]. For fixed (b, oh, ow,
 * kh) both runs (kw, ci) are k·cin contiguous floats (NHWC), so the inner loop is a vector add of
 * two runs. The order of the sums is fixed, so results repeat exactly.
 */
export function col2imValid(
  cols: usize,
  dx: usize,
  n: i32,
  outH: i32,
  outW: i32,
  k: i32,
  cin: i32,
): void {
  const inH = outH + k - 1;
  const inW = outW + k - 1;
  const run = k * cin;
  const vectors = run >> 2;
  memory.fill(dx, 0, <usize>(n * inH * inW * cin) << 2);
  let from = cols;
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        for (let kh = 0; kh < k; kh++) {
          const to = dx + (<usize>(((b * inH + oh + kh) * inW + ow) * cin) << 2);
          for (let v = 0; v < vectors; v++) {
            const at = <usize>v << 4;
            v128.store(to + at, f32x4.add(v128.load(to + at), v128.load(from + at)));
          }
          for (let e = vectors << 2; e < run; e++) {
            const at = <usize>e << 2;
            store<f32>(to + at, load<f32>(to + at) + load<f32>(from + at));
          }
          from += <usize>run << 2;
        }
      }
    }
  }
}

/**
 * Column sums of a row-major matrix: out[c] = Σ_r x[r, c], x [rows, cols] → out [cols]; a bias's
 * gradient (every axis of dy but the channels). Vectors run over blocks of `block` floats, the
 * least multiple of both cols and 4 (12 for 6 channels), accumulated in `acc` (block floats of
 * scratch); the rows left over (fewer than block / cols) and the fold of the block's lanes into
 * columns are scalar. The order of the sums is fixed, so results repeat exactly.
 */
export function sumRows(x: usize, out: usize, acc: usize, rows: i32, cols: i32, block: i32): void {
  const total = rows * cols;
  const blocks = total / block;
  const vectors = block >> 2;
  memory.fill(acc, 0, <usize>block << 2);
  for (let b = 0; b < blocks; b++) {
    const from = x + (<usize>(b * block) << 2);
    for (let v = 0; v < vectors; v++) {
      const at = <usize>v << 4;
      v128.store(acc + at, f32x4.add(v128.load(acc + at), v128.load(from + at)));
    }
  }
  for (let c = 0; c < cols; c++) {
    let sum: f32 = 0;
    for (let j = c; j < block; j += cols) sum += load<f32>(acc + (<usize>j << 2));
    for (let e = blocks * block + c; e < total; e += cols) sum += load<f32>(x + (<usize>e << 2));
    store<f32>(out + (<usize>c << 2), sum);
  }
}


/**
 * The paper's squashing function (Appendix A), f(a) = A·tanh(S·a), element-wise:
 * y[i] = a · tanh(s · x[i]) for `count` floats. The tail (count mod 4) goes through one vector
 * on a copy, so every element uses the same arithmetic.
 */
export function scaledTanh(x: usize, y: usize, count: i32, a: f32, s: f32): void {
  const scale = f32x4.splat(s);
  const amplitude = f32x4.splat(a);
  const whole = count & ~3;
  for (let i = 0; i < whole; i += 4) {
    const at = <usize>i << 2;
    v128.store(y + at, f32x4.mul(amplitude, tanh4(f32x4.mul(scale, v128.load(x + at)))));
  }
  for (let i = whole; i < count; i++) {
    const at = <usize>i << 2;
    const r = f32x4.mul(amplitude, tanh4(f32x4.mul(scale, f32x4.splat(load<f32>(x + at)))));
    store<f32>(y + at, f32x4.extract_lane(r, 0));
  }
}

/**
 * The gradient of scaledTanh from its output: f'(a) = A·S·(1 − tanh²(S·a)) = (S/A)·(A² − f²), so
 * dx[i] = dy[i] · (s/a) · (a² − y[i]²) for `count` floats.
 */
export function scaledTanhGrad(y: usize, dy: usize, dx: usize, count: i32, a: f32, s: f32): void {
  const ratio = f32x4.splat(s / a);
  const square = f32x4.splat(a * a);
  const whole = count & ~3;
  for (let i = 0; i < whole; i += 4) {
    const at = <usize>i << 2;
    const out = v128.load(y + at);
    const slope = f32x4.mul(ratio, f32x4.sub(square, f32x4.mul(out, out)));
    v128.store(dx + at, f32x4.mul(v128.load(dy + at), slope));
  }
  for (let i = whole; i < count; i++) {
    const at = <usize>i << 2;
    const out = load<f32>(y + at);
    store<f32>(dx + at, load<f32>(dy + at) * ((s / a) * (a * a - out * out)));
  }
}

/**
 * The paper's trainable subsampling (S2, S4; Section II-B), forward:
 *   y[b, oh, ow, ch] = coef[ch] · scale · Σ_{i, j ∈ {0, 1}} x[b, 2·oh + i, 2·ow + j, ch] + bias[ch]
 * scale 1 for the paper's block sum, 1/4 for an average. x [n, h, w, c] (h, w even, c ≥ 4),
 * coef [c], bias [c] → y [n, h/2, w/2, c]. Lanes hold 4 channels of one pixel (chunkAt).
 */
export function subsample2x2(
  x: usize,
  coef: usize,
  bias: usize,
  y: usize,
  n: i32,
  h: i32,
  w: i32,
  c: i32,
  scale: f32,
): void {
  const outH = h >> 1;
  const outW = w >> 1;
  const rowStride = <usize>(w * c) << 2;
  const pixelStride = <usize>c << 2;
  const chunks = (c + 3) >> 2;
  const factor = f32x4.splat(scale);
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < outH; oh++) {
      const top = x + (<usize>((b * h + 2 * oh) * w * c) << 2);
      const outRow = y + (<usize>((b * outH + oh) * outW * c) << 2);
      for (let ow = 0; ow < outW; ow++) {
        const corner = top + (<usize>(2 * ow)) * pixelStride;
        const out = outRow + (<usize>ow) * pixelStride;
        for (let k = 0; k < chunks; k++) {
          const ch = <usize>chunkAt(k, c) << 2;
          const p = corner + ch;
          const upper = f32x4.add(v128.load(p), v128.load(p + pixelStride));
          const lower = f32x4.add(v128.load(p + rowStride), v128.load(p + rowStride + pixelStride));
          const weight = f32x4.mul(v128.load(coef + ch), factor);
          v128.store(out + ch, f32x4.add(f32x4.mul(f32x4.add(upper, lower), weight), v128.load(bias + ch)));
        }
      }
    }
  }
}

/**
 * Its gradients: dx[b, h, w, ch] = dy[b, h/2, w/2, ch] · coef[ch] · scale (every element written);
 * dcoef[ch] = scale · Σ dy · (block sum of x); dbias[ch] = Σ dy. `acc` is scratch for 2·4·⌈c/4⌉
 * floats. The last chunk may overlap the one before: its overlapping lanes are masked out of the
 * sums (and rewrite the same dx values). The order of the sums is fixed.
 */
export function subsample2x2Grad(
  x: usize,
  dy: usize,
  coef: usize,
  dx: usize,
  dcoef: usize,
  dbias: usize,
  acc: usize,
  n: i32,
  h: i32,
  w: i32,
  c: i32,
  scale: f32,
): void {
  const outH = h >> 1;
  const outW = w >> 1;
  const rowStride = <usize>(w * c) << 2;
  const pixelStride = <usize>c << 2;
  const chunks = (c + 3) >> 2;
  const factor = f32x4.splat(scale);
  const biasAcc = acc + (<usize>chunks << 4);
  memory.fill(acc, 0, <usize>chunks << 5);
  // Lanes of the last chunk that an earlier chunk already covers (the first 4·(chunks−1) − (c−4)).
  const overlap = ((chunks - 1) << 2) - chunkAt(chunks - 1, c);
  const lastMask = i32x4.ge_s(i32x4(0, 1, 2, 3), i32x4.splat(overlap));
  const allLanes = i32x4.splat(-1);
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < outH; oh++) {
      const offset = <usize>((b * h + 2 * oh) * w * c) << 2;
      const gRow = dy + (<usize>((b * outH + oh) * outW * c) << 2);
      for (let ow = 0; ow < outW; ow++) {
        const corner = offset + (<usize>(2 * ow)) * pixelStride;
        for (let k = 0; k < chunks; k++) {
          const ch = <usize>chunkAt(k, c) << 2;
          const p = corner + ch;
          const g = v128.load(gRow + (<usize>ow) * pixelStride + ch);
          const gx = f32x4.mul(g, f32x4.mul(v128.load(coef + ch), factor));
          v128.store(dx + p, gx);
          v128.store(dx + p + pixelStride, gx);
          v128.store(dx + p + rowStride, gx);
          v128.store(dx + p + rowStride + pixelStride, gx);
          const upper = f32x4.add(v128.load(x + p), v128.load(x + p + pixelStride));
          const lower = f32x4.add(v128.load(x + p + rowStride), v128.load(x + p + rowStride + pixelStride));
          const mask = k === chunks - 1 ? lastMask : allLanes;
          const slot = <usize>k << 4;
          const product = v128.and(f32x4.mul(g, f32x4.add(upper, lower)), mask);
          v128.store(acc + slot, f32x4.add(v128.load(acc + slot), product));
          v128.store(biasAcc + slot, f32x4.add(v128.load(biasAcc + slot), v128.and(g, mask)));
        }
      }
    }
  }
  for (let k = 0; k < chunks; k++) {
    const ch = chunkAt(k, c);
    for (let lane = 0; lane < 4; lane++) {
      if (ch + lane < k << 2) continue; // an overlapping lane: counted by the chunk before
      const from = (<usize>((k << 2) + lane)) << 2;
      const to = <usize>(ch + lane) << 2;
      store<f32>(dcoef + to, scale * load<f32>(acc + from));
      store<f32>(dbias + to, load<f32>(biasAcc + from));
    }
  }
}

// Optimiser updates (src/train/adam-update.ts, src/train/sdlm-update.ts): float32, one rounding per
// operation in the order of the tf-op chains they replace, so they give the same bits.
/**
 * One Adam update of `n` float32 weights: reads w, m, v, g and writes w', m', v' (byte offsets
 * into the imported memory; the outputs must not overlap the inputs).
 */
// prettier-ignore
export function adamUpdate(
  w: usize, m: usize, v: usize, g: usize, wOut: usize, mOut: usize, vOut: usize, n: i32,
  beta1: f32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32,
  stepSize: f32, vCorrection: f32, epsilon: f32,
): void {
  const b1 = f32x4.splat(beta1);
  const c1 = f32x4.splat(oneMinusBeta1);
  const b2 = f32x4.splat(beta2);
  const c2 = f32x4.splat(oneMinusBeta2);
  const s = f32x4.splat(stepSize);
  const vc = f32x4.splat(vCorrection);
  const e = f32x4.splat(epsilon);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const gs = v128.load(g + at);
    const ms = f32x4.add(f32x4.mul(v128.load(m + at), b1), f32x4.mul(gs, c1));
    const vs = f32x4.add(f32x4.mul(v128.load(v + at), b2), f32x4.mul(f32x4.mul(gs, gs), c2));
    v128.store(mOut + at, ms);
    v128.store(vOut + at, vs);
    const denominator = f32x4.add(f32x4.sqrt(f32x4.div(vs, vc)), e);
    const step = f32x4.div(f32x4.mul(ms, s), denominator);
    v128.store(wOut + at, f32x4.sub(v128.load(w + at), step));
  }
  for (; i < n; i++) {
    // The last n mod 4 elements: the same operations, one lane at a time.
    const at = <usize>i << 2;
    const gi = load<f32>(g + at);
    const mi = load<f32>(m + at) * beta1 + gi * oneMinusBeta1;
    const vi = load<f32>(v + at) * beta2 + gi * gi * oneMinusBeta2;
    store<f32>(mOut + at, mi);
    store<f32>(vOut + at, vi);
    const denominator = sqrt<f32>(vi / vCorrection) + epsilon;
    store<f32>(wOut + at, load<f32>(w + at) - (mi * stepSize) / denominator);
  }
}

/** SDLM update of `n` weights with a diagonal Hessian estimate h: reads w, g, h, writes w'. */
// prettier-ignore
export function sdlmUpdate(
  w: usize, g: usize, h: usize, wOut: usize, n: i32, rate: f32, mu: f32,
): void {
  const r = f32x4.splat(rate);
  const u = f32x4.splat(mu);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const rates = f32x4.div(r, f32x4.add(v128.load(h + at), u));
    v128.store(wOut + at, f32x4.sub(v128.load(w + at), f32x4.mul(rates, v128.load(g + at))));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const rateK = rate / (load<f32>(h + at) + mu);
    store<f32>(wOut + at, load<f32>(w + at) - rateK * load<f32>(g + at));
  }
}

/** SDLM update of `n` weights before any Hessian estimate (h = 0: every rate is rate / μ). */
// prettier-ignore
export function sdlmUpdateNoHessian(w: usize, g: usize, wOut: usize, n: i32, rate: f32, mu: f32): void {
  const rateK = rate / (<f32>0 + mu); // the op chain adds μ to a tensor of zeros
  const r = f32x4.splat(rateK);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    v128.store(wOut + at, f32x4.sub(v128.load(w + at), f32x4.mul(r, v128.load(g + at))));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    store<f32>(wOut + at, load<f32>(w + at) - rateK * load<f32>(g + at));
  }
}

/**
 * C1's forward convolution: a 5×5 filter, one input channel, six output channels, stride 1, on
 * an already padded input (padPlanes), with an output width that is a multiple of 4:
 *   y[b, oh, ow, co] = act(bias[co] + Σ_{kh, kw} x[b, oh + kh, ow + kw] · w[kh, kw, 0, co])
 * x [n, outH + 4, outW + 4], w [5, 5, 1, 6], bias [6] → y [n, outH, outW, 6]; act is the identity
 * (relu = 0) or max(0, ·) (relu = 1). `taps` is scratch for 150 vectors (w splatted, 2400 bytes).
 *
 * Lanes hold 4 neighbouring output pixels of one channel: each tap is one (unaligned) load of 4
 * inputs and six multiply-adds into six accumulators, one per channel; a 4×6 transpose then
 * stores the 4 pixels' channels contiguously (NHWC).
 */
export function conv1Forward5x5x6(
  x: usize,
  w: usize,
  bias: usize,
  y: usize,
  taps: usize,
  n: i32,
  outH: i32,
  outW: i32,
  relu: i32,
): void {
  const inH = outH + 4;
  const inW = outW + 4;
  for (let t = 0; t < 150; t++) {
    v128.store(taps + (<usize>t << 4), f32x4.splat(load<f32>(w + (<usize>t << 2))));
  }
  const floor = f32x4.splat(relu !== 0 ? 0 : -Infinity);
  const b0 = f32x4.splat(load<f32>(bias, 0));
  const b1 = f32x4.splat(load<f32>(bias, 4));
  const b2 = f32x4.splat(load<f32>(bias, 8));
  const b3 = f32x4.splat(load<f32>(bias, 12));
  const b4 = f32x4.splat(load<f32>(bias, 16));
  const b5 = f32x4.splat(load<f32>(bias, 20));
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < outH; oh++) {
      const xTop = x + (<usize>((b * inH + oh) * inW) << 2);
      let out = y + (<usize>((b * outH + oh) * outW * 6) << 2);
      for (let ow = 0; ow < outW; ow += 4) {
        let a0 = b0, a1 = b1, a2 = b2, a3 = b3, a4 = b4, a5 = b5;
        for (let kh = 0; kh < 5; kh++) {
          const row = xTop + (<usize>(kh * inW + ow) << 2);
          const tap = taps + (<usize>(kh * 5 * 6) << 4);
          for (let kw = 0; kw < 5; kw++) {
            const xv = v128.load(row + (<usize>kw << 2)); // x[.., ow + kw .. ow + kw + 3]
            const t = tap + (<usize>(kw * 6) << 4);
            a0 = f32x4.add(a0, f32x4.mul(xv, v128.load(t, 0)));
            a1 = f32x4.add(a1, f32x4.mul(xv, v128.load(t, 16)));
            a2 = f32x4.add(a2, f32x4.mul(xv, v128.load(t, 32)));
            a3 = f32x4.add(a3, f32x4.mul(xv, v128.load(t, 48)));
            a4 = f32x4.add(a4, f32x4.mul(xv, v128.load(t, 64)));
            a5 = f32x4.add(a5, f32x4.mul(xv, v128.load(t, 80)));
          }
        }
        a0 = f32x4.pmax(a0, floor);
        a1 = f32x4.pmax(a1, floor);
        a2 = f32x4.pmax(a2, floor);
        a3 = f32x4.pmax(a3, floor);
        a4 = f32x4.pmax(a4, floor);
        a5 = f32x4.pmax(a5, floor);
        // a_c holds channel c of pixels 0–3; NHWC wants pixel p's six channels in a row.
        const t0 = v128.shuffle<f32>(a0, a1, 0, 4, 1, 5); // [p0c0 p0c1 p1c0 p1c1]
        const t1 = v128.shuffle<f32>(a2, a3, 0, 4, 1, 5); // [p0c2 p0c3 p1c2 p1c3]
        const t2 = v128.shuffle<f32>(a0, a1, 2, 6, 3, 7); // [p2c0 p2c1 p3c0 p3c1]
        const t3 = v128.shuffle<f32>(a2, a3, 2, 6, 3, 7); // [p2c2 p2c3 p3c2 p3c3]
        const low = v128.shuffle<f32>(a4, a5, 0, 4, 1, 5); // [p0c4 p0c5 p1c4 p1c5]
        const high = v128.shuffle<f32>(a4, a5, 2, 6, 3, 7); // [p2c4 p2c5 p3c4 p3c5]
        const p0 = v128.shuffle<f32>(t0, t1, 0, 1, 4, 5); // [p0c0 p0c1 p0c2 p0c3]
        const p1 = v128.shuffle<f32>(t0, t1, 2, 3, 6, 7); // [p1c0 p1c1 p1c2 p1c3]
        const p2 = v128.shuffle<f32>(t2, t3, 0, 1, 4, 5); // [p2c0 .. p2c3]
        const p3 = v128.shuffle<f32>(t2, t3, 2, 3, 6, 7); // [p3c0 .. p3c3]
        v128.store(out, p0, 0);
        v128.store(out, v128.shuffle<f32>(low, p1, 0, 1, 4, 5), 16); // [p0c4 p0c5 p1c0 p1c1]
        v128.store(out, v128.shuffle<f32>(p1, low, 2, 3, 6, 7), 32); // [p1c2 p1c3 p1c4 p1c5]
        v128.store(out, p2, 48);
        v128.store(out, v128.shuffle<f32>(high, p3, 0, 1, 4, 5), 64); // [p2c4 p2c5 p3c0 p3c1]
        v128.store(out, v128.shuffle<f32>(p3, high, 2, 3, 6, 7), 80); // [p3c2 p3c3 p3c4 p3c5]
        out += 96;
      }
    }
  }
}
