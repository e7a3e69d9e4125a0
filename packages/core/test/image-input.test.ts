import { describe, expect, it } from 'vitest';
import {
  imageToTensor,
  isGradscopeError,
  luminance,
  parseSidecar,
  scaledNormalization,
  sidecarPath,
  tensorToImage,
  type ImagePixels,
} from '../src/index.js';

// 16 RGB pixels and their luminance as Debian's Pillow 9.4 computes it:
//   /usr/bin/python3 -c "from PIL import Image; im = Image.new('RGB', (16, 1)); im.putdata(PX);
//                        print(list(im.convert('L').getdata()))"
const PX = [
  [255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255], [12, 200, 77], [254, 3, 129], [100, 101, 102],
  [121, 66, 189], [242, 33, 6], [240, 132, 119], [98, 240, 243], [203, 77, 118], [77, 199, 7], [32, 81, 21],
  [154, 15, 137], [242, 198, 218],
]; // prettier-ignore
const PIL_L = [76, 150, 29, 255, 130, 92, 101, 96, 92, 163, 198, 119, 141, 60, 70, 213];

const image = (): ImagePixels => ({
  data: Uint8Array.from(PX.flatMap((p) => [...p, 255])),
  width: 16,
  height: 1,
});

describe('imageToTensor for one-channel models: luminance as PIL convert("L"), not the red channel', () => {
  it('equals Pillow byte for byte', () => {
    expect(PX.map(([r, g, b]) => luminance(r!, g!, b!))).toEqual(PIL_L);
    for (const layout of ['NCHW', 'NHWC'] as const) {
      const x = imageToTensor(image(), { height: 1, width: 16, layout, channels: 1 });
      expect(x.shape).toEqual(layout === 'NCHW' ? [1, 1, 1, 16] : [1, 1, 16, 1]);
      expect(Array.from(x.data, (v) => Math.round(v * 255))).toEqual(PIL_L);
    }
  });
  it('normalises the luminance with the first mean/std entry', () => {
    const x = imageToTensor(
      image(),
      { height: 1, width: 16, layout: 'NCHW', channels: 1 },
      { mean: [0.5], std: [0.25] },
    );
    PIL_L.forEach((l, i) => expect(x.data[i]).toBeCloseTo((l / 255 - 0.5) / 0.25, 5));
  });
});

describe('pixel range and channel order', () => {
  it('channelOrder bgr feeds blue, green, red and tensorToImage swaps back', () => {
    const x = imageToTensor(image(), { height: 1, width: 16, layout: 'NHWC', channelOrder: 'bgr' });
    PX.forEach(([r, g, b], i) =>
      expect(Array.from(x.data.subarray(i * 3, i * 3 + 3), (v) => v * 255)).toEqual(
        [b, g, r].map((v) => expect.closeTo(v!, 3)),
      ),
    );
    const back = tensorToImage(x, 'NHWC', undefined, 'bgr');
    expect(Array.from(back.data)).toEqual(Array.from(image().data));
  });
  it('pixelRange R folds into the normalisation: (p·R − m) / s = (p − m/R) / (s/R)', () => {
    const n = scaledNormalization({ mean: [104, 117, 123], std: [1, 2, 4] }, 255)!;
    const x = imageToTensor(image(), { height: 1, width: 16, layout: 'NHWC' }, n);
    PX.forEach((p, i) =>
      p.forEach((v, c) => expect(x.data[i * 3 + c]).toBeCloseTo((v - [104, 117, 123][c]!) / [1, 2, 4][c]!, 3)),
    );
    expect(scaledNormalization(undefined, 255)).toEqual({ mean: [0, 0, 0], std: [1 / 255, 1 / 255, 1 / 255] });
    expect(scaledNormalization(undefined)).toBeUndefined();
  });
  it('the sidecar parser reads pixelRange and channelOrder and rejects bad values', () => {
    expect(parseSidecar('{"pixelRange":255,"channelOrder":"bgr"}', 's')).toEqual({
      pixelRange: 255,
      channelOrder: 'bgr',
    });
    for (const bad of ['{"pixelRange":0}', '{"pixelRange":"255"}', '{"channelOrder":"BGR"}'])
      expect(isGradscopeError((() => { try { parseSidecar(bad, 's'); } catch (e) { return e; } })(), 'model-load'), bad).toBe(true); // prettier-ignore
    expect(sidecarPath('a/net.onnx')).toBe('a/net.gradscope.json');
    expect(sidecarPath('https://h/m/model.json?v=1')).toBe('https://h/m/model.gradscope.json?v=1');
  });
});
