import { LegacyRandomState } from './mt19937.js';

/** `W·Hᵀ`-style products for the coordinate descent: `A (m×k)ᵀ·A (m×k)` → k×k. */
function gramCols(A: Float64Array, m: number, k: number): Float64Array {
  const G = new Float64Array(k * k);
  for (let i = 0; i < m; i++)
    for (let a = 0; a < k; a++) {
      const v = A[i * k + a]!;
      if (v !== 0) for (let b = 0; b < k; b++) G[a * k + b] = G[a * k + b]! + v * A[i * k + b]!;
    }
  return G;
}

/**
 * One sweep of scikit-learn's `_update_cdnmf_fast` on `W` (m×k) for `X ≈ W·Htᵀ` (X m×n, Ht n×k),
 * components in order (no shuffle, no regularisation). Returns the projected-gradient violation.
 */
function sweep(X: Float64Array, m: number, n: number, W: Float64Array, Ht: Float64Array, k: number): number {
  const HHt = gramCols(Ht, n, k);
  const XHt = new Float64Array(m * k);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      const x = X[i * n + j]!;
      if (x !== 0) for (let t = 0; t < k; t++) XHt[i * k + t] = XHt[i * k + t]! + x * Ht[j * k + t]!;
    }
  let violation = 0;
  for (let t = 0; t < k; t++) {
    const hess = HHt[t * k + t]!;
    for (let i = 0; i < m; i++) {
      let grad = -XHt[i * k + t]!;
      for (let r = 0; r < k; r++) grad += HHt[t * k + r]! * W[i * k + r]!;
      const pg = W[i * k + t] === 0 ? Math.min(0, grad) : grad;
      violation += Math.abs(pg);
      if (hess !== 0) W[i * k + t] = Math.max(W[i * k + t]! - grad / hess, 0);
    }
  }
  return violation;
}

/**
 * Non-negative matrix factorisation `X (m×n) ≈ W (m×k) · H (k×n)` as scikit-learn's
 * `NMF(n_components=k, init='random', random_state=seed)` computes it: random init
 * `|N(0,1)|·√(mean(X)/k)` from NumPy's legacy generator (H first, then W), then coordinate descent
 * (Frobenius loss, no regularisation, components in order) until the violation falls to `tol` of the
 * first sweep's, at most `maxIter` sweeps. Computed in float64 (scikit-learn works in X's dtype).
 */
export function nmf(
  X: ArrayLike<number>,
  m: number,
  n: number,
  k: number,
  options: { seed?: number; maxIter?: number; tol?: number } = {},
): { W: Float64Array; H: Float64Array; iterations: number } {
  if (X.length !== m * n) throw new RangeError(`nmf: ${X.length} values for a ${m}×${n} matrix`);
  const Xd = Float64Array.from(X);
  let sum = 0;
  for (let i = 0; i < Xd.length; i++) {
    if (Xd[i]! < 0) throw new RangeError('nmf: the matrix has negative entries');
    sum += Xd[i]!;
  }
  const avg = Math.sqrt(sum / Xd.length / k);
  const rng = new LegacyRandomState(options.seed ?? 0);
  const H = Float64Array.from({ length: k * n }, () => Math.abs(avg * rng.standardNormal()));
  const W = Float64Array.from({ length: m * k }, () => Math.abs(avg * rng.standardNormal()));
  // Ht (n×k) and Xᵀ (n×m) for the H half-sweep
  const Ht = new Float64Array(n * k);
  for (let t = 0; t < k; t++) for (let j = 0; j < n; j++) Ht[j * k + t] = H[t * n + j]!;
  const Xt = new Float64Array(n * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) Xt[j * m + i] = Xd[i * n + j]!;
  const maxIter = options.maxIter ?? 200,
    tol = options.tol ?? 1e-4;
  let first = 0,
    it = 1;
  for (; it <= maxIter; it++) {
    const v = sweep(Xd, m, n, W, Ht, k) + sweep(Xt, n, m, Ht, W, k);
    if (it === 1) first = v;
    if (first === 0 || v / first <= tol) break;
  }
  for (let t = 0; t < k; t++) for (let j = 0; j < n; j++) H[t * n + j] = Ht[j * k + t]!;
  return { W, H, iterations: Math.min(it, maxIter) };
}
