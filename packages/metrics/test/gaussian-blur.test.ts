import { describe, expect, it } from 'vitest';
import { riseBlur, riseKernel1d } from '../src/gaussian-blur.js';
import { imageGeometry } from '../src/image-geometry.js';
import { insertionAuc, runMetric } from '../src/index.js';
import { plane, regionModel } from './region-model.js';

// SciPy 1.10.1: `d = np.zeros(11); d[5] = 1; scipy.ndimage.gaussian_filter1d(d, 5)` — the 1-D factor of
// RISE's `gkern(11, 5)` (whose 2-D kernel is its outer square to 2e-18).
const SCIPY = [
  0.08795815, 0.08889612, 0.0904742, 0.09219112, 0.09348939, 0.09398206, 0.09348939, 0.09219112, 0.0904742, 0.08889612,
  0.08795815,
];
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe("RISE's blur", () => {
  it("has SciPy's folded kernel (reflect mode, radius 20 on an 11-long impulse)", () => {
    const k = riseKernel1d(11, 5);
    for (let i = 0; i < 11; i++) expect(k[i]).toBeCloseTo(SCIPY[i]!, 7);
    expect(sum(Array.from(k))).toBeCloseTo(1, 12);
  });

  it('zero-pads: a constant image keeps its value inside and darkens at the corners', () => {
    const h = 16;
    const g = imageGeometry({ data: new Float32Array(2 * h * h), shape: [1, 2, h, h] }, 'NCHW');
    const out = riseBlur(new Float32Array(2 * h * h).fill(2), g);
    expect(out[8 * h + 8]).toBeCloseTo(2, 5); // all 11×11 taps inside
    const corner = 2 * sum(SCIPY.slice(5)) ** 2; // only taps 5…10 in both directions
    expect(out[h * h]).toBeCloseTo(corner, 5); // channel 1, pixel (0, 0)
  });

  it('blurs an alternating pattern to the alternating sum of the kernel, squared, inside', () => {
    const h = 16;
    const img = Float32Array.from({ length: h * h }, (_, p) => ((Math.floor(p / h) + (p % h)) % 2 ? -1 : 1));
    const g = imageGeometry({ data: img, shape: [1, h, h, 1] }, 'NHWC');
    const alt = sum(SCIPY.map((v, t) => (t % 2 ? -v : v))); // taps t − 5 away: sign (−1)^(t−5) = (−1)^(t+1)
    expect(riseBlur(img, g)[8 * h + 8]).toBeCloseTo(alt ** 2, 5); // (8, 8) is +1; (−alt)² = alt²
  });

  it("is insertion's default start: the first score is the blurred image's", async () => {
    // the region model sums pixel (0, 0) and the centre 4×4 block of a 16×16 constant image of 3s: blur
    // keeps the block's value and darkens the corner to 3·(Σ taps 5…10)²
    const R = [0, ...[6, 7, 8, 9].flatMap((y) => [6, 7, 8, 9].map((x) => y * 16 + x))];
    const s = {
      model: regionModel(16, 16, R),
      input: { data: new Float32Array(256).fill(3), shape: [1, 1, 16, 16] },
      map: plane(16, 16, (p) => p),
      target: { kind: 'class' as const, index: 0 },
    };
    const r = await runMetric(insertionAuc, s, { step: 64 });
    expect(r.curve!.y[0]).toBeCloseTo(48 + 3 * sum(SCIPY.slice(5)) ** 2, 4);
    expect(r.curve!.y.at(-1)).toBe(51);
  });
});
