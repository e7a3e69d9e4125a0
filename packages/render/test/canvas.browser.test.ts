import { describe, expect, it } from 'vitest';
import { colorize, drawToCanvas, grid, toImageData } from '../src/index.js';

describe('in Chromium', () => {
  it('toImageData returns a real ImageData and drawToCanvas puts the exact pixels on a canvas', () => {
    const map = { data: Float32Array.from({ length: 12 }, (_, i) => i / 11), shape: [3, 4] };
    const img = grid([{ image: colorize(map, 'turbo'), label: 'ok' }], { gap: 2 });
    expect(toImageData(img)).toBeInstanceOf(ImageData);
    const canvas = document.createElement('canvas');
    drawToCanvas(canvas, img);
    expect([canvas.width, canvas.height]).toEqual([img.width, img.height]);
    const back = canvas.getContext('2d')!.getImageData(0, 0, img.width, img.height);
    expect([...back.data]).toEqual([...img.data]);
  });

  it('works on an OffscreenCanvas', () => {
    const canvas = new OffscreenCanvas(1, 1);
    drawToCanvas(canvas, { data: Uint8Array.of(10, 20, 30, 40, 50, 60), width: 1, height: 2, channels: 3 });
    expect([...canvas.getContext('2d')!.getImageData(0, 0, 1, 2).data]).toEqual([10, 20, 30, 255, 40, 50, 60, 255]);
  });
});
