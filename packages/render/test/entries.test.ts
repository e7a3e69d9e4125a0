import { describe, expect, it } from 'vitest';
import * as main from '@gradscope/render';
import * as node from '@gradscope/render/node';
import * as mainSource from '../src/index.js';
import * as nodeSource from '../src/node.js';

describe('package entries', () => {
  it("'.' and './node' resolve to the TypeScript sources under the gradscope-source condition", () => {
    expect(main.overlay).toBe(mainSource.overlay);
    expect(node.encodePng).toBe(nodeSource.encodePng);
  });

  it('export the documented API', () => {
    expect(Object.keys(main).sort()).toEqual([
      'COLORMAPS',
      'FONT',
      'RenderError',
      'blit',
      'colorize',
      'colormapLut',
      'crc32',
      'createImage',
      'deprocess',
      'drawText',
      'drawToCanvas',
      'glyph',
      'grid',
      'gridLayout',
      'measureText',
      'overlay',
      'showAttribution',
      'toImageData',
      'toRgba',
    ]);
    expect(Object.keys(node).sort()).toEqual(['encodePng', 'writePng']);
  });
});
