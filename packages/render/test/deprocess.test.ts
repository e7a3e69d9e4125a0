import { describe, expect, it } from 'vitest';
import { deprocess } from '../src/index.js';
import { numpySumF32 } from '../src/numpy-sum.js';
import { diff, float32, rgbOf, uint8 } from './fixtures.js';

describe('deprocess vs pytorch-grad-cam deprocess_image', () => {
  it('NCHW input (Python: grad[0].transpose(1, 2, 0)) is byte-exact', () => {
    const x = float32('deprocess-input-nchw');
    const out = deprocess(x, { layout: 'NCHW' });
    expect([out.width, out.height]).toEqual([x.shape[3], x.shape[2]]);
    const d = diff(rgbOf(out.data), uint8('deprocess-nchw').data);
    expect(d).toEqual({ count: 0, max: 0 });
  });

  it('NHWC input (Python: a contiguous H×W×C array) is byte-exact', () => {
    const x = float32('deprocess-input-nhwc');
    const out = deprocess(x, { layout: 'NHWC' });
    expect(diff(rgbOf(out.data), uint8('deprocess-nhwc').data)).toEqual({ count: 0, max: 0 });
  });

  it('the fixture exercises clipping at both ends', () => {
    const ref = uint8('deprocess-nchw').data;
    expect(ref.includes(0) && ref.includes(255)).toBe(true);
  });

  it('uses statistics of the whole image, selects batch items and greys one channel', () => {
    // One channel, values ±1: mean 0, std 1 → 0.5 ± 0.1/(1 + 1e-5) = 0.59999…, 0.40000… → ×255, truncated: 152, 102.
    const v = Float32Array.of(1, -1, 1, -1, /* item 1 */ 3, 3, 3, 3);
    const out = deprocess({ data: v, shape: [2, 1, 2, 2] }, { layout: 'NCHW' });
    expect([...out.data.subarray(0, 8)]).toEqual([152, 152, 152, 255, 102, 102, 102, 255]);
    // A constant image: every value equals the mean → 0.5 → 127.
    const c = deprocess({ data: v, shape: [2, 2, 2, 1] }, { layout: 'NHWC', index: 1 });
    expect([...c.data.subarray(0, 4)]).toEqual([127, 127, 127, 255]);
  });

  it('rejects bad layouts, channel counts and batch indices', () => {
    expect(() => deprocess({ data: new Float32Array(8), shape: [1, 2, 2, 2] }, { layout: 'NCHW' })).toThrow(
      expect.objectContaining({ code: 'bad-input-shape' }),
    );
    expect(() => deprocess({ data: new Float32Array(12), shape: [3, 2, 2] }, { layout: 'NCHW', index: 1 })).toThrow(
      /outside the batch/,
    );
    expect(() => deprocess({ data: new Float32Array(12), shape: [3, 2, 2] }, { layout: 'CHW' as never })).toThrow(
      /layout/,
    );
  });
});

describe('numpySumF32', () => {
  it('is exact for small integers and follows numpy order where float32 rounding shows', () => {
    expect(numpySumF32(Float32Array.from({ length: 20000 }, (_, i) => i % 7))).toBe(59997);
    // [2^24, 1 × 15]: sequential float32 addition loses every 1 (2^24); numpy's 8 pairwise
    // accumulators keep most of them: np.sum gives 16777230 (numpy 1.24.2), the exact sum is 16777231.
    const v = new Float32Array(16).fill(1);
    v[0] = 2 ** 24;
    expect(numpySumF32(v)).toBe(16777230);
  });
});
