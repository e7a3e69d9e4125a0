import { describe, expect, it } from 'vitest';
import {
  attributionMagnitude,
  channelMeans,
  seededUniform,
  decodeNpy,
  encodeNpy,
  imageToTensor,
  minMaxScale,
  nchwToNhwc,
  nhwcToNchw,
  relu,
  resizeBilinear,
  resizeBilinearAlignCorners,
  tensorToImage,
  weightedChannelSum,
} from '../src/index.js';

describe('minMaxScale (pytorch-grad-cam scale_cam_image without resize)', () => {
  it('maps min to 0 and max to max/(max+1e-7)', () => {
    const out = minMaxScale(Float32Array.from([2, 4, 6]));
    expect(out[0]).toBe(0);
    expect(out[1]).toBeCloseTo(2 / (4 + 1e-7), 7);
    expect(out[2]).toBeCloseTo(4 / (4 + 1e-7), 7);
  });
  it('a constant map becomes all zeros', () => {
    expect([...minMaxScale(Float32Array.from([3, 3, 3, 3]))]).toEqual([0, 0, 0, 0]);
  });
  it('relu clamps negatives', () => {
    expect([...relu(Float32Array.from([-1, 0, 2]))]).toEqual([0, 0, 2]);
  });
});

describe('resizeBilinear (OpenCV INTER_LINEAR, half-pixel centres, edge clamp)', () => {
  it('upsampling 2×2 → 4×4 matches the closed form', () => {
    // OpenCV: src = (dst + 0.5) * 0.5 - 0.5 → [-0.25→0, 0.25, 0.75, 1.25→clamped to 1]
    const out = resizeBilinear(Float32Array.from([0, 1, 2, 3]), 2, 2, 4, 4);
    const row = (a: number, b: number) => [a, a + 0.25 * (b - a), a + 0.75 * (b - a), b];
    const r0 = row(0, 1),
      r3 = row(2, 3);
    const expected = [0, 0.25, 0.75, 1].flatMap((fy) => r0.map((v, i) => v * (1 - fy) + r3[i]! * fy));
    expect([...out].map((v) => +v.toFixed(6))).toEqual(expected.map((v) => +v.toFixed(6)));
  });
  it('identity when sizes match, exact on constant maps', () => {
    const src = Float32Array.from([1, 5, 2, 7, 3, 9]);
    expect([...resizeBilinear(src, 2, 3, 2, 3)]).toEqual([...src]);
    expect(new Set(resizeBilinear(new Float32Array(9).fill(4), 3, 3, 7, 5))).toEqual(new Set([4]));
  });
  it('downsampling by 2 averages 2×2 blocks', () => {
    const src = Float32Array.from([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]);
    expect([...resizeBilinear(src, 4, 4, 2, 2)]).toEqual([5, 9, 21, 25]);
  });
  it('a crop is the same window of the full result, bit for bit', () => {
    const src = Float32Array.from({ length: 5 * 4 }, (_, i) => Math.sin(i) * 3);
    const full = resizeBilinear(src, 5, 4, 17, 13);
    for (const [top, left, height, width] of [
      [0, 0, 17, 13],
      [3, 2, 9, 7],
      [16, 12, 1, 1],
      [0, 5, 17, 8],
    ] as const) {
      const part = resizeBilinear(src, 5, 4, 17, 13, { top, left, height, width });
      const want = Array.from({ length: height }, (_, y) =>
        Array.from(full.subarray((top + y) * 13 + left, (top + y) * 13 + left + width)),
      ).flat();
      expect([...part]).toEqual(want);
    }
  });
  it('align-corners keeps the corners and interpolates linearly', () => {
    const out = resizeBilinearAlignCorners(Float32Array.from([0, 3]), 1, 2, 1, 4);
    expect([...out]).toEqual([0, 1, 2, 3]);
  });
});

describe('reductions and layouts', () => {
  it('channel means and weighted sums', () => {
    const a = Float32Array.from([1, 3, 5, 7, 10, 20, 30, 40]); // C=2, hw=4
    expect([...channelMeans(a, 2)]).toEqual([4, 25]);
    expect([...weightedChannelSum(a, Float32Array.from([2, -1]))]).toEqual([2 - 10, 6 - 20, 10 - 30, 14 - 40]);
  });
  it('NHWC ↔ NCHW round trip and element placement', () => {
    const t = { data: Float32Array.from({ length: 24 }, (_, i) => i), shape: [1, 2, 3, 4] }; // N,H,W,C
    const c = nhwcToNchw(t);
    expect(c.shape).toEqual([1, 4, 2, 3]);
    // element (h=1, w=2, c=3) sits at NHWC index ((1*3)+2)*4+3 = 23, NCHW index (3*2+1)*3+2 = 23
    expect(c.data[(3 * 2 + 1) * 3 + 2]).toBe(23);
    expect(c.data[(1 * 2 + 0) * 3 + 1]).toBe((0 * 3 + 1) * 4 + 1);
    expect([...nchwToNhwc(c).data]).toEqual([...t.data]);
  });
});

describe('images', () => {
  it('imageToTensor normalises and lays out channels; tensorToImage inverts it', () => {
    const rgba = Uint8Array.from([255, 0, 51, 255, 0, 255, 102, 255]); // 2×1
    const norm = { mean: [0.5, 0.5, 0.5], std: [0.5, 0.25, 1] };
    const t = imageToTensor({ data: rgba, width: 2, height: 1 }, { height: 1, width: 2, layout: 'NCHW' }, norm);
    expect(t.shape).toEqual([1, 3, 1, 2]);
    expect([...t.data].map((v) => +v.toFixed(5))).toEqual(
      [1, -1, -2, 2, 0.2 - 0.5, 0.4 - 0.5].map((v) => +v.toFixed(5)),
    );
    const back = tensorToImage(t, 'NCHW', norm);
    expect([...back.data]).toEqual([...rgba]);
    const h = imageToTensor({ data: rgba, width: 2, height: 1 }, { height: 1, width: 2, layout: 'NHWC' }, norm);
    expect(h.shape).toEqual([1, 1, 2, 3]);
    expect([...nhwcToNchw(h).data]).toEqual([...t.data]);
  });
  it('attributionMagnitude takes the channel max of |v| and scales to [0,1]', () => {
    const t = { data: Float32Array.from([1, -4, 2, 0, -2, 1]), shape: [1, 2, 1, 3] }; // NCHW C=2, W=3
    expect([...attributionMagnitude(t, 'NCHW').data]).toEqual([0.25, 1, 0.5]);
  });
  it('attributionMagnitude equals a compare-based channel max bit for bit, in both layouts, over wide exponents', () => {
    const u = seededUniform(5);
    const [C, H, W] = [4, 5, 7];
    const data = Float32Array.from({ length: C * H * W }, () => (u() - 0.5) * 10 ** Math.floor(u() * 60 - 30));
    data[3] = 0;
    data[H * W + 3] = -0;
    data[10] = 1e-30;
    data[H * W + 10] = -1e-30; // zeros and ties
    const want = new Float32Array(H * W);
    for (let i = 0; i < H * W; i++)
      for (let k = 0; k < C; k++) want[i] = Math.max(want[i]!, Math.abs(data[k * H * W + i]!));
    const hi = Math.max(...want);
    for (let i = 0; i < H * W; i++) want[i] = want[i]! / hi;
    expect([...attributionMagnitude({ data, shape: [1, C, H, W] }, 'NCHW').data]).toEqual([...want]);
    expect([...attributionMagnitude(nchwToNhwc({ data, shape: [1, C, H, W] }), 'NHWC').data]).toEqual([...want]);
  });
});

describe('npy codec', () => {
  it('round-trips float32 tensors with a 64-byte aligned header', () => {
    const t = { data: Float32Array.from([1.5, -2, 3.25, 0, 7, 8]), shape: [2, 3] };
    const bytes = encodeNpy(t);
    const hlen = bytes[8]! | (bytes[9]! << 8);
    expect((10 + hlen) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + hlen));
    expect(header).toContain("'descr': '<f4'");
    expect(header).toContain("'shape': (2, 3)");
    const back = decodeNpy(bytes);
    expect(back.shape).toEqual([2, 3]);
    expect([...back.data]).toEqual([...t.data]);
  });
  it('decodes from a Node Buffer view into a larger pool', () => {
    const bytes = encodeNpy({ data: Float32Array.from([4, 5, 6]), shape: [3] });
    const pooled = Buffer.concat([Buffer.from([9, 9, 9, 9]), Buffer.from(bytes)]).subarray(4);
    expect([...decodeNpy(pooled).data]).toEqual([4, 5, 6]);
  });
  it('rejects garbage and truncated files with one-line reasons', () => {
    expect(() => decodeNpy(new Uint8Array([1, 2, 3]))).toThrow(/not a \.npy file/);
    const bytes = encodeNpy({ data: new Float32Array(10), shape: [10] });
    expect(() => decodeNpy(bytes.subarray(0, bytes.length - 8))).toThrow(/truncated \.npy file/);
  });
});
