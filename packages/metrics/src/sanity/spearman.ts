/** Pearson's correlation of two equally long series; NaN when either is constant. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/** 1-based ranks, ties given their average rank (scipy's `rankdata(method='average')`). */
export function ranks(v: ArrayLike<number>): Float64Array {
  const n = v.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => v[i]! - v[j]!);
  const r = new Float64Array(n);
  for (let s = 0; s < n;) {
    let e = s + 1;
    while (e < n && v[order[e]!] === v[order[s]!]) e++;
    const avg = (s + e + 1) / 2; // mean of ranks s+1 … e
    for (let k = s; k < e; k++) r[order[k]!] = avg;
    s = e;
  }
  return r;
}

/**
 * Spearman's rank correlation (scipy's `spearmanr`): Pearson's correlation of the average ranks.
 * In [−1, 1]; NaN when either series is constant.
 */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`series of ${a.length} and ${b.length} values`);
  return pearson(ranks(a), ranks(b));
}
