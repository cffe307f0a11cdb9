/**
 * Numbers in [0, 1) from a seed and a stream number, always the same ones (mulberry32 over a mix of
 * the two). A check draws the values of a redrawn case from them (redraw-confirmation.ts), so that
 * the same seed gives the same cases, and so the same results, byte for byte.
 */
export function seededRandom(seed: number, stream: number): () => number {
  let state = mix(mix(seed >>> 0) ^ Math.imul(stream + 1, 0x9e3779b1));
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit integer hash (murmur3's finaliser), so that nearby seeds start far apart. */
function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
