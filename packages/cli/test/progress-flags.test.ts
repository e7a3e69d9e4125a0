import { describe, expect, it } from 'vitest';
import { defineMethod } from '@gradscope/core';
import { scorecam, ablationcam } from '@gradscope/methods';
import { methodFlags, methodOptionsFromFlags, optionFlag } from '../src/method-flags.js';
import { createProgress } from '../src/progress.js';

describe('method option flags are kebab-case', () => {
  it('--scorecam.top-k for topK, --ablationcam.pgc-compatible for pgcCompatible', () => {
    expect(optionFlag('scorecam', 'topK')).toBe('scorecam.top-k');
    expect(optionFlag('gradcam', 'augSmooth')).toBe('gradcam.aug-smooth');
    expect(optionFlag('rise', 'p')).toBe('rise.p');
    const flags = methodFlags([scorecam, ablationcam]);
    expect(Object.keys(flags)).toEqual(
      expect.arrayContaining(['scorecam.batch', 'scorecam.top-k', 'ablationcam.pgc-compatible']),
    );
    expect(Object.keys(flags)).not.toContain('scorecam.topK');
    const o = methodOptionsFromFlags({ 'scorecam.top-k': '8' }, [scorecam], [scorecam]);
    expect(o.get('scorecam')).toMatchObject({ topK: 8, batch: 32 });
  });

  it('an option without capitals keeps its name', () => {
    const m = defineMethod({
      id: 'x',
      title: 'x',
      description: 'x',
      space: 'input',
      usesLayers: false,
      requires: [],
      options: { gain: { type: 'number', default: 1, description: 'g' } },
      explain: () => Promise.reject(new Error('unused')),
    });
    expect(Object.keys(methodFlags([m]))).toEqual(['x.gain']);
  });
});

describe('progress', () => {
  const sink = (isTTY: boolean) => {
    let text = '';
    return {
      io: { stdout: { write: () => true }, stderr: { isTTY, write: (t: string) => (text += t) } },
      text: () => text,
    };
  };

  it('off a terminal: silent for short steps, one line per step that reported progress', () => {
    const s = sink(false);
    const p = createProgress(s.io, 2);
    p.step('x0: gradcam');
    p.step('x0: scorecam');
    p.update(16, 32);
    p.update(32, 32);
    p.reportRuns(32, 32, 812.4);
    p.done();
    expect(s.text()).toBe('[2/2] x0: scorecam: 32/32 in 812 ms\n');
  });

  it('on a terminal: a bar redrawn in place, cleared at the end', () => {
    const s = sink(true);
    const p = createProgress(s.io, 1);
    p.step('x0: rise');
    p.update(500, 1000);
    expect(s.text()).toContain('[1/1] x0: rise ████████████░░░░░░░░░░░░ 500/1000');
    p.done();
    expect(s.text().endsWith('\r\x1b[2K')).toBe(true);
  });
});
