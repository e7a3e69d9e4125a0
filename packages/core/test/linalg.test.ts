import { describe, expect, it } from 'vitest';
import { firstComponentProjection, kernelFirstComponent, seededUniform, topEigen } from '../src/index.js';

/** Q·diag(λ)·Qᵀ with Q a product of two Householder reflections: a symmetric matrix of known spectrum. */
function known(n: number, lambdas: number[], seed: number): { A: Float64Array; top: Float64Array } {
  const u = seededUniform(seed);
  const reflect = () => {
    const v = Array.from({ length: n }, () => u() - 0.5);
    const nn = Math.hypot(...v);
    return v.map((t) => t / nn);
  };
  const v1 = reflect(),
    v2 = reflect();
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      // (I − 2 v1 v1ᵀ)(I − 2 v2 v2ᵀ)
      let s = 0;
      for (let k = 0; k < n; k++) {
        const h1 = (i === k ? 1 : 0) - 2 * v1[i]! * v1[k]!;
        const h2 = (k === j ? 1 : 0) - 2 * v2[k]! * v2[j]!;
        s += h1 * h2;
      }
      Q[i * n + j] = s;
    }
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += Q[i * n + k]! * lambdas[k]! * Q[j * n + k]!;
      A[i * n + j] = s;
    }
  const best = lambdas.indexOf(Math.max(...lambdas));
  return { A, top: Float64Array.from({ length: n }, (_, i) => Q[i * n + best]!) };
}

describe('topEigen (Householder + implicit QL)', () => {
  it.each([
    [1, [3]],
    [2, [1, 4]],
    [6, [0.5, -2, 9, 3, 8.999, 0]],
    [40, Array.from({ length: 40 }, (_, i) => Math.sin(i) * 10)],
  ])('finds the largest eigenvalue and its vector of a %i×%i matrix of known spectrum', (n, lambdas) => {
    const { A, top } = known(n, lambdas, n);
    const { value, vector } = topEigen(A, n);
    expect(value).toBeCloseTo(Math.max(...lambdas), 9);
    const dot = vector.reduce((s, v, i) => s + v * top[i]!, 0);
    expect(Math.abs(dot)).toBeCloseTo(1, 6);
  });
  it('refuses a matrix of the wrong size', () => {
    expect(() => topEigen(new Float64Array(5), 2)).toThrow(RangeError);
  });
});

describe('first component projections', () => {
  it('a rank-one block projects onto its spatial pattern, with the largest entry positive', () => {
    // A_c(i) = s_c · p(i): centred columns are s_c (p − mean p); the projection is ±|s| (p − mean p)
    const p = [3, -1, 0.5, 2, -4, 1],
      s = [2, -1, 0.5];
    const x = Float32Array.from({ length: 18 }, (_, k) => s[Math.floor(k / 6)]! * p[k % 6]!);
    const mp = p.reduce((a, b) => a + b, 0) / 6;
    const ns = Math.hypot(...s);
    const expected = p.map((v) => -(v - mp) * ns); // sign: −4 − mean is the largest magnitude → flipped
    const got = firstComponentProjection(x, 3);
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    // the same through the covariance path (more positions than channels) and the Gram path agree
    expect(Math.max(...got.map(Math.abs))).toBe(Math.max(...got));
  });
  it('kernel PCA of a constant block is all zeros (the centred kernel vanishes)', () => {
    const k = kernelFirstComponent(new Float32Array(4 * 9).fill(2), 4);
    expect(Array.from(k).every((v) => Math.abs(v) < 1e-6)).toBe(true);
  });
});

describe('firstComponentProjection against a plain reference', () => {
  /** Centred positions, X·v for the top eigenvector of XᵀX by power iteration (float64), largest entry positive. */
  function reference(x: Float32Array, C: number): Float64Array {
    const hw = x.length / C;
    const X = new Float64Array(hw * C);
    for (let c = 0; c < C; c++) {
      let m = 0;
      for (let i = 0; i < hw; i++) m += x[c * hw + i]!;
      for (let i = 0; i < hw; i++) X[i * C + c] = x[c * hw + i]! - m / hw;
    }
    let v = new Float64Array(C).fill(1);
    for (let it = 0; it < 300; it++) {
      const Xv = new Float64Array(hw);
      for (let i = 0; i < hw; i++) for (let c = 0; c < C; c++) Xv[i] += X[i * C + c]! * v[c]!;
      const next = new Float64Array(C);
      for (let i = 0; i < hw; i++) for (let c = 0; c < C; c++) next[c] += X[i * C + c]! * Xv[i]!;
      const norm = Math.hypot(...next);
      v = next.map((t) => t / norm);
    }
    const p = new Float64Array(hw);
    for (let i = 0; i < hw; i++) for (let c = 0; c < C; c++) p[i] += X[i * C + c]! * v[c]!;
    let at = 0;
    for (let i = 1; i < hw; i++) if (Math.abs(p[i]!) > Math.abs(p[at]!)) at = i;
    return p[at]! < 0 ? p.map((t) => -t) : p;
  }
  // a dominant spatial pattern plus noise: a clear eigengap, so power iteration converges
  function block(C: number, hw: number, seed: number): Float32Array {
    const u = seededUniform(seed);
    const pattern = Array.from({ length: hw }, () => u());
    return Float32Array.from(
      { length: C * hw },
      (_, k) => pattern[k % hw]! * (1 + (Math.floor(k / hw) % 7)) + 0.1 * u(),
    );
  }

  it.each([
    [512, 49, 'the Gram matrix of positions'],
    [8, 100, 'the covariance of channels'],
    [64, 64, 'the Gram matrix (hw = C)'],
  ])('%i channels × %i positions (%s)', (C, hw) => {
    const x = block(C, hw, C + hw);
    const got = firstComponentProjection(x, C);
    const want = reference(x, C);
    const scale = Math.max(...Array.from(want, Math.abs));
    for (let i = 0; i < hw; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-6 * scale);
  });

  it('gives the same result after calls on other shapes (its scratch buffer is reused)', () => {
    const big = block(512, 49, 1),
      small = block(8, 30, 2);
    const first = firstComponentProjection(big, 512);
    const smallFirst = firstComponentProjection(small, 8);
    expect(firstComponentProjection(big, 512)).toEqual(first);
    expect(firstComponentProjection(small, 8)).toEqual(smallFirst);
  });
});
