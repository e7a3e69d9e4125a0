import { describe, expect, it } from 'vitest';
import { hessianTimes, resolveTarget, targetHessian, type Target } from '../src/index.js';

/** Float64 scores (core's softmax is float32, too coarse for second differences). */
function score64(t: Target, z: readonly number[]): number {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const sum = e.reduce((a, b) => a + b, 0);
  const p = e.map((v) => v / sum);
  const sign = t.negate ? -1 : 1;
  const c = 'index' in t && t.index !== undefined ? t.index : z.indexOf(m);
  if (t.kind === 'softmax') return sign * p[c]!;
  if (t.kind === 'finer') {
    const order = z.map((_, k) => k).sort((a, b) => Math.abs(z[a]! - z[c]!) - Math.abs(z[b]! - z[c]!) || a - b);
    const J = [1, 2, 3].map((r) => order[r]!);
    const S = J.reduce((a, j) => a + p[j]! * (z[c]! - z[j]!), 0);
    return sign * (S / (J.reduce((a, j) => a + p[j]!, 0) + 1e-9));
  }
  return resolveTarget(t, z).score;
}

/** ∂²score/∂y_j∂y_k by a float64 second difference of the score (independent of the seed code). */
function numericHessian(t: Target, y: readonly number[], h = 1e-4): Float64Array {
  const K = y.length;
  const s = (dj: number, j: number, dk: number, k: number) => {
    const z = [...y];
    z[j] = z[j]! + dj;
    z[k] = z[k]! + dk;
    return score64(t, z);
  };
  const H = new Float64Array(K * K);
  for (let j = 0; j < K; j++)
    for (let k = 0; k < K; k++)
      H[j * K + k] = (s(h, j, h, k) - s(h, j, -h, k) - s(-h, j, h, k) + s(-h, j, -h, k)) / (4 * h * h);
  return H;
}

const y = [0.3, -1.2, 2.0, 0.7, -0.4];

describe('targetHessian', () => {
  const cases: [string, Target, number][] = [
    ['softmax of a given class', { kind: 'softmax', index: 3 }, 1e-6],
    ['softmax of the top-1 class, negated', { kind: 'softmax', negate: true }, 1e-6],
    ['rest', { kind: 'rest', index: 1 }, 1e-6],
    ['similarity (central difference of the seed)', { kind: 'similarity', vector: [1, 0.5, -0.2, 0.1, 0.3] }, 1e-3],
    ['finer', { kind: 'finer', index: 2 }, 1e-3],
  ];
  for (const [name, t, tol] of cases)
    it(`matches a second difference of the score: ${name}`, () => {
      const H = targetHessian(t, y);
      const N = numericHessian(t, y);
      const scale = Math.max(...N.map(Math.abs));
      expect(scale).toBeGreaterThan(1e-3);
      for (let i = 0; i < H.length; i++) expect(Math.abs(H[i]! - N[i]!)).toBeLessThan(tol * Math.max(1, scale));
    });

  it('is zero for targets linear in the logits', () => {
    for (const t of [{ kind: 'class' }, { kind: 'seed', seed: [1, 2, 3, 4, 5] }] as Target[])
      expect(targetHessian(t, y).every((v) => v === 0)).toBe(true);
  });

  it('hessianTimes multiplies row by row', () => {
    const S = Float64Array.from([1, 2, 3, 4]);
    expect([...hessianTimes(S, [1, -1])]).toEqual([-1, -1]);
  });
});
