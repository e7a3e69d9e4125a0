import { describe, expect, it } from 'vitest';
import { integratedGradients, occlusion } from '@gradscope/methods';
import { coerce } from '../src/ui/options-form.js';

// The form's value reading, generated from the declarations: a number option that also takes words
// (Integrated Gradients' baseline: 'zero' or a number) keeps the word, a plain number option does not.
describe('playground option values', () => {
  const baseline = integratedGradients.options.baseline;
  it("keeps a number option's declared words and numbers, else falls back to the default", () => {
    expect(coerce(baseline, 'zero')).toBe('zero');
    expect(coerce(baseline, ' zero ')).toBe('zero');
    expect(coerce(baseline, '0.5')).toBe(0.5);
    expect(coerce(baseline, -1)).toBe(-1);
    expect(coerce(baseline, 'one')).toBe(baseline.default);
    expect(coerce(occlusion.options.baseline, 'zero')).toBe(occlusion.options.baseline.default);
    expect(coerce(occlusion.options.baseline, '0.25')).toBe(0.25);
  });
});
