import { describe, expect, it } from 'vitest';
import { BadOptionError, resolveOptions, type OptionSpec } from '../src/index.js';

const method = {
  id: 'm',
  options: {
    baseline: { type: 'number', default: 0, min: -1, words: ['zero'], description: 'b' },
    gain: { type: 'number', default: 1, description: 'g' },
    steps: { type: 'integer', default: 3, description: 's' },
  } satisfies Record<string, OptionSpec>,
};

describe('resolveOptions', () => {
  it("takes a number option's declared words as well as numbers", () => {
    expect(resolveOptions(method, { baseline: 'zero' })).toEqual({ baseline: 'zero', gain: 1, steps: 3 });
    expect(resolveOptions(method, { baseline: 0.5 }).baseline).toBe(0.5);
    expect(resolveOptions(method, {}).baseline).toBe(0);
  });

  it('refuses other words, words of other options and numbers out of range', () => {
    expect(() => resolveOptions(method, { baseline: 'one' })).toThrow(BadOptionError);
    expect(() => resolveOptions(method, { baseline: 'one' })).toThrow(/expected a number or zero, got "one"/);
    expect(() => resolveOptions(method, { gain: 'zero' })).toThrow(/expected a number, got "zero"/);
    expect(() => resolveOptions(method, { steps: 'zero' })).toThrow(BadOptionError);
    expect(() => resolveOptions(method, { baseline: -2 })).toThrow(/below the minimum/);
    expect(() => resolveOptions(method, { baseline: '0.5' })).toThrow(BadOptionError);
  });
});
