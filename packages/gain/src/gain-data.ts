import type * as tfjs from '@tensorflow/tfjs';
import { BadInputError } from '@gradscope/core';
import type { GainBatch } from './gain-gradients.js';

/**
 * One training (or evaluation) sample, in the network's input space.
 * Give `label` (single-label) or `labels` (multi-label class indices). A pixel `mask` (`[H, W]`,
 * values in [0, 1]) or a `box` (`[x0, y0, x1, y1]` in pixels, end-exclusive) switches L_e on for it.
 */
export interface GainSample {
  /** Row-major `[H, W, C]` (NHWC) input values. */
  readonly x: Float32Array;
  readonly label?: number;
  readonly labels?: readonly number[];
  readonly mask?: ArrayLike<number>;
  readonly box?: readonly [number, number, number, number];
  /** Free-form group name for `evaluateAttention`'s per-group accuracy. */
  readonly group?: string;
}

/** A re-iterable data source: an array, or a function returning a fresh (async) iterable. */
export type GainData = readonly GainSample[] | (() => Iterable<GainSample> | AsyncIterable<GainSample>);

export async function collect(data: GainData): Promise<GainSample[]> {
  if (Array.isArray(data)) return data as GainSample[];
  const out: GainSample[] = [];
  for await (const s of (data as () => Iterable<GainSample> | AsyncIterable<GainSample>)()) out.push(s);
  return out;
}

/** The target map of a sample (mask, or a filled box), or null. */
export function targetMap(s: GainSample, H: number, W: number): Float32Array | null {
  if (s.mask) {
    if (s.mask.length !== H * W) throw new BadInputError(`a mask has ${s.mask.length} values, expected ${H}×${W}`);
    return Float32Array.from(s.mask);
  }
  if (!s.box) return null;
  const m = new Float32Array(H * W);
  const [x0, y0, x1, y1] = s.box.map(Math.round) as [number, number, number, number];
  for (let y = Math.max(0, y0); y < Math.min(H, y1); y++)
    for (let x = Math.max(0, x0); x < Math.min(W, x1); x++) m[y * W + x] = 1;
  return m;
}

/** The classes a sample belongs to. */
export function classesOf(s: GainSample): readonly number[] {
  if (s.labels) return s.labels;
  if (s.label === undefined) throw new BadInputError('a sample has neither `label` nor `labels`');
  return [s.label];
}

/** Stacks samples into a {@link GainBatch} (input shape `[H, W, C]`, K classes). */
export function toBatch(
  tf: typeof tfjs,
  samples: readonly GainSample[],
  shape: readonly number[],
  K: number,
): GainBatch {
  const [H, W, C] = shape as [number, number, number];
  const x = new Float32Array(samples.length * H * W * C);
  const y = new Float32Array(samples.length * K);
  const masks = new Float32Array(samples.length * H * W);
  const hasMask = samples.map((s, n) => {
    if (s.x.length !== H * W * C) throw new BadInputError(`a sample has ${s.x.length} values, expected ${H}×${W}×${C}`);
    x.set(s.x, n * H * W * C);
    for (const c of classesOf(s)) y[n * K + c] = 1;
    const m = targetMap(s, H, W);
    if (m) masks.set(m, n * H * W);
    return m !== null;
  });
  return {
    x: tf.tensor4d(x, [samples.length, H, W, C]),
    y: tf.tensor2d(y, [samples.length, K]),
    masks: hasMask.some(Boolean) ? tf.tensor3d(masks, [samples.length, H, W]) : undefined,
    hasMask,
  };
}

export function disposeBatch(b: GainBatch): void {
  b.x.dispose();
  b.y.dispose();
  b.masks?.dispose();
}
