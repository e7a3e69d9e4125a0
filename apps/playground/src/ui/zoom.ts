/**
 * One zoom and pan shared by every tile: the wheel zooms about the cursor, dragging pans, a
 * double-click resets. Each canvas sits in a `.frame` that clips it; all get the same CSS transform,
 * kept as fractions of the frame so frames of any size show the same region.
 */
export class Zoom {
  private scale = 1;
  /** Translation as a fraction of the frame's size. */
  private x = 0;
  private y = 0;

  constructor(private readonly root: HTMLElement) {}

  /** Wraps a canvas in a clipping frame that zooms and pans every tile. */
  frame(canvas: HTMLCanvasElement): HTMLElement {
    const frame = document.createElement('div');
    frame.className = 'frame';
    frame.append(canvas);
    frame.addEventListener('wheel', (e) => this.wheel(frame, e), { passive: false });
    frame.addEventListener('pointerdown', (e) => this.drag(frame, e));
    frame.addEventListener('dblclick', () => this.set(1, 0, 0));
    this.style(canvas);
    return frame;
  }

  private wheel(frame: HTMLElement, e: WheelEvent): void {
    e.preventDefault();
    const box = frame.getBoundingClientRect();
    const cx = (e.clientX - box.left) / box.width;
    const cy = (e.clientY - box.top) / box.height;
    const next = Math.min(32, Math.max(1, this.scale * Math.exp(-e.deltaY / 300)));
    const k = next / this.scale;
    // keep the point under the cursor where it is
    this.set(next, cx - (cx - this.x) * k, cy - (cy - this.y) * k);
  }

  private drag(frame: HTMLElement, e: PointerEvent): void {
    if (e.button !== 0 || this.scale === 1) return;
    const box = frame.getBoundingClientRect();
    const start = { px: e.clientX, py: e.clientY, x: this.x, y: this.y };
    const move = (m: PointerEvent) =>
      this.set(this.scale, start.x + (m.clientX - start.px) / box.width, start.y + (m.clientY - start.py) / box.height);
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  }

  /** Sets the view, kept inside the image (no empty border), and applies it to every tile. */
  private set(scale: number, x: number, y: number): void {
    const lo = 1 - scale;
    this.scale = scale;
    this.x = Math.min(0, Math.max(lo, x));
    this.y = Math.min(0, Math.max(lo, y));
    for (const c of this.root.querySelectorAll<HTMLCanvasElement>('.frame canvas')) this.style(c);
  }

  private style(c: HTMLCanvasElement): void {
    c.style.transform =
      this.scale === 1 ? '' : `translate(${this.x * 100}%, ${this.y * 100}%) scale(${this.scale.toFixed(4)})`;
  }
}
