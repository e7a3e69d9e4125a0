import { camMethod } from './cam-method.js';
import type { CamLayer } from './cam-spec.js';

/** FEM's map: channels weighted by the share of their positions above `mean + k·std`. */
function femMap(l: CamLayer, k: number): Float32Array {
  const { activations: A, channels: C } = l;
  const hw = A.length / C;
  const out = new Float32Array(hw);
  for (let c = 0; c < C; c++) {
    let m = 0;
    for (let i = c * hw; i < (c + 1) * hw; i++) m += A[i]!;
    m /= hw;
    let v = 0;
    for (let i = c * hw; i < (c + 1) * hw; i++) v += (A[i]! - m) ** 2;
    const th = m + k * Math.sqrt(v / hw);
    let above = 0;
    for (let i = c * hw; i < (c + 1) * hw; i++) if (A[i]! > th) above++;
    const w = above / hw;
    if (w) for (let i = 0; i < hw; i++) out[i] = out[i]! + w * A[c * hw + i]!;
  }
  return out;
}

/**
 * FEM (Feature Explanation Method): class-independent; each channel weighted by how much of it is
 * unusually strong.
 *
 * Formula: `th_c = mean_ij A_c + k·std_ij A_c` (population std), `w_c = mean_ij [A_c > th_c]`
 * (strict), `cam = Σ_c w_c·A_c`; then the CAM pipeline.
 *
 * Deviations: none from pytorch-grad-cam's `FEM` (k = 2; no eigen smoothing, as there).
 *
 * Paper: Fuad et al., "Features understanding in 3D CNNs for actions recognition in video", IPTA
 * 2020, https://hal.science/hal-02963298/document
 */
export const fem = camMethod<{ k: number }>({
  id: 'fem',
  title: 'FEM',
  description: 'Channels weighted by their share of positions above mean + k·std (class-independent).',
  requires: ['activations'],
  options: { k: { type: 'number', default: 2, description: 'The k of the k-sigma threshold.' } },
  map: (l, o) => femMap(l, o.k),
});
