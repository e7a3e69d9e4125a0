import type { Tensor } from '@gradscope/core';
import type { Tolerance } from './manifest.js';

/** How far `actual` is from `expected`. NaN anywhere makes every measure NaN (and fail). */
export interface Closeness {
  /** max |a − e|. */
  readonly maxAbs: number;
  /** max |a − e| / max |e| (0 when both are all zeros, Infinity when only `expected` is). */
  readonly relative: number;
  /** Σ a·e / (‖a‖·‖e‖); 1 when both are all zeros, 0 when exactly one is. */
  readonly cosine: number;
}

/** Measures two equally long arrays; throws a RangeError when their lengths differ. */
export function closeness(actual: ArrayLike<number>, expected: ArrayLike<number>): Closeness {
  if (actual.length !== expected.length)
    throw new RangeError(`cannot compare ${actual.length} values with ${expected.length}`);
  let maxAbs = 0,
    maxE = 0,
    dot = 0,
    na = 0,
    ne = 0;
  let nan = false;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!,
      e = expected[i]!;
    if (Number.isNaN(a) || Number.isNaN(e)) nan = true;
    maxAbs = Math.max(maxAbs, Math.abs(a - e));
    maxE = Math.max(maxE, Math.abs(e));
    dot += a * e;
    na += a * a;
    ne += e * e;
  }
  if (nan) return { maxAbs: NaN, relative: NaN, cosine: NaN };
  const relative = maxE > 0 ? maxAbs / maxE : maxAbs === 0 ? 0 : Infinity;
  const cosine = na === 0 && ne === 0 ? 1 : na === 0 || ne === 0 ? 0 : dot / Math.sqrt(na * ne);
  return { maxAbs, relative, cosine };
}

/** True when ANY criterion of `tol` holds (a tolerance with no criterion never passes). */
export function withinTolerance(c: Closeness, tol: Tolerance): boolean {
  return (
    (tol.maxAbs !== undefined && c.maxAbs <= tol.maxAbs) ||
    (tol.relative !== undefined && c.relative <= tol.relative) ||
    (tol.cosine !== undefined && c.cosine >= tol.cosine)
  );
}

/** The closer of `actual` and `−actual` to `expected` (for maps defined up to sign). */
export function closenessUpToSign(actual: ArrayLike<number>, expected: ArrayLike<number>): Closeness {
  const plus = closeness(actual, expected);
  const minus = closeness(
    Array.from(actual, (v) => -v),
    expected,
  );
  return minus.maxAbs < plus.maxAbs ? minus : plus;
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toExponential(2) : String(v));

/** One line: the measures and the tolerance, for assertion messages. */
export function formatCloseness(c: Closeness, tol: Tolerance): string {
  const want = [
    tol.maxAbs !== undefined ? `max|Δ| ≤ ${tol.maxAbs}` : '',
    tol.relative !== undefined ? `relative ≤ ${tol.relative}` : '',
    tol.cosine !== undefined ? `cosine ≥ ${tol.cosine}` : '',
  ]
    .filter(Boolean)
    .join(' or ');
  return `max|Δ| ${fmt(c.maxAbs)}, relative ${fmt(c.relative)}, cosine ${c.cosine.toFixed(7)} (want ${want})`;
}

/**
 * Compares a tensor with a golden one: shapes must be equal, values within `tol`. Returns null when
 * they match, otherwise a one-line reason starting with `what`.
 */
export function mismatch(
  actual: Tensor,
  expected: Tensor,
  tol: Tolerance,
  what: string,
  upToSign = false,
): string | null {
  const sa = `[${actual.shape.join(', ')}]`,
    se = `[${expected.shape.join(', ')}]`;
  if (sa !== se) return `${what}: shape ${sa}, expected ${se}`;
  const c = upToSign ? closenessUpToSign(actual.data, expected.data) : closeness(actual.data, expected.data);
  return withinTolerance(c, tol) ? null : `${what}: ${formatCloseness(c, tol)}`;
}
