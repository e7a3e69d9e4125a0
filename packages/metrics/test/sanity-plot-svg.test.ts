import { describe, expect, it } from 'vitest';
import { sanityPlotSvg, type SanityCheckResult } from '../src/index.js';

const map = { data: new Float32Array(4), shape: [2, 2] };
const step = (layer: string, v: number) => ({
  layer,
  randomized: [layer],
  spearman: v,
  spearmanAbs: v,
  ssim: v / 2,
  hog: Number.NaN,
  map,
});
const result: SanityCheckResult = {
  mode: 'cascading',
  seed: 1,
  target: { kind: 'class', index: 0 },
  original: map,
  steps: [step('(logits)', 1), step('conv<2>', 0), step('conv1', -1)],
};

describe('sanityPlotSvg', () => {
  const svg = sanityPlotSvg(result, { width: 600, height: 400 });

  it('is one SVG document with a line per measure and an escaped label per layer', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('conv&#60;2&#62;');
    expect(svg).not.toContain('conv<2>');
    for (const label of ['Rank correlation (abs)', 'Rank correlation (no abs)', 'HOG similarity', 'SSIM'])
      expect(svg).toContain(label);
    // three finite measures draw a path each; HOG is NaN everywhere and draws none
    expect(svg.match(/<path /g)).toHaveLength(3);
  });

  it('maps similarity 1 to the top of the plot area and −1 to its bottom', () => {
    // plot area: y from 36 (value 1) to 400 − 96 = 304 (value −1); x from 56 to 600 − 190
    const spearman = svg.match(/<path d="([^"]+)" fill="none" stroke="#ff7f0e"/)![1];
    expect(spearman).toBe('M56 36 L233 170 L410 304');
  });
});
