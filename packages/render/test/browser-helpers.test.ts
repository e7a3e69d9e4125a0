import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drawToCanvas, toImageData, type CanvasLike } from '../src/index.js';

const rgb = { data: Uint8Array.of(1, 2, 3, 4, 5, 6), width: 2, height: 1, channels: 3 as const };

afterEach(() => vi.unstubAllGlobals());

describe('toImageData / drawToCanvas (Node side; see canvas.browser.test.ts for Chromium)', () => {
  it('returns a plain ImageData-shaped copy when there is no global ImageData', () => {
    expect(typeof (globalThis as { ImageData?: unknown }).ImageData).toBe('undefined');
    const d = toImageData(rgb);
    expect(d.data).toBeInstanceOf(Uint8ClampedArray);
    expect([...d.data, d.width, d.height]).toEqual([1, 2, 3, 255, 4, 5, 6, 255, 2, 1]);
  });

  it('constructs the global ImageData when one exists', () => {
    class FakeImageData {
      constructor(
        readonly data: Uint8ClampedArray,
        readonly width: number,
        readonly height: number,
      ) {}
    }
    vi.stubGlobal('ImageData', FakeImageData);
    const d = toImageData(rgb);
    expect(d).toBeInstanceOf(FakeImageData);
    expect([...d.data]).toEqual([1, 2, 3, 255, 4, 5, 6, 255]);
  });

  it('drawToCanvas sizes the canvas and puts the pixels at the origin', () => {
    const calls: unknown[][] = [];
    const canvas: CanvasLike = {
      width: 300,
      height: 150,
      getContext: () => ({ putImageData: (...a: unknown[]) => void calls.push(a) }),
    };
    drawToCanvas(canvas, rgb);
    expect([canvas.width, canvas.height]).toEqual([2, 1]);
    expect(calls).toHaveLength(1);
    const [data, x, y] = calls[0] as [{ data: Uint8ClampedArray }, number, number];
    expect([[...data.data], x, y]).toEqual([[1, 2, 3, 255, 4, 5, 6, 255], 0, 0]);
    expect(() => drawToCanvas({ width: 0, height: 0, getContext: () => null }, rgb)).toThrow(
      expect.objectContaining({ code: 'bad-input' }),
    );
  });

  it('the main entry imports no Node built-ins (only src/node.ts may)', () => {
    const seen = new Set<string>();
    const visit = (url: URL): void => {
      if (seen.has(url.href)) return;
      seen.add(url.href);
      const src = readFileSync(fileURLToPath(url), 'utf8');
      for (const m of src.matchAll(/(?:import|export)[^'"]*from\s+'([^']+)'/g)) {
        const spec = m[1]!;
        expect(spec.startsWith('.'), `${url.pathname} imports ${spec}`).toBe(true);
        visit(new URL(spec.replace(/\.js$/, '.ts'), url));
      }
    };
    visit(new URL('../src/index.ts', import.meta.url));
    expect(seen.size).toBeGreaterThan(10);
    expect([...seen].some((u) => u.includes('/png/encode-png'))).toBe(false);
  });
});
