import { RenderError } from '../render-error.js';
import { jetLut } from './jet.js';
import { infernoLut, turboLut, viridisLut } from './listed.js';

/** Built-in colormaps. `jet` is OpenCV's (pytorch-grad-cam's default), not matplotlib's. */
export const COLORMAPS = ['jet', 'viridis', 'inferno', 'turbo'] as const;
export type ColormapName = (typeof COLORMAPS)[number];

/** A built-in colormap's name, or a custom table of 256 RGB entries (768 bytes, r g b per entry). */
export type Colormap = ColormapName | Uint8Array;

const BUILT_IN: Record<ColormapName, () => Uint8Array> = {
  jet: jetLut,
  viridis: viridisLut,
  inferno: infernoLut,
  turbo: turboLut,
};

/**
 * The 256-entry RGB lookup table of a colormap: entry k (bytes 3k, 3k+1, 3k+2) is the colour of level
 * k = 0..255. The returned table is shared; do not modify it.
 */
export function colormapLut(colormap: Colormap): Uint8Array {
  if (colormap instanceof Uint8Array) {
    if (colormap.length !== 768)
      throw new RenderError(
        'bad-option',
        `a custom colormap needs 256 RGB entries (768 bytes), got ${colormap.length}`,
      );
    return colormap;
  }
  const make = Object.hasOwn(BUILT_IN, colormap) ? BUILT_IN[colormap] : undefined;
  if (!make)
    throw new RenderError('bad-option', `unknown colormap '${String(colormap)}'; available: ${COLORMAPS.join(', ')}`);
  return make();
}
