/**
 * Seeded pseudo-random numbers for the learning core. Everything random in
 * training (splits, bootstrap samples, feature subsets, random-mix baselines)
 * draws from here, so a seed reproduces a run exactly.
 */

/** A seeded generator (mulberry32): fast, 32-bit state, good enough for sampling. */
export class Rng {
  private state: number

  constructor(seed: number) {
    // Mix the seed once so that nearby seeds (1, 2, 3) start far apart.
    this.state = hash32(seed >>> 0) || 0x9e3779b9
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** A fresh 32-bit seed for a child generator. */
  seed(): number {
    return Math.floor(this.next() * 4294967296) >>> 0
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const a = items[i] as T
      items[i] = items[j] as T
      items[j] = a
    }
    return items
  }
}

/** A 32-bit integer hash (murmur3's finaliser). */
export function hash32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
  return (x ^ (x >>> 16)) >>> 0
}
