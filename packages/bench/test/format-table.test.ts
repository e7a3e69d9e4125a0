import { describe, expect, it } from 'vitest';
import { formatTable } from '../src/format-table.js';
import type { BenchRow } from '../src/suite.js';

const timing = (medianMs: number) => ({ medianMs, samplesMs: [medianMs], callsPerSample: 1 });

describe('formatTable', () => {
  it('prints each method as ms and as a ratio to forward, judged against its goal', () => {
    const row: BenchRow = {
      model: 'm',
      runtime: 'r',
      forward: timing(100),
      methods: { gradcam: timing(125), 'guided-backprop': timing(450) },
      note: 'layer x',
    };
    const lines = formatTable([row], ['gradcam', 'guided-backprop', 'saliency'], 5).split('\n');
    expect(lines[0]).toBe('| model | runtime | forward | gradcam | guided-backprop | saliency |');
    expect(lines[2]).toBe('| m | r | 100 ms | 125 ms (1.25× ✓ ≤1.3×) | 450 ms (4.50× ✗ ≤4×) | — |');
    expect(lines).toContain('- m on r: layer x');
  });
});
