import { describe, expect, it } from 'vitest';
import { checkGoals } from '../src/check-goals.js';
import { GOALS, ORT_NODE_GOALS, ORT_WEB_GOALS } from '../src/goals.js';
import type { BenchRow } from '../src/suite.js';

const timing = (medianMs: number) => ({ medianMs, samplesMs: [medianMs], callsPerSample: 1 });
const torch = { forwardMs: 40, forwardBackwardMs: 80, source: 'test' };

describe('checkGoals', () => {
  it('judges each timed method by its ratio to forward, with the default (tfjs) goals when the row has none', () => {
    const row: BenchRow = {
      model: 'm',
      runtime: 'r',
      forward: timing(100),
      methods: { gradcam: timing(130), saliency: timing(401), other: timing(999) },
    };
    expect(checkGoals(row)).toEqual([
      { method: 'gradcam', kind: 'ratio', value: 1.3, limit: GOALS.gradcam, met: true },
      { method: 'saliency', kind: 'ratio', value: 4.01, limit: 4, met: false },
    ]);
  });

  it('holds ort-node rows to the ONNX ratios and to beating torch forward+backward with Grad-CAM', () => {
    const row: BenchRow = {
      model: 'm',
      runtime: 'ort-node',
      forward: timing(50),
      goals: ORT_NODE_GOALS,
      torch,
      methods: { gradcam: timing(58), deconvnet: timing(124) },
    };
    const checks = checkGoals(row);
    expect(checks.map((c) => [c.method, c.kind, c.met])).toEqual([
      ['gradcam', 'ratio', false], // 1.16 > 1.15
      ['deconvnet', 'ratio', true], // 2.48 ≤ 2.5
      ['gradcam', 'torch', true], // 58 < 80
    ]);
    expect(checks[2]!.value).toBeCloseTo(58 / 80, 12);
    const slow = checkGoals({ ...row, methods: { gradcam: timing(80) } });
    expect(slow.find((c) => c.kind === 'torch')).toMatchObject({ value: 1, met: false }); // equal is not faster
  });

  it('judges the torch goal only when the row has a torch reference and the method was timed', () => {
    const row: BenchRow = {
      model: 'm',
      runtime: 'ort-node',
      forward: timing(50),
      goals: ORT_NODE_GOALS,
      methods: { gradcam: timing(55) },
    };
    expect(checkGoals(row).map((c) => c.kind)).toEqual(['ratio']);
    expect(checkGoals({ ...row, torch, methods: {} })).toEqual([]);
    expect(checkGoals({ ...row, torch, goals: ORT_WEB_GOALS }).map((c) => c.kind)).toEqual(['ratio']);
  });
});
