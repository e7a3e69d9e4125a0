import { seededUniform } from '@gradscope/core';

/**
 * A seeded stream of standard normal floats: Box–Muller on mulberry32 uniforms (`seededUniform`),
 * `r = √(−2 ln(1 − u₁))`, yielding `r·cos(2πu₂)` then `r·sin(2πu₂)`. The same on every backend.
 */
export function gaussianStream(seed: number): () => number {
  const u = seededUniform(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const t = 2 * Math.PI * u();
    spare = r * Math.sin(t);
    return r * Math.cos(t);
  };
}
