import { describe, expect, it } from 'vitest';
import { biasedShapes } from '../src/index.js';

describe('biasedShapes (GAIN.md §3.1)', () => {
  const gen = biasedShapes({ seed: 3, size: 32 });

  it('is deterministic in (seed, split, index) and differs across seeds', () => {
    const [a, b] = [gen('train', 3), biasedShapes({ seed: 3, size: 32 })('train', 3)];
    expect(a[2]!.image).toEqual(b[2]!.image);
    expect(biasedShapes({ seed: 4 })('train', 1)[0]!.image).not.toEqual(a[0]!.image);
  });

  it('biases training contexts with probability ρ and balances the test set over all 16 pairs', () => {
    const train = gen('train', 2000);
    const aligned = train.filter((s) => s.context === s.label).length / train.length;
    expect(aligned).toBeGreaterThan(0.93);
    expect(aligned).toBeLessThan(0.97);
    const counts = new Map<string, number>();
    for (const s of gen('test', 160))
      counts.set(`${s.label},${s.context}`, (counts.get(`${s.label},${s.context}`) ?? 0) + 1);
    expect([...counts.values()]).toEqual(Array(16).fill(10));
    expect(gen('aligned', 8).every((s) => s.label === s.context)).toBe(true);
    expect(gen('conflicting', 12).every((s) => s.label !== s.context && s.context >= 0)).toBe(true);
  });

  it('paints masks of about 16% of the image, objects black or white, and the diagnostic sets', () => {
    const samples = gen('test', 400);
    const area = samples.reduce((n, s) => n + s.mask.reduce((a, v) => a + v, 0), 0) / (400 * 32 * 32);
    expect(area).toBeGreaterThan(0.12);
    expect(area).toBeLessThan(0.2);
    const ctx = gen('context-only', 8);
    expect(ctx.every((s) => s.label === -1 && s.mask.every((v) => v === 0))).toBe(true);
    const grey = gen('object-on-grey', 8);
    const s = grey[0]!;
    const bg = s.mask.findIndex((v) => v === 0);
    expect(s.context).toBe(-1);
    expect(s.image[bg * 3]).toBe(0.5);
    const fg = s.mask.findIndex((v) => v === 1);
    expect([0.02, 0.98]).toContain(Math.round(s.image[fg * 3]! * 100) / 100);
  });
});
