/** Deterministic noise in [-1, 1) (a linear congruential generator), so that a test never depends on chance. */
export function noise(seed: number): () => number {
  let state = seed;
  return (): number => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return (state / 2 ** 31) * 2 - 1;
  };
}
