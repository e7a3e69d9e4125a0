import { describe, expect, it } from 'vitest';
import { median, timeInterleaved } from '../src/time-median.js';

describe('median', () => {
  it('takes the middle value of an odd sample and the mean of the two middle values of an even one', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it('warms every operation up, then times them round-robin, `runs` samples each', async () => {
    const log: string[] = [];
    const slow = (id: string) => async () => {
      log.push(id);
      await new Promise((r) => setTimeout(r, 30));
    };
    const t = await timeInterleaved({ a: slow('a'), b: slow('b') }, { runs: 3, warmup: 2 });
    expect(log.join('')).toBe('aabbababab');
    expect(t.a.samplesMs).toHaveLength(3);
    expect(t.a.callsPerSample).toBe(1);
    expect(t.b.medianMs).toBe(median(t.b.samplesMs));
    expect(t.b.medianMs).toBeGreaterThanOrEqual(29);
  });

  it('repeats fast operations within a sample and reports the time per call', async () => {
    let calls = 0;
    const t = await timeInterleaved({ fast: async () => void calls++ }, { runs: 4, warmup: 1, minSampleMs: 5 });
    expect(t.fast.callsPerSample).toBeGreaterThan(1);
    expect(calls).toBe(1 + 4 * t.fast.callsPerSample);
    expect(t.fast.medianMs).toBeLessThan(5);
  });
});
