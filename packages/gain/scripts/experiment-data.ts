import { biasedShapes, type BiasedSample, type BiasedSplit } from '@gradscope/shapes';
import type { GainSample } from '@gradscope/gain';

/** Network input: 2·(x − 0.5), so erasing (I − T⊙I) leaves mid-grey. */
export function toGain(s: BiasedSample, withMask: boolean, group?: string): GainSample {
  const x = new Float32Array(s.image.length);
  for (let i = 0; i < x.length; i++) x[i] = 2 * (s.image[i]! - 0.5);
  return {
    x,
    ...(s.label >= 0 ? { label: s.label } : {}),
    ...(withMask ? { mask: s.mask } : {}),
    ...(group ? { group } : {}),
  };
}

export interface ExperimentData {
  readonly train: readonly BiasedSample[];
  readonly test: readonly GainSample[];
  readonly contextOnly: readonly BiasedSample[];
  readonly objectOnGrey: readonly GainSample[];
}

export function makeData(seed: number, size: number, counts: Record<BiasedSplit, number>, rho: number): ExperimentData {
  const gen = biasedShapes({ seed, size, rho });
  return {
    train: gen('train', counts.train),
    test: gen('test', counts.test).map((s) => toGain(s, true, s.label === s.context ? 'aligned' : 'conflicting')),
    contextOnly: gen('context-only', counts['context-only']),
    objectOnGrey: gen('object-on-grey', counts['object-on-grey']).map((s) => toGain(s, true)),
  };
}

/** The training set with masks revealed on a seeded `fraction` of it. */
export function trainSamples(train: readonly BiasedSample[], fraction: number, seed: number): GainSample[] {
  let h = seed * 2654435761;
  return train.map((s, i) => {
    h = Math.imul(h ^ (i + 0x9e3779b9), 0x85ebca6b) >>> 0;
    return toGain(s, (h >>> 8) / 2 ** 24 < fraction);
  });
}
