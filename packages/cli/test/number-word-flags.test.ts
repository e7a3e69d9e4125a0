import { describe, expect, it } from 'vitest';
import { integratedGradients, occlusion } from '@gradscope/methods';
import { CliError } from '../src/cli-error.js';
import { methodFlags, methodOptionsFromFlags } from '../src/method-flags.js';

const parse = (v: string) =>
  methodOptionsFromFlags({ 'integrated-gradients.baseline': v }, [integratedGradients], [integratedGradients]).get(
    'integrated-gradients',
  );

describe("a number option's words (--integrated-gradients.baseline zero|<number>)", () => {
  it('takes the word or a number', () => {
    expect(parse('zero')).toMatchObject({ baseline: 'zero', steps: 50 });
    expect(parse(' zero ')).toMatchObject({ baseline: 'zero' });
    expect(parse('0.5')).toMatchObject({ baseline: 0.5 });
    expect(parse('-1')).toMatchObject({ baseline: -1 });
  });

  it('refuses anything else with a usage error that names the word', () => {
    expect(() => parse('one')).toThrow(CliError);
    expect(() => parse('one')).toThrow(/--integrated-gradients\.baseline expects a number or 'zero', got 'one'/);
    expect(() => parse('')).toThrow(CliError);
    // occlusion's baseline is a plain number: the word is not accepted there
    expect(() => methodOptionsFromFlags({ 'occlusion.baseline': 'zero' }, [occlusion], [occlusion])).toThrow(
      /expects a number, got 'zero'/,
    );
  });

  it('shows the word in the help', () => {
    expect(methodFlags([integratedGradients])['integrated-gradients.baseline']!.value).toBe('<number|zero>');
  });
});
