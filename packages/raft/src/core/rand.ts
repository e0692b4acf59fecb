// A small seeded PRNG so the core (election timeouts) and the simulation stay deterministic:
// the same seed gives the same run. sfc32 is fast, passes PractRand for our purposes, and has
// no bias problem for the ranges we draw.

export type Rand = () => number;

/** A generator of floats in [0, 1) from a 32-bit seed. */
export function seededRand(seed: number): Rand {
  // Spread the seed over the four words with splitmix32 so nearby seeds diverge at once.
  let s = seed >>> 0;
  const next32 = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = next32();
  let b = next32();
  let c = next32();
  let d = next32();
  const sfc32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) sfc32();
  return sfc32;
}

/** An integer in [lo, hi). */
export function randInt(rand: Rand, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo));
}
