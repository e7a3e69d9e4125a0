import { toRgba } from '../image.js';
import type { Image } from '../types.js';

/** The fields of the DOM's `ImageData` that `putImageData` reads. */
export interface ImageDataLike {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

/**
 * An image as the DOM's `ImageData` (a new `ImageData` when the global exists, as in browsers and
 * workers; otherwise a plain object with the same fields). RGB input gets alpha 255; pixels are copied.
 */
export function toImageData(image: Image): ImageData | ImageDataLike {
  const { data, width, height } = toRgba(image);
  const Ctor = (globalThis as { ImageData?: typeof ImageData }).ImageData;
  return Ctor ? new Ctor(data as Uint8ClampedArray<ArrayBuffer>, width, height) : { data, width, height };
}
