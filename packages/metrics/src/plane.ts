import { BadInputError, type Tensor } from '@gradscope/core';
import type { MetricContext } from './metric.js';

/** Pixels inside the ground truth: mask values ≥ ½ (masks are 0/1; soft masks are binarised there). */
export const inside = (mask: Tensor, p: number): boolean => mask.data[p]! >= 0.5;

/** The subject's map and mask, checked to be two `[H, W]` planes of the same size. */
export function mapAndMask(ctx: MetricContext): { map: Tensor; mask: Tensor; h: number; w: number } {
  const { map, mask } = ctx;
  if (!mask) throw new BadInputError('this metric needs a ground-truth mask');
  const same = map.shape.length === 2 && mask.shape.length === 2 && map.shape.every((d, i) => d === mask.shape[i]);
  if (!same)
    throw new BadInputError(
      `the map [${map.shape.join(', ')}] and the mask [${mask.shape.join(', ')}] must be [H, W] of the same size`,
    );
  return { map, mask, h: map.shape[0]!, w: map.shape[1]! };
}
