import { describe, expect, it } from 'vitest';
import { NEIGHBOUR_WEIGHTS, noisyLinearImpute, percentile, pixelImage } from '../src/index.js';
import { nestedDissection } from '../src/road/nested-dissection.js';
import { choleskySolve, sparseCholesky } from '../src/road/sparse-cholesky.js';
import { gaussian } from '../src/road/noisy-linear-imputer.js';

const [H, W, C] = [6, 7, 2];
/** An NCHW image `[1, C, H, W]` with channel c's value at (y, x) = f(c, y, x). */
const image = (f: (c: number, y: number, x: number) => number) => {
  const d = new Float32Array(C * H * W);
  for (let c = 0; c < C; c++)
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) d[(c * H + y) * W + x] = f(c, y, x);
  return pixelImage(d, [1, C, H, W], 'NCHW');
};
/** keep = 0 where `removed(y, x)`. */
const keepWhere = (removed: (y: number, x: number) => boolean) =>
  Uint8Array.from({ length: H * W }, (_, p) => (removed(Math.floor(p / W), p % W) ? 0 : 1));
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};
const exact = { noise: 0 };

describe('noisyLinearImpute (noise 0): closed forms', () => {
  it('keeps a constant image constant, wherever the holes are', () => {
    const img = image((c) => 0.75 - c);
    const out = noisyLinearImpute(
      img,
      keepWhere((y, x) => (x * 3 + y * 5) % 4 !== 0 || y === 0),
      exact,
    );
    expect(maxAbs(out, img.data)).toBeLessThan(1e-6);
  });

  // For a removed pixel whose in-image neighbours are symmetric in dx (not on the left/right edge),
  // Σ_valid w·dx = 0 since w(dy, dx) = w(dy, −dx): a horizontal ramp f = a + b·x satisfies its equation
  // Σ_valid w·(f(q) − f(p)) = b·Σ_valid w·dx = 0, top/bottom rows included. With one pixel known the
  // system is nonsingular, so the ramp is THE solution.
  it('reproduces a horizontal ramp when no removed pixel is on the left or right edge', () => {
    const img = image((c, _y, x) => (c === 0 ? 0.25 * x - 0.5 : -1.5 * x + 2));
    const out = noisyLinearImpute(
      img,
      keepWhere((y, x) => x >= 1 && x <= W - 2 && (y <= 3 || x === 3)),
      exact,
    );
    expect(maxAbs(out, img.data)).toBeLessThan(1e-5);
  });

  // On the top row the valid offsets have dy ∈ {0, 1}: Σ_valid w·dy = 1/12 + 1/6 + 1/12 = 1/3 ≠ 0, so a
  // vertical ramp is pulled inwards there (pytorch-grad-cam's renormalised border weights).
  it('does not reproduce a vertical ramp through the top row (the border weights are one-sided)', () => {
    const img = image((_c, y) => y);
    const out = noisyLinearImpute(
      img,
      keepWhere((y, x) => y <= 1 && x >= 2 && x <= 4),
      exact,
    );
    expect(out[3]! - img.data[3]!).toBeGreaterThan(0.1); // (0, 3): above 0, pulled towards row 1
  });

  it('fills one removed pixel with the weighted mean of its neighbours (renormalised in a corner)', () => {
    const img = image((c, y, x) => Math.sin(1 + c + 3 * y + 7 * x));
    const v = (c: number, y: number, x: number) => img.data[(c * H + y) * W + x]!;
    const mid = noisyLinearImpute(
      img,
      keepWhere((y, x) => y === 2 && x === 3),
      exact,
    );
    const corner = noisyLinearImpute(
      img,
      keepWhere((y, x) => y === 0 && x === 0),
      exact,
    );
    for (let c = 0; c < C; c++) {
      const want = NEIGHBOUR_WEIGHTS.reduce((s, [dy, dx, w]) => s + w * v(c, 2 + dy, 3 + dx), 0);
      expect(mid[(c * H + 2) * W + 3]).toBeCloseTo(want, 6);
      expect(corner[c * H * W]).toBeCloseTo(((v(c, 0, 1) + v(c, 1, 0)) / 6 + v(c, 1, 1) / 12) / (5 / 12), 6);
    }
  });

  it('returns zeros when every pixel is removed (the singular system: as scipy solves it, b = 0)', () => {
    const out = noisyLinearImpute(
      image(() => 3),
      keepWhere(() => true),
      exact,
    );
    expect(out.every((v) => v === 0)).toBe(true);
  });

  it('gives the same pixels in NHWC as in NCHW', () => {
    const img = image((c, y, x) => Math.cos(c - y * x));
    const keep = keepWhere((y, x) => (y + x) % 3 === 0);
    const nhwc = new Float32Array(C * H * W);
    for (let c = 0; c < C; c++) for (let p = 0; p < H * W; p++) nhwc[p * C + c] = img.data[c * H * W + p]!;
    const a = noisyLinearImpute(img, keep, exact);
    const b = noisyLinearImpute(pixelImage(nhwc, [1, H, W, C], 'NHWC'), keep, exact);
    for (let c = 0; c < C; c++) for (let p = 0; p < H * W; p++) expect(b[p * C + c]).toBe(a[c * H * W + p]);
  });
});

describe('noisyLinearImpute with noise', () => {
  const img = image((c, y, x) => c + 0.1 * y - 0.05 * x);
  const keep = keepWhere((y, x) => x > 1 && x < 5);
  const clean = noisyLinearImpute(img, keep, exact);
  const noisy = (seed: number, noise = 0.01) => noisyLinearImpute(img, keep, { noise, normal: gaussian(seed) });

  it('is reproducible with equal seeds and differs with different seeds', () => {
    expect(Array.from(noisy(7))).toEqual(Array.from(noisy(7)));
    expect(maxAbs(noisy(7), noisy(8))).toBeGreaterThan(1e-4);
  });

  it('adds N(0, σ²) to imputed pixels only', () => {
    const d = noisy(3, 0.5).map((v, i) => v - clean[i]!);
    const removed = Array.from(d).filter((_, i) => !keep[i % (H * W)]);
    expect(
      Array.from(d)
        .filter((_, i) => keep[i % (H * W)])
        .every((v) => v === 0),
    ).toBe(true);
    const m = removed.reduce((a, b) => a + b, 0) / removed.length;
    const sd = Math.sqrt(removed.reduce((a, b) => a + (b - m) ** 2, 0) / removed.length);
    expect(removed.length).toBe(2 * 3 * H);
    expect(Math.abs(m)).toBeLessThan(0.25); // 36 draws: |mean| < 3σ/√36
    expect(sd).toBeGreaterThan(0.3);
    expect(sd).toBeLessThan(0.7);
  });
});

describe('percentile (NumPy linear)', () => {
  it('interpolates between order statistics at (n − 1)·p/100', () => {
    const v = Float32Array.from([4, 1, 3, 2]);
    expect(percentile(v, 0)).toBe(1);
    expect(percentile(v, 50)).toBe(2.5);
    expect(percentile(v, 100)).toBe(4);
    expect(percentile(v, 20)).toBeCloseTo(1.6, 12);
  });
});

describe('sparse Cholesky', () => {
  it('solves a sparse SPD system (in any order) to float64 rounding', () => {
    // A 2-D grid Laplacian plus a diagonal shift, its nodes shuffled: arbitrary sparsity and fill.
    const [h, w] = [7, 9];
    const n = h * w;
    const perm = Array.from({ length: n }, (_, i) => (i * 37) % n); // 37 is prime to 63
    const dense = Array.from({ length: n }, () => new Float64Array(n));
    for (let p = 0; p < n; p++) {
      const [y, x] = [Math.floor(p / w), p % w];
      dense[perm[p]!]![perm[p]!] = 9 + (p % 3); // > Σ|off-diagonal| ≤ 6 · 1.4: SPD
      for (const [yy, xx] of [
        [y + 1, x],
        [y, x + 1],
        [y + 1, x + 1],
      ])
        if (yy! < h && xx! < w) {
          const q = yy! * w + xx!;
          dense[perm[p]!]![perm[q]!] = dense[perm[q]!]![perm[p]!] = -1 - 0.1 * (q % 5);
        }
    }
    const colStart = new Int32Array(n + 1);
    const rows: number[] = [];
    const values: number[] = [];
    for (let k = 0; k < n; k++) {
      for (let i = 0; i <= k; i++)
        if (dense[i]![k] !== 0) {
          rows.push(i);
          values.push(dense[i]![k]!);
        }
      colStart[k + 1] = rows.length;
    }
    const l = sparseCholesky({ n, colStart, rows: Int32Array.from(rows), values: Float64Array.from(values) });
    const b = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
    const x = Float64Array.from(b);
    choleskySolve(l, x);
    const r = dense.map((row, i) => row.reduce((s, a, j) => s + a * x[j]!, 0) - b[i]!);
    expect(Math.max(...r.map(Math.abs))).toBeLessThan(1e-12);
    expect(() =>
      sparseCholesky({
        n: 1,
        colStart: Int32Array.from([0, 1]),
        rows: Int32Array.from([0]),
        values: Float64Array.from([-1]),
      }),
    ).toThrow(/not positive definite/);
  });
});

describe('nestedDissection', () => {
  it('orders every given pixel once, separators after the halves they separate', () => {
    const W = 20;
    const pixels = Array.from({ length: 20 * W }, (_, p) => p).filter((p) => p % 7 !== 0);
    const order = nestedDissection(pixels, W, 8);
    expect([...order].sort((a, b) => a - b)).toEqual(pixels);
    const top = order.slice(-W).map((p) => Math.floor(p / W)); // the first separator: row 10, last
    expect(new Set(top.slice(-17))).toEqual(new Set([10]));
  });
});
