import { describe, expect, it } from 'vitest';
import { byOpType, readProfile } from '../src/op-profile.js';

describe('onnxruntime profile traces', () => {
  const trace = [
    { cat: 'Session', name: 'model_loading_uri', dur: 900 },
    { cat: 'Session', name: 'model_run', dur: 5000 },
    { cat: 'Node', name: 'conv1_kernel_time', dur: 3000, args: { op_name: 'Conv' } },
    { cat: 'Node', name: 'conv1_fence_before', dur: 7, args: { op_name: 'Conv' } },
    { cat: 'Node', name: 'relu_kernel_time', dur: 500, args: { op_name: 'Relu' } },
    { cat: 'Session', name: 'model_run', dur: 5000 },
    { cat: 'Node', name: 'conv1_kernel_time', dur: 1000, args: { op_name: 'Conv' } },
  ];

  it('reads kernel events and runs, ignoring fences and session events', () => {
    const p = readProfile(trace);
    expect(p.runs).toBe(2);
    expect(p.kernels).toEqual([
      { node: 'conv1', opType: 'Conv', us: 3000 },
      { node: 'relu', opType: 'Relu', us: 500 },
      { node: 'conv1', opType: 'Conv', us: 1000 },
    ]);
  });

  it('sums per operator type in ms per run, largest first', () => {
    expect(byOpType(readProfile(trace))).toEqual([
      ['Conv', 2],
      ['Relu', 0.25],
    ]);
  });
});
