import { topEigen } from './linalg.js';

/** Rows = the `hw` spatial positions, columns = the `C` channels, each column centred (float64). */
function centredPositions(x: Float32Array, channels: number): { X: Float64Array; hw: number } {
  const hw = x.length / channels;
  if (!Number.isInteger(hw)) throw new RangeError(`${x.length} values are not ${channels} channels of equal size`);
  const X = new Float64Array(hw * channels);
  for (let c = 0; c < channels; c++) {
    let m = 0;
    for (let i = 0; i < hw; i++) m += Number.isNaN(x[c * hw + i]!) ? 0 : x[c * hw + i]!;
    m /= hw;
    for (let i = 0; i < hw; i++) X[i * channels + c] = (Number.isNaN(x[c * hw + i]!) ? 0 : x[c * hw + i]!) - m;
  }
  return { X, hw };
}

/** `X·Xᵀ` of row-major `X` (`rows × cols`), symmetric, float64. */
function gram(X: Float64Array, rows: number, cols: number): Float64Array {
  const G = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < cols; k++) s += X[i * cols + k]! * X[j * cols + k]!;
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
