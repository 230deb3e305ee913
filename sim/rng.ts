/** A seeded pseudo-random generator returning floats in [0, 1). */
export type Rng = () => number;

/**
 * Creates a deterministic pseudo-random generator (mulberry32) from a 32-bit seed, so a
 * simulated driver (and the naive baseline fed "the same fixes") replays identically.
 *
 * @param seed any integer; only its low 32 bits are used
 */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
