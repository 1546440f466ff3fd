/**
 * The one seeded random number generator every part of lenet5 draws from: weight
 * initialisation, shuffling, dropout masks, distortions. Same seed, same numbers, on every
 * machine: xoshiro128** (Blackman & Vigna) seeded through splitmix32, 32-bit integer math only.
 *
 * Its whole state is four 32-bit words, so a checkpoint can save it and a resumed run continues
 * the exact same sequence.
 */
export class Rng {
  private s: Uint32Array;

  /**
   * A generator whose state is derived from `seed` (through splitmix32).
   * @param seed - any integer; equal seeds give equal sequences.
   * @example
   * ```ts
   * const rng = new Rng(42);
   * const u = rng.next(); // 0 <= u < 1
   * ```
   */
  constructor(seed: number) {
    this.s = new Uint32Array(4);
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      // splitmix32: spreads a small seed over all 128 bits of state.
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if (this.s.every((w) => w === 0)) this.s[0] = 1; // the all-zero state is a fixed point
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A float uniformly distributed in [0, 1), with 32 random bits. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A float uniformly distributed in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** An integer uniformly distributed in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) {
      throw new RangeError(`Rng.int: n must be an integer in 1..2^32, got ${n}`);
    }
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** A standard normal sample (Box–Muller; one of the pair is discarded to keep state simple). */
  normal(): number {
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * Shuffles `items` in place (Fisher–Yates) and returns it.
   * @typeParam T - any indexable, writable sequence: an array or a typed array.
   */
  shuffle<
    T extends {
      /** Number of items. */
      length: number;
      [index: number]: unknown;
    },
  >(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A permutation of 0..n-1 as an Int32Array. */
  permutation(n: number): Int32Array {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return this.shuffle(order);
  }

  /** The generator's whole state, for checkpoints. */
  getState(): [number, number, number, number] {
    return [this.s[0], this.s[1], this.s[2], this.s[3]];
  }

  /** A generator that continues exactly where the one that gave `state` stood. */
  static fromState(state: readonly number[]): Rng {
    if (state.length !== 4 || state.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
      throw new RangeError("Rng.fromState: expected four unsigned 32-bit integers");
    }
    const rng = new Rng(0);
    rng.s = Uint32Array.from(state);
    return rng;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
