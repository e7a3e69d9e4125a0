import { grid, overlay, showAttribution, type Image } from '@gradscope/render';
import { encodePng } from '@gradscope/render/node';
import type { ImagePixels } from '@gradscope/core';
import type { CliRenderer } from './wiring.js';

/** Nearest-neighbour enlargement by an integer factor, so small inputs stay legible in the grid. */
export function enlarge(img: Image, k: number): ImagePixels {
  if (k <= 1) return img as ImagePixels;
  const c = img.channels ?? 4;
  const W = img.width * k,
    H = img.height * k;
  const out = new Uint8Array(W * H * c);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const s = (Math.floor(y / k) * img.width + Math.floor(x / k)) * c;
      out.set(img.data.subarray(s, s + c), (y * W + x) * c);
    }
  }
  return { data: out, width: W, height: H, channels: c };
}

/** gradscope's render package behind the CLI's seam: JET overlays, attributions scaled for display, a labelled grid. */
export const renderAdapter: CliRenderer = {
  overlay: (image, map) => overlay(image, map),
  // robust to the attribution's scale (pytorch-grad-cam's deprocess shows a std-1e-7 map flat grey)
  attribution: (raw, layout) => showAttribution(raw, { layout }).image,
  grid(columns, rows) {
    const side = Math.max(1, ...rows.flatMap((r) => r.cells.map((c) => Math.max(c.width, c.height))));
    const k = Math.max(1, Math.ceil(136 / side)); // ≥ 136 px: room for a 22-character label
    const cells = rows.flatMap((r) =>
      r.cells.map((image, i) => ({ image: enlarge(image, k), label: i === 0 ? r.label : (columns[i] ?? '') })),
    );
    return grid(cells, { columns: columns.length });
  },
  encodePng: (image) => encodePng(image),
};
