import { BadOptionError } from '@gradscope/core';
import { describe, expect, it } from 'vitest';
import { resolveMetricOptions, type MetricOptionSpecs } from '../src/index.js';

type O = { percentiles: readonly number[]; noise: number; mode: string };
const metric: { id: string; options: MetricOptionSpecs<O> } = {
  id: 'road-test',
  options: {
    percentiles: { type: 'numbers', default: [20, 40], min: 0, max: 100, description: 'percentiles' },
    noise: { type: 'number', default: 0.01, min: 0, description: 'σ' },
    mode: { type: 'enum', default: 'a', values: ['a', 'b'], description: 'mode' },
  },
};

describe('resolveMetricOptions', () => {
  it('fills list and scalar defaults (a copy of the default list)', () => {
    const o = resolveMetricOptions(metric);
    expect(o).toEqual({ percentiles: [20, 40], noise: 0.01, mode: 'a' });
    expect(o.percentiles).not.toBe(metric.options.percentiles.default);
  });

  it('takes given lists and scalars', () => {
    expect(resolveMetricOptions(metric, { percentiles: [10, 90.5], noise: 0, mode: 'b' })).toEqual({
      percentiles: [10, 90.5],
      noise: 0,
      mode: 'b',
    });
  });

  it.each([
    [{ percentiles: [] }, /non-empty list/],
    [{ percentiles: 20 }, /non-empty list/],
    [{ percentiles: [20, '40'] }, /expected numbers, got "40"/],
    [{ percentiles: [20, Number.NaN] }, /expected numbers/],
    [{ percentiles: [120] }, /120 is above the maximum 100/],
    [{ percentiles: [-1] }, /-1 is below the minimum 0/],
    [{ noise: -0.5 }, /below the minimum 0/],
    [{ mode: 'c' }, /expected one of a, b/],
    [{ sigma: 1 }, /unknown option; declared: percentiles, noise, mode/],
  ])('rejects %j', (given, msg) => {
    expect(() => resolveMetricOptions(metric, given)).toThrow(BadOptionError);
    expect(() => resolveMetricOptions(metric, given)).toThrow(msg);
  });
});
