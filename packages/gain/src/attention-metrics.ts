/** Localisation scores of one map against one mask (GAIN.md §3.3). */
export interface MapScores {
  /** Σ_{p∈M} A(p) / Σ_p A(p) (0 for an all-zero map). */
  readonly energyInMask: number;
  /** 1 when the map's argmax (first in row-major order) lies in M dilated by `tolerancePx`. */
  readonly pointing: number;
  /** |{A ≥ τ} ∩ M| / |{A ≥ τ} ∪ M| (1 when both are empty). */
  readonly iou: number;
  /** |{A ≥ τ}| / (H·W). */
  readonly cover: number;
  /** mean_p (A(p) − M(p))². */
  readonly mse: number;
}

/** Scores an `[H, W]` map `a` (values ≥ 0, typically gradscope's [0, 1] Grad-CAM) against mask `m`. */
export function scoreMap(
  a: ArrayLike<number>,
  m: ArrayLike<number>,
  H: number,
  W: number,
  threshold = 0.5,
  tolerancePx = 1,
): MapScores {
  let total = 0,
    inside = 0,
    inter = 0,
    union = 0,
    above = 0,
    se = 0,
    best = 0;
  for (let p = 0; p < H * W; p++) {
    const v = a[p]!,
      on = m[p]! > 0.5;
    total += v;
    if (on) inside += v;
    const hot = v >= threshold;
    if (hot) above++;
    if (hot && on) inter++;
    if (hot || on) union++;
    se += (v - m[p]!) ** 2;
    if (v > a[best]!) best = p;
  }
  const by = Math.floor(best / W),
    bx = best % W;
  let hit = 0;
  for (let y = Math.max(0, by - tolerancePx); y <= Math.min(H - 1, by + tolerancePx) && !hit; y++)
    for (let x = Math.max(0, bx - tolerancePx); x <= Math.min(W - 1, bx + tolerancePx); x++)
      if (m[y * W + x]! > 0.5) hit = 1;
  return {
    energyInMask: total > 0 ? inside / total : 0,
    pointing: hit,
    iou: union ? inter / union : 1,
    cover: above / (H * W),
    mse: se / (H * W),
  };
}
