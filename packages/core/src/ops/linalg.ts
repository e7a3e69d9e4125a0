/**
 * The largest eigenvalue of a symmetric `n × n` matrix (row-major, float64) and its unit eigenvector,
 * by Householder tridiagonalisation and the implicit QL algorithm with Wilkinson shifts. Exact to
 * float64 round-off (no power iteration, so a small eigengap costs nothing). O(n³) for the reduction;
 * the QL rotations are applied to the one eigenvector returned, not to the whole transform. n ≤ 512 in practice.
 */
export function topEigen(matrix: Float64Array, n: number): { value: number; vector: Float64Array } {
  if (matrix.length !== n * n) throw new RangeError(`topEigen: ${matrix.length} values for a ${n}×${n} matrix`);
  const z = Float64Array.from(matrix);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tridiagonalize(z, n, d, e);
  const rotations: number[] = [];
  diagonalize(d, e, rotations);
  let best = 0;
  for (let i = 1; i < n; i++) if (d[i]! > d[best]!) best = i;
  // the eigenvector is column `best` of Q·R_1·…·R_m: apply the rotations to e_best, last first, then Q
  const y = new Float64Array(n);
  y[best] = 1;
  for (let r = rotations.length - 3; r >= 0; r -= 3) {
    const i = rotations[r]!,
      s = rotations[r + 1]!,
      c = rotations[r + 2]!;
    const yi = y[i]!,
      yj = y[i + 1]!;
    y[i] = c * yi + s * yj;
    y[i + 1] = c * yj - s * yi;
  }
  const vector = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let v = 0;
    for (let j = 0; j < n; j++) v += z[k * n + j]! * y[j]!;
    vector[k] = v;
  }
  return { value: d[best]!, vector };
}

/** Householder reduction of symmetric `z` to tridiagonal form; `z` becomes the orthogonal transform. */
function tridiagonalize(z: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1;
    let h = 0;
    let scale = 0;
    if (l > 0) {
      for (let k = 0; k <= l; k++) scale += Math.abs(z[i * n + k]!);
      if (scale === 0) e[i] = z[i * n + l]!;
      else {
        for (let k = 0; k <= l; k++) {
          z[i * n + k] = z[i * n + k]! / scale;
          h += z[i * n + k]! ** 2;
        }
        let f = z[i * n + l]!;
        const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
        e[i] = scale * g;
        h -= f * g;
        z[i * n + l] = f - g;
        f = 0;
        for (let j = 0; j <= l; j++) {
          z[j * n + i] = z[i * n + j]! / h;
          let s = 0;
          for (let k = 0; k <= j; k++) s += z[j * n + k]! * z[i * n + k]!;
          for (let k = j + 1; k <= l; k++) s += z[k * n + j]! * z[i * n + k]!;
          e[j] = s / h;
          f += e[j]! * z[i * n + j]!;
        }
        const hh = f / (h + h);
        for (let j = 0; j <= l; j++) {
          const fj = z[i * n + j]!;
          const gj = (e[j] = e[j]! - hh * fj);
          for (let k = 0; k <= j; k++) z[j * n + k] = z[j * n + k]! - (fj * e[k]! + gj * z[i * n + k]!);
        }
      }
    } else e[i] = z[i * n + l]!;
    d[i] = h;
  }
  d[0] = 0;
  e[0] = 0;
  for (let i = 0; i < n; i++) {
    const l = i - 1;
    if (d[i] !== 0) {
      for (let j = 0; j <= l; j++) {
        let g = 0;
        for (let k = 0; k <= l; k++) g += z[i * n + k]! * z[k * n + j]!;
        for (let k = 0; k <= l; k++) z[k * n + j] = z[k * n + j]! - g * z[k * n + i]!;
      }
    }
    d[i] = z[i * n + i]!;
    z[i * n + i] = 1;
    for (let j = 0; j <= l; j++) z[j * n + i] = z[i * n + j] = 0;
  }
}

/**
 * Implicit QL with shifts on the tridiagonal (d, e): d becomes the eigenvalues. Each plane rotation
 * of columns (i, i + 1) is recorded in `rotations` as (i, s, c) instead of being applied to all n
 * rows of the transform (O(n) each): `topEigen` needs only one column of it.
 */
function diagonalize(d: Float64Array, e: Float64Array, rotations: number[]): void {
  const n = d.length;
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    for (let iter = 0; ; iter++) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) <= Number.EPSILON * dd) break;
      }
      if (m === l) break;
      if (iter === 60) throw new Error('topEigen: the QL iteration did not converge');
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = Math.hypot(g, 1);
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      for (; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        e[i + 1] = r = Math.hypot(f, g);
        if (r === 0) {
          d[i + 1] = d[i + 1]! - p;
          e[m] = 0;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - p;
        r = (d[i]! - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        rotations.push(i, s, c);
      }
      if (r === 0 && i >= l) continue;
      d[l] = d[l]! - p;
      e[l] = g;
      e[m] = 0;
    }
  }
}
