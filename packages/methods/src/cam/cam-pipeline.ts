import { minMaxScale, relu, resizeBilinear } from '@gradscope/core';

/**
 * Steps 4–5 of the CAM pipeline (PARITY.md), pytorch-grad-cam's `scale_cam_image` with a target size:
 * `max(cam, 0)`, then `cam − min`, `/ (1e-7 + max)`, THEN a bilinear resize of the `[h, w]` map to
 * `[H, W]` (half-pixel centres, edge clamping: OpenCV's INTER_LINEAR). A constant map becomes zeros.
 * Returns `H·W` values in [0, 1].
 */
export function scaleCam(raw: Float32Array, h: number, w: number, H: number, W: number): Float32Array {
  const scaled = minMaxScale(relu(raw));
  return h === H && w === W ? scaled : resizeBilinear(scaled, h, w, H, W);
}

/**
 * Step 6, pytorch-grad-cam's `aggregate_multi_layers`: the per-layer maps (each already scaled and
 * resized to the same `H·W`) are clipped at 0, averaged over layers and min-max scaled again (no
 * resize). Returns the scaled result and the unscaled mean.
 */
export function combineLayerMaps(maps: readonly Float32Array[]): { map: Float32Array; mean: Float32Array } {
  if (maps.length === 0) throw new RangeError('combineLayerMaps: no maps to combine');
  if (maps.length === 1) {
    // the mean of one map is the map, clipped (one pass fewer: this runs for every CAM)
    const mean = relu(maps[0]!);
    return { map: minMaxScale(mean), mean };
  }
  const n = maps[0]!.length;
  const mean = new Float32Array(n);
  for (const m of maps) {
    if (m.length !== n) throw new RangeError(`combineLayerMaps: maps of ${n} and ${m.length} values`);
    for (let i = 0; i < n; i++) mean[i] = mean[i]! + (m[i]! > 0 ? m[i]! : 0);
  }
  for (let i = 0; i < n; i++) mean[i] = mean[i]! / maps.length;
  return { map: minMaxScale(mean), mean };
}
