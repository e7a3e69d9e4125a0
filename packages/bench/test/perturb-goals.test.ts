import { describe, expect, it } from 'vitest';
import { formatPerturbTable, judgePerturb, PERTURB_LIMITS, type PerturbTimes } from '../src/perturb-goals.js';
import { readTorchMasked } from '../src/perturb-run.js';

const times: PerturbTimes = {
  forwardMs: 100,
  forward32Ms: 80,
  ablationcamMs: 150,
  occlusion: { ms: 170 * 90, inputs: 170 },
  rise: { ms: 257 * 100, inputs: 257 },
  saliencyMs: 300,
  integratedGradients: { ms: 50 * 300 * 0.9, steps: 50 },
};

describe("issue 9's goal table", () => {
  it('judges each goal by its ratio (occlusion and RISE per input against the batch-32 forward)', () => {
    const c = judgePerturb(times);
    expect(c.map((k) => [k.ratio === null ? null : +k.ratio.toFixed(4), k.limit, k.met])).toEqual([
      [1.5, PERTURB_LIMITS.ablationcam, true],
      [1.125, 1.2, true],
      [1.25, 1.2, false],
      [0.9, 1, true],
      [null, 0.5, null],
    ]);
  });

  it('judges Score-CAM only with a torch reference', () => {
    const sc = (torchMs?: number) =>
      judgePerturb({ ...times, scorecam: { ms: 1000, masked: 256, peakMb: 300, ...(torchMs ? { torchMs } : {}) } }).at(
        -1,
      )!;
    expect(sc(2500)).toMatchObject({ ratio: 0.4, met: true });
    expect(sc(1500)).toMatchObject({ met: false });
    expect(sc()).toMatchObject({ ratio: null, met: null });
  });

  it('prints one row per goal with ✓, ✗ or — and a tally naming the misses', () => {
    const t = formatPerturbTable(judgePerturb(times));
    expect(
      t.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| goal') && !l.startsWith('| ---')),
    ).toHaveLength(5);
    expect(t).toMatch(/\| rise ≤ 1\.2× forward per evaluated input \(batch 32\) \| .* \| 1\.25× \| ✗ \|/);
    expect(t).toMatch(/\| ablationcam @ layer4 ≤ 2× forward \| .* \| 1\.50× \| ✓ \|/);
    expect(t).toMatch(/\| scorecam .* \| — \| — \|/);
    expect(t).toContain('3 of 4 goals met; missed: rise ≤ 1.2× forward per evaluated input (batch 32)');
  });

  it("reads perturb-torch.py's JSON and refuses other shapes", () => {
    expect(readTorchMasked('{"maskedMs": 900, "masked": 256, "threads": 2}')).toEqual({ maskedMs: 900, masked: 256 });
    expect(() => readTorchMasked('{"forwardMs": 60}')).toThrow(/maskedMs/);
  });
});
