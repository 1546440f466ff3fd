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
