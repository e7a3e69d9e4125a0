import { describe, expect, it } from 'vitest';
import { overlay } from '../src/index.js';
import { diff, float32, refs, rgbOf, uint8 } from './fixtures.js';

const image = uint8('overlay-image'); // H×W×3
const mask = float32('overlay-mask'); // H×W
const [H, W] = mask.shape as [number, number];
const rgb = { data: image.data, width: W, height: H, channels: 3 as const };

describe('overlay vs pytorch-grad-cam show_cam_on_image', () => {
  for (const ref of refs.overlays) {
    it(`${ref.colormap}, imageWeight ${ref.imageWeight}: byte-exact`, () => {
      const out = overlay(
        rgb,
        { data: mask.data, shape: [H, W] },
        { colormap: ref.colormap, imageWeight: ref.imageWeight },
      );
      expect([out.width, out.height, out.channels]).toEqual([W, H, 4]);
      expect(diff(rgbOf(out.data), uint8(ref.output).data)).toEqual({ count: 0, max: 0 });
      for (let i = 3; i < out.data.length; i += 4) expect(out.data[i]).toBe(255);
    });
  }

  it('reads RGBA input (alpha ignored) like RGB and defaults to jet with weight 0.5', () => {
    const rgba = new Uint8Array(W * H * 4);
    for (let i = 0; i < W * H; i++) rgba.set([...image.data.subarray(i * 3, i * 3 + 3), 17], i * 4);
    const out = overlay({ data: rgba, width: W, height: H }, { data: mask.data, shape: [1, 1, H, W] });
    expect(diff(rgbOf(out.data), uint8('overlay-jet-0.5').data)).toEqual({ count: 0, max: 0 });
  });

  it('scales by the global maximum: a black image under a zero map gives jet(0)/max = (0, 0, 255)', () => {
    const out = overlay(
      { data: new Uint8Array(4 * 3), width: 2, height: 2, channels: 3 },
      { data: new Float32Array(4), shape: [2, 2] },
    );
    expect([...out.data.subarray(0, 4)]).toEqual([0, 0, 255, 255]);
  });

  it('rejects a map of another size and weights outside [0, 1]', () => {
    expect(() => overlay(rgb, { data: new Float32Array(4), shape: [2, 2] })).toThrow(
      expect.objectContaining({ code: 'bad-input-shape', message: expect.stringContaining('resize the map first') }),
    );
    expect(() => overlay(rgb, { data: mask.data, shape: [H, W] }, { imageWeight: 1.5 })).toThrow(
      expect.objectContaining({ code: 'bad-option' }),
    );
    expect(() =>
      overlay({ data: new Uint8Array(5), width: 2, height: 2 }, { data: new Float32Array(4), shape: [2, 2] }),
    ).toThrow(/expected 2×2×4/);
  });
});
