/**
 * A sparse symmetric positive definite matrix: its upper triangle (diagonal included) by columns
 * (compressed sparse columns: column k's rows `i ≤ k` are `rows[colStart[k] … colStart[k+1])`).
 */
export interface SparseUpper {
  readonly n: number;
  readonly colStart: Int32Array;
  readonly rows: Int32Array;
  readonly values: Float64Array;
}

/** The lower Cholesky factor L (`A = L·Lᵀ`) by columns, each column's diagonal entry first. */
export interface SparseCholesky {
  readonly n: number;
  readonly colStart: Int32Array;
  readonly rows: Int32Array;
  readonly values: Float64Array;
}

/** Elimination tree of A: `parent[i]`, or −1 for a root (Liu's algorithm with path compression). */
function eliminationTree(a: SparseUpper): Int32Array {
  const parent = new Int32Array(a.n).fill(-1);
  const ancestor = new Int32Array(a.n).fill(-1);
  for (let k = 0; k < a.n; k++)
    for (let p = a.colStart[k]!; p < a.colStart[k + 1]!; p++) {
      let i = a.rows[p]!;
      while (i !== -1 && i < k) {
        const next = ancestor[i]!;
        ancestor[i] = k;
        if (next === -1) parent[i] = k;
        i = next;
      }
    }
  return parent;
}

/**
 * The nonzero pattern of row k of L (columns < k) in topological order, written to `s[top … n)`;
 * returns `top`. `mark[i] === k` marks the visited nodes.
 */
function rowPattern(a: SparseUpper, k: number, parent: Int32Array, s: Int32Array, mark: Int32Array): number {
  let top = a.n;
  mark[k] = k;
  for (let p = a.colStart[k]!; p < a.colStart[k + 1]!; p++) {
    let len = 0;
    for (let i = a.rows[p]!; i < k && mark[i] !== k; i = parent[i]!) {
      s[len++] = i;
      mark[i] = k;
    }
    while (len > 0) s[--top] = s[--len]!;
  }
  return top;
}

/**
 * Up-looking sparse Cholesky factorisation (row k of L from the rows above it, along the elimination
 * tree), in float64. Exact up to rounding like any direct solver; its cost depends on the ordering of A
 * (nested dissection keeps the fill small on image grids). Throws a RangeError if A is not positive definite.
 */
export function sparseCholesky(a: SparseUpper): SparseCholesky {
  const { n } = a;
  const parent = eliminationTree(a);
  const s = new Int32Array(n);
  const mark = new Int32Array(n).fill(-1);
  const counts = new Int32Array(n).fill(1);
  for (let k = 0; k < n; k++) for (let t = rowPattern(a, k, parent, s, mark); t < n; t++) counts[s[t]!]!++;
  const colStart = new Int32Array(n + 1);
  for (let k = 0; k < n; k++) colStart[k + 1] = colStart[k]! + counts[k]!;
  const next = colStart.slice(0, n); // where column k's next entry goes
  const rows = new Int32Array(colStart[n]!);
  const values = new Float64Array(colStart[n]!);
  const x = new Float64Array(n);
  mark.fill(-1);
  for (let k = 0; k < n; k++) {
    let top = rowPattern(a, k, parent, s, mark);
    for (let p = a.colStart[k]!; p < a.colStart[k + 1]!; p++) x[a.rows[p]!] = a.values[p]!;
    let d = x[k]!;
    x[k] = 0;
    for (; top < n; top++) {
      const i = s[top]!;
      const lki = x[i]! / values[colStart[i]!]!;
      x[i] = 0;
      for (let p = colStart[i]! + 1; p < next[i]!; p++) x[rows[p]!] -= values[p]! * lki;
      d -= lki * lki;
      const q = next[i]!++;
      rows[q] = k;
      values[q] = lki;
    }
    if (!(d > 0)) throw new RangeError(`Cholesky: pivot ${k} is ${d}; the matrix is not positive definite`);
    const q = next[k]!++;
    rows[q] = k;
    values[q] = Math.sqrt(d);
  }
  return { n, colStart, rows, values };
}

/** Solves `L·Lᵀ·x = b` in place in `b`. */
export function choleskySolve(l: SparseCholesky, b: Float64Array): void {
  const { n, colStart, rows, values } = l;
  for (let j = 0; j < n; j++) {
    const yj = (b[j] = b[j]! / values[colStart[j]!]!);
    for (let p = colStart[j]! + 1; p < colStart[j + 1]!; p++) b[rows[p]!] -= values[p]! * yj;
  }
  for (let j = n - 1; j >= 0; j--) {
    let v = b[j]!;
    for (let p = colStart[j]! + 1; p < colStart[j + 1]!; p++) v -= values[p]! * b[rows[p]!]!;
    b[j] = v / values[colStart[j]!]!;
  }
}
