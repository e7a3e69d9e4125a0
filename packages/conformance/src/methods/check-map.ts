import { expect } from 'vitest';
import type { Explanation } from '@gradscope/core';

/** Map checks every method must pass: `[H, W]`, finite, within [0, 1]. */
export function checkMap(e: Explanation, H: number, W: number): void {
  expect(e.map.shape).toEqual([H, W]);
  let lo = Infinity,
    hi = -Infinity;
  for (const v of e.map.data) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  expect(lo, 'map minimum').toBeGreaterThanOrEqual(0);
  expect(hi, 'map maximum').toBeLessThanOrEqual(1);
  expect(e.raw.data.every(Number.isFinite), 'raw is finite').toBe(true);
}
