import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BadTargetError,
  binaryTarget,
  finerTarget,
  negated,
  resolveTarget,
  restTarget,
  similarityTarget,
  type Target,
} from '../src/index.js';

// References: torch autograd of pytorch-grad-cam's target definitions (scripts/make-target-goldens.py).
const golden = JSON.parse(readFileSync(new URL('./fixtures/targets.json', import.meta.url), 'utf8')) as {
  cases: { logits: number[]; target: Target; score: number; seed: number[] }[];
};

describe('targets against torch autograd', () => {
  it.each(golden.cases.map((c, i) => [`${i}: ${c.target.kind} ${JSON.stringify(c.target).slice(0, 60)}`, c]))(
    '%s',
    (_, c) => {
      const r = resolveTarget(c.target, Float32Array.from(c.logits));
      expect(Math.abs(r.score - c.score)).toBeLessThan(1e-5 * Math.max(1, Math.abs(c.score)));
      const worst = Math.max(...c.seed.map((v, j) => Math.abs(v - r.seed[j]!)));
      expect(worst).toBeLessThan(1e-5);
      // negation flips the score and the seed
      const n = resolveTarget(negated(c.target), Float32Array.from(c.logits));
      expect(n.score).toBeCloseTo(-r.score, 6);
      n.seed.forEach((v, j) => expect(v).toBeCloseTo(-r.seed[j]!, 6));
    },
  );
  expect(golden.cases.length).toBeGreaterThanOrEqual(16);
});

describe('target validation', () => {
  it('refuses a binary target on a model with several outputs, and a bad similarity vector or finer rank', () => {
    expect(() => resolveTarget(binaryTarget(), [1, 2])).toThrow(BadTargetError);
    expect(() => resolveTarget(similarityTarget([1, 2]), [1, 2, 3])).toThrow(/similarity vector has 2 entries/);
    expect(() => resolveTarget(similarityTarget([1, NaN, 2]), [1, 2, 3])).toThrow(/not finite/);
    expect(() => resolveTarget(finerTarget(0, { ranks: [3] }), [1, 2, 3])).toThrow(/rank 3 is out of range/);
    expect(() => resolveTarget(restTarget(7), [1, 2, 3])).toThrow(/out of range/);
  });
  it('reports the class: the top-1 without an index, 0 for a binary target, none for a similarity', () => {
    expect(resolveTarget(restTarget(), [1, 5, 2]).classIndex).toBe(1);
    expect(resolveTarget(binaryTarget(false), [0.3]).classIndex).toBe(0);
    // the predicted decision: positive for a logit ≥ 0, negative below
    expect(resolveTarget(binaryTarget(), [0.3]).seed[0]).toBe(1);
    expect(resolveTarget(binaryTarget(), [-0.3]).score).toBeCloseTo(0.3, 6);
    expect(resolveTarget(similarityTarget([1, 0, 0]), [1, 5, 2]).classIndex).toBeNull();
  });
});
