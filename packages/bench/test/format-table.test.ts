import { describe, expect, it } from 'vitest';
import { formatTable } from '../src/format-table.js';
import { ORT_NODE_GOALS, ORT_WEB_GOALS } from '../src/goals.js';
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

  it('adds torch columns and judges ONNX rows by their own goals, listing the goals missed', () => {
    const torch = { forwardMs: 40, forwardBackwardMs: 80, source: 'torch 1.13, 1 thread, measured T' };
    const node: BenchRow = {
      model: 'resnet18',
      runtime: 'ort-node',
      forward: timing(30),
      goals: ORT_NODE_GOALS,
      torch,
      methods: { gradcam: timing(33), deconvnet: timing(90) },
    };
    const web: BenchRow = {
      model: 'resnet18',
      runtime: 'ort-web',
      forward: timing(200),
      goals: ORT_WEB_GOALS,
      torch,
      methods: { gradcam: timing(240), deconvnet: timing(480) },
    };
    const tfjs: BenchRow = { model: 'shapes', runtime: 'tfjs', forward: timing(10), methods: { gradcam: timing(12) } };
    const lines = formatTable([tfjs, node, web], ['gradcam', 'deconvnet'], 7).split('\n');
    expect(lines[0]).toBe(
      '| model | runtime | forward | gradcam | deconvnet | torch forward | torch fwd+bwd | ÷ torch fwd+bwd |',
    );
    expect(lines[2]).toBe('| shapes | tfjs | 10.0 ms | 12.0 ms (1.20× ✓ ≤1.3×) | — | — | — | — |');
    expect(lines[3]).toBe(
      '| resnet18 | ort-node | 30.0 ms | 33.0 ms (1.10× ✓ ≤1.15×) | 90.0 ms (3.00× ✗ ≤2.5×) | 40.0 ms | 80.0 ms (2.00×) | gradcam 0.41× ✓ <1× |',
    );
    expect(lines[4]).toBe(
      '| resnet18 | ort-web | 200 ms | 240 ms (1.20× ✗ ≤1.15×) | 480 ms (2.40× ✓ ≤2.5×) | 40.0 ms | 80.0 ms (2.00×) | gradcam 3.00× |',
    );
    expect(lines).toContain('Goal checks: 4/6 met; missed:');
    expect(lines).toContain('  - resnet18, ort-node: deconvnet 3.00× forward > 2.5×');
    expect(lines).toContain('  - resnet18, ort-web: gradcam 1.20× forward > 1.15×');
    expect(
      lines.some((l) =>
        l.includes(
          'ort-node: gradcam ≤ 1.15× forward, deconvnet ≤ 2.5× forward, gradcam faster than torch forward+backward',
        ),
      ),
    ).toBe(true);
  });
});
