import type { Reply } from '../protocol.js';
import { $ } from './dom.js';

/** "What the network sees": the input tensor drawn as an image, with its shape and per-channel range. */
export function showSeen(r: Extract<Reply, { type: 'predicted' }>): void {
  const c = $<HTMLCanvasElement>('seen-canvas');
  c.width = r.seen.width;
  c.height = r.seen.height;
  c.getContext('2d')!.putImageData(
    new ImageData(new Uint8ClampedArray(r.seen.data), r.seen.width, r.seen.height),
    0,
    0,
  );
  const ranges = r.tensor.min.map((lo, k) => `[${lo.toFixed(2)}, ${r.tensor.max[k]!.toFixed(2)}]`).join(' ');
  const order = r.pre.order === 'bgr' ? 'B, G, R' : 'R, G, B';
  $('seen-info').textContent =
    `what the network sees (channels ${order} shown as R, G, B) · tensor [${r.tensor.shape.join(', ')}] · per-channel range ${ranges} · forward ${r.forwardMs.toFixed(1)} ms`;
}
