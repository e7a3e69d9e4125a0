import { argmax, softmax } from './ops/softmax.js';
import { scoreAndSeed } from './target-scores.js';
import { validateTarget, type Target } from './target.js';

/**
 * The Hessian `∂²score / ∂y²` of a target in the logits y of one image, `[K·K]` row-major, negation
 * included; the class is resolved as `resolveTarget` does (top-1 when omitted). Backends add
 * `Jᵀ·S·(J·A)` with it to the network's own curvature for `CaptureRequest.hessianVector`.
 * - `class`, `seed`, `binary`: 0 (linear in y).
 * - `softmax` (p_c): `p_c·[(δ_cj − p_j)(δ_ck − p_k) − p_j(δ_jk − p_k)]`.
 * - `rest` (2·y_c − logsumexp y): `−(diag(p) − p·pᵀ)`.
 * - `similarity`, `finer`: a central difference of the analytic float32 seed (step 1e-3: about 1e-4 relative).
 */
export function targetHessian(t: Target, logits: ArrayLike<number>): Float64Array {
  const K = logits.length;
  validateTarget(t, K);
  const H = new Float64Array(K * K);
  const sign = t.negate ? -1 : 1;
  const c = 'index' in t && t.index !== undefined ? t.index : argmax(logits);
  switch (t.kind) {
    case 'class':
    case 'seed':
    case 'binary':
      return H;
    case 'softmax':
    case 'rest': {
      const p = softmax(logits);
      for (let j = 0; j < K; j++)
        for (let k = 0; k < K; k++) {
          const cov = p[j]! * ((j === k ? 1 : 0) - p[k]!);
          H[j * K + k] =
            sign *
            (t.kind === 'rest' ? -cov : p[c]! * (((c === j ? 1 : 0) - p[j]!) * ((c === k ? 1 : 0) - p[k]!) - cov));
        }
      return H;
    }
    default: {
      const y = Float64Array.from(logits);
      const ci = t.kind === 'finer' ? c : null;
      for (let k = 0; k < K; k++) {
        const h = 1e-3 * Math.max(1, Math.abs(y[k]!));
        const at = (d: number) => {
          const z = Float64Array.from(y);
          z[k] = z[k]! + d;
          return scoreAndSeed(t, z, ci).seed;
        };
        const up = at(h),
          down = at(-h);
        for (let j = 0; j < K; j++) H[j * K + k] = (sign * (up[j]! - down[j]!)) / (2 * h);
      }
      return H;
    }
  }
}

/** `S·u` for a `[K·K]` Hessian S (float64 accumulation). */
export function hessianTimes(S: Float64Array, u: ArrayLike<number>): Float32Array {
  const K = u.length;
  const out = new Float32Array(K);
  for (let j = 0; j < K; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += S[j * K + k]! * u[k]!;
    out[j] = s;
  }
  return out;
}
