import type { Target } from './target.js';
import { softmax } from './ops/softmax.js';

/** The score of `t` (before negation) and d score / d logits, for one image's logits. */
export function scoreAndSeed(t: Target, y: ArrayLike<number>, c: number | null): { score: number; seed: Float32Array } {
  const n = y.length;
  const seed = new Float32Array(n);
  switch (t.kind) {
    case 'seed': {
      let score = 0;
      for (let i = 0; i < n; i++) score += (seed[i] = t.seed[i]!) * y[i]!;
      return { score, seed };
    }
    case 'region': {
      // score = Σ_p mask[p]·y[c·HW + p]; the seed is the mask placed on class c's plane
      const hw = t.mask.length;
      let score = 0;
      for (let p = 0; p < hw; p++) score += (seed[c! * hw + p] = t.mask[p]!) * y[c! * hw + p]!;
      return { score, seed };
    }
    case 'class':
      seed[c!] = 1;
      return { score: y[c!]!, seed };
    case 'binary': {
      const s = (t.positive ?? y[0]! >= 0) ? 1 : -1;
      seed[0] = s;
      return { score: s * y[0]!, seed };
    }
    case 'softmax': {
      // d softmax_c / d y_j = p_c (δ_cj − p_j)
      const p = softmax(y);
      for (let j = 0; j < n; j++) seed[j] = p[c!]! * ((j === c ? 1 : 0) - p[j]!);
      return { score: p[c!]!, seed };
    }
    case 'rest': {
      // 2·y_c − logsumexp(y): d/dy_j = 2δ_cj − p_j
      const p = softmax(y);
      let m = -Infinity;
      for (let i = 0; i < n; i++) m = Math.max(m, y[i]!);
      let s = 0;
      for (let i = 0; i < n; i++) s += Math.exp(y[i]! - m);
      for (let j = 0; j < n; j++) seed[j] = (j === c ? 2 : 0) - p[j]!;
      return { score: 2 * y[c!]! - (m + Math.log(s)), seed };
    }
    case 'similarity':
      return cosine(y, t.vector, seed);
    case 'finer':
      return finer(y, c!, t.alpha ?? 1, t.ranks ?? [1, 2, 3].filter((r) => r < n), seed);
  }
}

/** cos(y, v) = y·v / max(|y||v|, 1e-8) (torch's CosineSimilarity) and its gradient in y. */
function cosine(y: ArrayLike<number>, v: ArrayLike<number>, seed: Float32Array) {
  let yv = 0,
    yy = 0,
    vv = 0;
  for (let i = 0; i < y.length; i++) {
    yv += y[i]! * v[i]!;
    yy += y[i]! ** 2;
    vv += v[i]! ** 2;
  }
  const ny = Math.sqrt(yy),
    nv = Math.sqrt(vv);
  const d = Math.max(ny * nv, 1e-8);
  const score = yv / d;
  for (let i = 0; i < y.length; i++) seed[i] = d > 1e-8 ? v[i]! / d - (score * y[i]!) / yy : v[i]! / d;
  return { score, seed };
}

/**
 * FinerCAM's weighted difference: comparison classes are the ranks of `|y_k − y_c|` ascending
 * (rank 0 is c itself; a stable sort, as NumPy's argsort on ties); S = Σ_j p_j (y_c − α y_j),
 * P = Σ_j p_j + 1e-9, score = S / P, with the gradient flowing through p = softmax(y).
 */
function finer(y: ArrayLike<number>, c: number, alpha: number, ranks: readonly number[], seed: Float32Array) {
  const n = y.length;
  const order = Array.from({ length: n }, (_, k) => k).sort(
    (a, b) => Math.abs(y[a]! - y[c]!) - Math.abs(y[b]! - y[c]!) || a - b,
  );
  const J = ranks.map((r) => order[r]!);
  const p = softmax(y);
  let S = 0,
    P = 1e-9;
  for (const j of J) {
    S += p[j]! * (y[c]! - alpha * y[j]!);
    P += p[j]!;
  }
  for (let k = 0; k < n; k++) {
    let dS = 0,
      dP = 0;
    for (const j of J) {
      const dp = p[j]! * ((j === k ? 1 : 0) - p[k]!);
      dS += dp * (y[c]! - alpha * y[j]!) + p[j]! * ((k === c ? 1 : 0) - alpha * (k === j ? 1 : 0));
      dP += dp;
    }
    seed[k] = (dS * P - S * dP) / (P * P);
  }
  return { score: S / P, seed };
}
