/** A 5×3 RGBA image whose every byte is known: R = 40·x, G = 80·y, B = (x + y) % 2 · 255, A = 255 − 10·x. */
export function knownPixels(): { data: Uint8Array; width: number; height: number } {
  const [width, height] = [5, 3];
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set([40 * x, 80 * y, ((x + y) % 2) * 255, 255 - 10 * x], 4 * (y * width + x));
  return { data, width, height };
}

/** A PNG whose IHDR announces `w`×`h` followed by a minimal IEND (no image data: a header-only bomb). */
export function headerOnlyPng(w: number, h: number): Uint8Array {
  const b = new Uint8Array(8 + 25 + 12);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const v = new DataView(b.buffer);
  v.setUint32(8, 13);
  b.set([0x49, 0x48, 0x44, 0x52], 12); // IHDR
  v.setUint32(16, w);
  v.setUint32(20, h);
  b.set([8, 6, 0, 0, 0], 24); // 8-bit RGBA
  v.setUint32(33, 0);
  b.set([0x49, 0x45, 0x4e, 0x44], 37); // IEND
  return b;
}
