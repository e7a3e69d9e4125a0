import { firstComponentProjection, sumChannels, weightedChannelSum } from '@gradscope/core';
import type { CamLayer, CamSpec } from './cam-spec.js';

/** `w ⊙ A`: each channel of A times its weight. */
function weighted(a: Float32Array, w: Float32Array): Float32Array {
  const hw = a.length / w.length;
  const out = new Float32Array(a.length);
  for (let c = 0; c < w.length; c++) for (let i = c * hw; i < (c + 1) * hw; i++) out[i] = w[c]! * a[i]!;
  return out;
}

function checked(v: Float32Array, n: number, what: string): Float32Array {
  if (v.length !== n) throw new RangeError(`a CAM variant returned ${v.length} ${what}, expected ${n}`);
  return v;
}

/**
 * Step 3 of the CAM pipeline for one layer: the variant's raw `[h·w]` map, before any ReLU. With
 * `eigenSmooth` (pytorch-grad-cam's `eigen_smooth`), `Σ_c` is replaced by the first principal
 * component projection of `w ⊙ A` (weight variants) or of the variant's element-wise product.
 * Weights may be computed asynchronously (variants that run the model again).
 */
export async function camRaw<O extends Record<string, unknown>>(
  spec: CamSpec<any>,
  l: CamLayer,
  o: O,
  eigenSmooth: boolean,
): Promise<Float32Array> {
  const C = l.channels,
    hw = l.height * l.width;
  if (spec.map) return checked(spec.map(l, o), hw, 'map values');
  const product = spec.product ? checked(spec.product(l, o), C * hw, 'product values') : null;
  if (!product) {
    const w = checked(await spec.weights!(l, o), C, 'weights');
    return eigenSmooth ? firstComponentProjection(weighted(l.activations, w), C) : weightedChannelSum(l.activations, w);
  }
  return eigenSmooth ? firstComponentProjection(product, C) : sumChannels(product, C);
}
