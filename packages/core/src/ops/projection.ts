import { topEigen } from './linalg.js';

/** Scratch for the centred positions: reused by every call (they run synchronously), up to 2 MB kept. */
let scratch = new Float64Array(0);
const SCRATCH_MAX = 1 << 18;

/**
 * Rows = the `hw` spatial positions, columns = the `C` channels, each column centred (float64). The
 * returned array may be longer than `hw·C` (a reused scratch buffer): read it before the next call.
 */
function centredPositions(x: Float32Array, channels: number): { X: Float64Array; hw: number } {
  const hw = x.length / channels;
  if (!Number.isInteger(hw)) throw new RangeError(`${x.length} values are not ${channels} channels of equal size`);
  const n = hw * channels;
  if (scratch.length < n) {
    if (n > SCRATCH_MAX) return centredInto(x, channels, hw, new Float64Array(n));
    scratch = new Float64Array(n);
  }
  return centredInto(x, channels, hw, scratch);
}

function centredInto(x: Float32Array, channels: number, hw: number, X: Float64Array) {
  for (let c = 0; c < channels; c++) {
    const at = c * hw;
    let m = 0;
    for (let i = 0; i < hw; i++) {
      const v = x[at + i]!;
      m += v === v ? v : 0; // NaN counts as 0
    }
    m /= hw;
    for (let i = 0, o = c; i < hw; i++, o += channels) {
      const v = x[at + i]!;
      X[o] = (v === v ? v : 0) - m;
    }
  }
  return { X, hw };
}

/**
 * `X·Xᵀ` of row-major `X` (`rows × cols`, extra trailing entries ignored), symmetric, float64. Four
 * dot products at a time share the loads of row i; each still sums its products in k order from 0,
 * so every entry is the same float64 as the one-at-a-time loop's.
 */
function gram(X: Float64Array, rows: number, cols: number): Float64Array {
  const G = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    const a = i * cols;
    let j = 0;
    for (; j + 3 <= i; j += 4) {
      const b0 = j * cols,
        b1 = b0 + cols,
        b2 = b1 + cols,
        b3 = b2 + cols;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let k = 0; k < cols; k++) {
        const v = X[a + k]!;
        s0 += v * X[b0 + k]!;
        s1 += v * X[b1 + k]!;
        s2 += v * X[b2 + k]!;
        s3 += v * X[b3 + k]!;
      }
      G[i * rows + j] = G[j * rows + i] = s0;
      G[i * rows + j + 1] = G[(j + 1) * rows + i] = s1;
      G[i * rows + j + 2] = G[(j + 2) * rows + i] = s2;
      G[i * rows + j + 3] = G[(j + 3) * rows + i] = s3;
    }
    for (; j <= i; j++) {
      const b = j * cols;
      let s = 0;
      for (let k = 0; k < cols; k++) s += X[a + k]! * X[b + k]!;
      G[i * rows + j] = G[j * rows + i] = s;
    }
  }
  return G;
}

/** Flips `p` so that its largest-magnitude entry is positive (LAPACK's sign is arbitrary). */
function fixSign(p: Float64Array): Float32Array {
  let at = 0;
  for (let i = 1; i < p.length; i++) if (Math.abs(p[i]!) > Math.abs(p[at]!)) at = i;
  const s = p[at]! < 0 ? -1 : 1;
  return Float32Array.from(p, (v) => s * v);
}

/**
 * First principal component projection of a channels-first `[C, h·w]` block (pytorch-grad-cam's
 * `get_2d_projection`, Eigen-CAM): positions as rows, channels centred, `X·v` for the first right
 * singular vector `v`. Uses the smaller of the `hw × hw` Gram matrix (`X·v = u·σ`) and the `C × C`
 * covariance. NaN counts as 0. The sign is fixed: the largest-magnitude entry is positive
 * (pytorch-grad-cam leaves LAPACK's arbitrary sign). Returns `h·w` values.
 */
export function firstComponentProjection(x: Float32Array, channels: number): Float32Array {
  const { X, hw } = centredPositions(x, channels);
  const p = new Float64Array(hw);
  if (hw <= channels) {
    const { value, vector } = topEigen(gram(X, hw, channels), hw);
    const sigma = Math.sqrt(Math.max(value, 0));
    for (let i = 0; i < hw; i++) p[i] = vector[i]! * sigma;
  } else {
    const Xt = new Float64Array(channels * hw);
    for (let i = 0; i < hw; i++) for (let c = 0; c < channels; c++) Xt[c * hw + i] = X[i * channels + c]!;
    const { vector } = topEigen(gram(Xt, channels, hw), channels);
    for (let i = 0; i < hw; i++) {
      let s = 0;
      for (let c = 0; c < channels; c++) s += X[i * channels + c]! * vector[c]!;
      p[i] = s;
    }
  }
  return fixSign(p);
}

/**
 * Kernel PCA's first component (pytorch-grad-cam's `get_2d_projection_kernel` with scikit-learn's
 * `KernelPCA(n_components=1, kernel='sigmoid')`): positions as rows, channels centred; kernel
 * `tanh(γ·X·Xᵀ + coef0)` (γ = 1/C by default, coef0 = 1), double-centred; the top eigenvector `α`
 * with its eigenvalue `λ` clipped at 0; projection `α·√λ`, sign as scikit-learn's `svd_flip` (the
 * largest-magnitude entry positive). Returns `h·w` values.
 */
export function kernelFirstComponent(
  x: Float32Array,
  channels: number,
  options: { gamma?: number; coef0?: number } = {},
): Float32Array {
  const { X, hw } = centredPositions(x, channels);
  const gamma = options.gamma ?? 1 / channels;
  const coef0 = options.coef0 ?? 1;
  const K = gram(X, hw, channels);
  for (let i = 0; i < K.length; i++) K[i] = Math.tanh(gamma * K[i]! + coef0);
  // double centring: K − 1K − K1 + 1K1, with 1 the matrix of 1/n
  const rowMean = new Float64Array(hw);
  let all = 0;
  for (let i = 0; i < hw; i++) {
    let s = 0;
    for (let j = 0; j < hw; j++) s += K[i * hw + j]!;
    rowMean[i] = s / hw;
    all += s;
  }
  all /= hw * hw;
  for (let i = 0; i < hw; i++)
    for (let j = 0; j < hw; j++) K[i * hw + j] = K[i * hw + j]! - rowMean[i]! - rowMean[j]! + all;
  const { value, vector } = topEigen(K, hw);
  const root = Math.sqrt(Math.max(value, 0));
  return fixSign(vector.map((v) => v * root));
}
