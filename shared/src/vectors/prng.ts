// Seeded PRNG for the test vectors: xoshiro128** (Blackman & Vigna) seeded with
// splitmix32, all in 32-bit integer arithmetic so that a seed gives the same
// vectors on every platform and Node version. Never Math.random.

export type Prng = {
  /** Uniform uint32. */
  u32(): number;
  /** Uniform integer in [0, n) for 1 <= n <= 2^32. */
  below(n: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** `n` uniform bytes. */
  bytes(n: number): Uint8Array;
};

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A PRNG whose whole output is determined by `seed` (uint32; larger numbers are folded). */
export function createPrng(seed: number | bigint): Prng {
  const big = BigInt(seed);
  const sm = splitmix32(Number((big ^ (big >> 32n)) & 0xffffffffn));
  let a = sm();
  let b = sm();
  let c = sm();
  let d = sm();
  if ((a | b | c | d) === 0) a = 1;
  const u32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const below = (n: number): number => {
    if (n <= 0 || n > 2 ** 32) throw new RangeError(`below(${n}): n must be in [1, 2^32]`);
    // Rejection sampling: no modulo bias, so a vector's content does not depend on how n was chosen.
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = u32();
      if (x < limit) return x % n;
    }
  };
  return {
    u32,
    below,
    chance: (p) => u32() < p * 2 ** 32,
    pick: (items) => items[below(items.length)],
    bytes: (n) => {
      const out = new Uint8Array(n);
      for (let k = 0; k < n; k += 4) {
        const x = u32();
        for (let j = 0; j < 4 && k + j < n; j++) out[k + j] = (x >>> (8 * j)) & 0xff;
      }
      return out;
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
