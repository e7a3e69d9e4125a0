import { describe, expect, it } from 'vitest';
import {
  BadTargetError,
  negated,
  resolveTarget,
  seedTarget,
  softmax,
  softmaxTarget,
  topClass,
  classTarget,
  validateTarget,
} from '../src/index.js';

describe('targets', () => {
  const logits = [0.5, 2.0, -1.0, 1.5];

  it('top-1 class: seed is the one-hot of the argmax, score its logit', () => {
    const r = resolveTarget(topClass(), logits);
    expect(r.classIndex).toBe(1);
    expect([...r.seed]).toEqual([0, 1, 0, 0]);
    expect(r.score).toBe(2.0);
  });

  it('negated target flips seed and score', () => {
    const r = resolveTarget(negated(classTarget(3)), logits);
    expect([...r.seed]).toEqual([0, 0, 0, -1]);
    expect(r.score).toBe(-1.5);
    expect(r.negate).toBe(true);
  });

  it('softmax seed equals finite differences of softmax(y)[c]', () => {
    const c = 2;
    const r = resolveTarget(softmaxTarget(c), logits);
    const h = 1e-4;
    for (let j = 0; j < logits.length; j++) {
      const up = logits.slice();
      up[j]! += h;
      const dn = logits.slice();
      dn[j]! -= h;
      const fd = (softmax(up)[c]! - softmax(dn)[c]!) / (2 * h);
      expect(r.seed[j]).toBeCloseTo(fd, 5);
    }
    expect(r.score).toBeCloseTo(softmax(logits)[c]!, 7);
  });

  it('seed target: score is the dot product', () => {
    const r = resolveTarget(seedTarget([1, 0, 2, 0]), logits);
    expect(r.score).toBeCloseTo(0.5 - 2.0, 7);
    expect(r.classIndex).toBeNull();
  });

  it('rejects out-of-range classes and wrong seed lengths with a typed error', () => {
    expect(() => validateTarget(classTarget(4), 4)).toThrow(BadTargetError);
    expect(() => validateTarget(classTarget(4), 4)).toThrow(/out of range: the model has 4 classes \(0–3\)/);
    expect(() => validateTarget(classTarget(-1), 4)).toThrow(BadTargetError);
    expect(() => validateTarget(classTarget(1.5), 4)).toThrow(BadTargetError);
    expect(() => validateTarget(seedTarget([1, 2]), 4)).toThrow(/seed vector has 2 entries/);
    expect(() => validateTarget(seedTarget([1, NaN, 0, 0]), 4)).toThrow(/not finite/);
  });
});
