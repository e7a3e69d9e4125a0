import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Image } from '../types.js';
import { encodePng, type PngOptions } from './encode-png.js';

/** Encodes `image` as PNG (see `encodePng`) and writes it to `path`, creating missing parent directories. */
export async function writePng(path: string, image: Image, options: PngOptions = {}): Promise<void> {
  const bytes = encodePng(image, options);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}
