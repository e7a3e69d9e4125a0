import { INFERNO_HEX, TURBO_HEX, VIRIDIS_HEX } from './listed-tables.js';

const cache = new Map<string, Uint8Array>();

function decode(name: string, hex: string): Uint8Array {
  let lut = cache.get(name);
  if (!lut) {
    lut = new Uint8Array(hex.length / 2);
    for (let i = 0; i < lut.length; i++) lut[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    cache.set(name, lut);
  }
  return lut;
}

/**
 * matplotlib's viridis (van der Walt & Smith) as a 256-entry RGB table, each channel round(255 · v) of
 * matplotlib's float table; identical to OpenCV's COLORMAP_VIRIDIS.
 */
export const viridisLut = (): Uint8Array => decode('viridis', VIRIDIS_HEX);

/** matplotlib's inferno as a 256-entry RGB table, round(255 · v); identical to OpenCV's COLORMAP_INFERNO. */
export const infernoLut = (): Uint8Array => decode('inferno', INFERNO_HEX);

/** Google's turbo (Mikhailov 2019) as matplotlib ships it, round(255 · v); identical to OpenCV's COLORMAP_TURBO. */
export const turboLut = (): Uint8Array => decode('turbo', TURBO_HEX);
