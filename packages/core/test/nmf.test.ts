import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LegacyRandomState, nmf } from '../src/index.js';

// References: NumPy's RandomState(0) and scikit-learn's NMF(init='random', random_state=0)
// (scripts/make-nmf-golden.py, Debian's scikit-learn 1.2).
const golden = JSON.parse(readFileSync(new URL('./fixtures/nmf.json', import.meta.url), 'utf8')) as {
  draws: { uint32: number[]; random_sample: number[]; standard_normal: number[] };
  cases: {
    m: number;
    n: number;
    k: number;
    dtype: string;
    X: number[];
    W: number[];
    H: number[];
    iterations: number;
  }[];
};

describe("NumPy's legacy RandomState", () => {
  it('draws the same 32-bit words, uniform doubles and normals as RandomState(0)', () => {
    const a = new LegacyRandomState(0);
    expect(golden.draws.uint32.map(() => a.nextUint32())).toEqual(golden.draws.uint32);
    const b = new LegacyRandomState(0);
    expect(golden.draws.random_sample.map(() => b.randomSample())).toEqual(golden.draws.random_sample);
    const c = new LegacyRandomState(0);
    golden.draws.standard_normal.forEach((v) => expect(c.standardNormal()).toBeCloseTo(v, 14));
  });
});

describe("nmf equals scikit-learn's NMF(init='random', random_state=0)", () => {
  it.each(golden.cases.map((c) => [`${c.m}×${c.n}, k=${c.k}, ${c.dtype}`, c]))('%s', (_, c) => {
    const { W, H, iterations } = nmf(c.X, c.m, c.n, c.k);
    const tol = c.dtype === 'float64' ? 1e-9 : 1e-3;
    const scale = Math.max(...c.W, ...c.H);
    expect(Math.max(...c.W.map((v, i) => Math.abs(v - W[i]!))) / scale).toBeLessThan(tol);
    expect(Math.max(...c.H.map((v, i) => Math.abs(v - H[i]!))) / scale).toBeLessThan(tol);
    if (c.dtype === 'float64') expect(iterations).toBe(c.iterations);
  });
});
