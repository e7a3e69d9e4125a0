/**
 * The float32 sum of `values` in the order numpy's `np.sum` computes it for a float32 array: the array
 * is reduced in buffers of 8192 elements, each summed pairwise (8 accumulators, blocks of ≤ 128,
 * halves rounded to multiples of 8), and the buffer sums are accumulated left to right, every
 * addition rounded to float32. Matching that order is what makes `deprocess` byte-exact.
 */
export function numpySumF32(values: ArrayLike<number>): number {
  const f = Math.fround;
  let acc = 0;
  for (let start = 0; start < values.length; start += BUFFER) {
    acc = f(acc + pairwise(values, start, Math.min(BUFFER, values.length - start)));
  }
  return acc;
}

const BUFFER = 8192;
const BLOCK = 128;

function pairwise(a: ArrayLike<number>, start: number, n: number): number {
  const f = Math.fround;
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res = f(res + a[start + i]!);
    return res;
  }
  if (n <= BLOCK) {
    const r = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => f(a[start + k]!));
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let k = 0; k < 8; k++) r[k] = f(r[k]! + a[start + i + k]!);
    let res = f(f(f(r[0]! + r[1]!) + f(r[2]! + r[3]!)) + f(f(r[4]! + r[5]!) + f(r[6]! + r[7]!)));
    for (; i < n; i++) res = f(res + a[start + i]!);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return f(pairwise(a, start, n2) + pairwise(a, start + n2, n - n2));
}
