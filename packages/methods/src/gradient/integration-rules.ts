/** Captum's path-integral approximations: points `α_k` in [0, 1] and their weights. */
export const INTEGRATION_RULES = [
  'gauss-legendre',
  'riemann-trapezoid',
  'riemann-left',
  'riemann-right',
  'riemann-middle',
] as const;
export type IntegrationRule = (typeof INTEGRATION_RULES)[number];

/** Gauss–Legendre nodes on [−1, 1] (ascending) and weights, by Newton's method on P_n. */
export function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(n),
    weights = new Float64Array(n);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    let t = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1,
        p1 = t;
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * t * p1 - (k - 1) * p0) / k];
      const pn = n === 1 ? t : p1,
        pm = n === 1 ? 1 : p0;
      dp = (n * (t * pn - pm)) / (t * t - 1);
      const dt = pn / dp;
      t -= dt;
      if (Math.abs(dt) < 1e-16) break;
    }
    const w = 2 / ((1 - t * t) * dp * dp);
    nodes[i] = -t;
    nodes[n - 1 - i] = t;
    weights[i] = weights[n - 1 - i] = w;
  }
  return { nodes, weights };
}

/**
 * The `n` points and step weights of a rule, as Captum's `approximation_parameters`: Riemann left
 * `k/n`, right `(k+1)/n`, middle `(k+½)/n` (weights 1/n); trapezoid `k/(n−1)` with weights
 * `[1/(2n), 1/n, …, 1/n, 1/(2n)]` (they sum to (n−1)/n, as Captum's do); Gauss–Legendre
 * `α = (1 + t)/2`, weights `w/2`.
 */
export function integrationPoints(rule: IntegrationRule, n: number): { alphas: number[]; weights: number[] } {
  const ks = Array.from({ length: n }, (_, k) => k);
  switch (rule) {
    case 'gauss-legendre': {
      const g = gaussLegendre(n);
      return { alphas: ks.map((k) => 0.5 * (1 + g.nodes[k]!)), weights: ks.map((k) => 0.5 * g.weights[k]!) };
    }
    case 'riemann-trapezoid':
      return {
        alphas: ks.map((k) => (n === 1 ? 0 : k / (n - 1))),
        weights: ks.map((k) => (k === 0 || k === n - 1 ? 1 / (2 * n) : 1 / n)),
      };
    case 'riemann-left':
      return { alphas: ks.map((k) => k / n), weights: ks.map(() => 1 / n) };
    case 'riemann-right':
      return { alphas: ks.map((k) => (k + 1) / n), weights: ks.map(() => 1 / n) };
    case 'riemann-middle':
      return { alphas: ks.map((k) => (k + 0.5) / n), weights: ks.map(() => 1 / n) };
  }
}
