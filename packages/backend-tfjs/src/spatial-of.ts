import type { LayerInfo } from '@gradscope/core';

/** `LayerInfo.spatial` of an NHWC output shape (null unless rank 4). */
export function spatialOf(shape: readonly number[]): LayerInfo['spatial'] {
  return shape.length === 4 ? { height: shape[1]!, width: shape[2]!, channels: shape[3]! } : null;
}
