/**
 * The generators' random numbers: xorshift32 from a fixed seed, so every run of a benchmark builds
 * the same input and its timings stay comparable across runs and machines.
 */
export function xorshift32(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}
