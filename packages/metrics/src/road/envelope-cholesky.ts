/**
 * A symmetric positive definite matrix in envelope (skyline) storage: row `i` holds columns
 * `first[i] … i`. Cholesky's fill stays inside the envelope, so the factor reuses the storage.
 */
export interface EnvelopeMatrix {
  readonly n: number;
  /** First stored column of each row (≤ the row). */
  readonly first: Int32Array;
  /** Start of each row in `values`; row `i` is `values[start[i] … start[i] + i − first[i]]`. */
  readonly start: Int32Array;
  readonly values: Float64Array;
}

/** An all-zero envelope matrix with the given first column per row. */
export function envelopeMatrix(first: Int32Array): EnvelopeMatrix {
  const n = first.length;
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i]! + i - first[i]! + 1;
  return { n, first, start, values: new Float64Array(start[n]!) };
}

/** Index in `values` of entry (i, j), `first[i] ≤ j ≤ i`. */
export const entry = (m: EnvelopeMatrix, i: number, j: number): number => m.start[i]! + j - m.first[i]!;

/**
 * In place: `m` becomes its lower Cholesky factor L (`m = L·Lᵀ`). Throws a RangeError if a pivot is
 * not positive (the matrix is not positive definite).
 */
export function choleskyInPlace(m: EnvelopeMatrix): void {
  const { n, first, start, values: v } = m;
  for (let i = 0; i < n; i++) {
    const fi = first[i]!;
    const ri = start[i]! - fi; // v[ri + j] is L[i][j]
    for (let j = fi; j < i; j++) {
      const rj = start[j]! - first[j]!;
      let s = v[ri + j]!;
      for (let k = Math.max(fi, first[j]!); k < j; k++) s -= v[ri + k]! * v[rj + k]!;
      v[ri + j] = s / v[rj + j]!;
    }
    let d = v[ri + i]!;
    for (let k = fi; k < i; k++) d -= v[ri + k]! * v[ri + k]!;
    if (!(d > 0)) throw new RangeError(`Cholesky: pivot ${i} is ${d}; the matrix is not positive definite`);
    v[ri + i] = Math.sqrt(d);
  }
}

/** Solves `L·Lᵀ·x = b` in place in `b` (one right-hand side), with `L` from {@link choleskyInPlace}. */
export function choleskySolveInPlace(l: EnvelopeMatrix, b: Float64Array): void {
  const { n, first, values: v } = l;
  for (let i = 0; i < n; i++) {
    const r = entry(l, i, first[i]!) - first[i]!;
    let s = b[i]!;
    for (let k = first[i]!; k < i; k++) s -= v[r + k]! * b[k]!;
    b[i] = s / v[r + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    const r = entry(l, i, first[i]!) - first[i]!;
    const xi = (b[i] = b[i]! / v[r + i]!);
    for (let k = first[i]!; k < i; k++) b[k] = b[k]! - v[r + k]! * xi;
  }
}
