import { encodeNpy } from '@gradscope/core';
import { deprocess, overlay, toImageData, type Colormap } from '@gradscope/render';
import type { MethodOutput, Pixels } from '../protocol.js';
import { download, h } from './dom.js';

/** How tiles are drawn: the image the network saw, colormap and heatmap opacity. */
export interface View {
  input: Pixels | null;
  layout: 'NCHW' | 'NHWC';
  colormap: Colormap;
  opacity: number;
}

interface Tile {
  readonly el: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  readonly status: HTMLElement;
  readonly value: HTMLElement;
  result: MethodOutput | null;
}

/** The grid of method tiles: one per selected method, filled as the worker's results arrive. */
export class Tiles {
  private readonly tiles = new Map<string, Tile>();

  constructor(
    private readonly root: HTMLElement,
    private readonly view: View,
  ) {}

  /** Starts a run: one empty tile per method, in order. */
  reset(methods: readonly { id: string; title: string }[]): void {
    this.tiles.clear();
    this.root.replaceChildren();
    for (const m of methods) {
      const canvas = h('canvas', { width: 1, height: 1 });
      const status = h('span', { class: 'status' }, 'waiting');
      const value = h('span', { class: 'value' }, '');
      const tile: Tile = {
        el: h('figure', { class: 'tile', 'data-method': m.id }),
        canvas,
        status,
        value,
        result: null,
      };
      canvas.addEventListener('mousemove', (e) => this.hover(tile, e));
      canvas.addEventListener('mouseleave', () => (value.textContent = ''));
      const buttons = h(
        'span',
        { class: 'downloads' },
        h('button', { class: 'png', title: 'download PNG', onclick: () => this.savePng(m.id) }, 'PNG'),
        h('button', { class: 'npy', title: 'download .npy', onclick: () => this.saveNpy(m.id) }, '.npy'),
      );
      tile.el.append(
        h('figcaption', { title: m.id }, m.title),
        canvas,
        h('div', { class: 'meta' }, status, value),
        buttons,
      );
      this.tiles.set(m.id, tile);
      this.root.append(tile.el);
    }
  }

  results(): MethodOutput[] {
    return [...this.tiles.values()].flatMap((t) => (t.result ? [t.result] : []));
  }

  running(id: string): void {
    const t = this.tiles.get(id);
    if (!t) return;
    t.status.textContent = 'running…';
    t.el.classList.add('busy');
  }

  fail(id: string, message: string): void {
    const t = this.tiles.get(id);
    if (!t) return;
    t.el.classList.remove('busy');
    t.el.classList.add('failed');
    t.status.textContent = message;
  }

  /** Marks tiles that never ran (a cancelled run). */
  cancelled(): void {
    for (const t of this.tiles.values()) {
      if (t.result || t.el.classList.contains('failed')) continue;
      t.status.textContent = 'cancelled';
      t.el.classList.remove('busy');
    }
  }

  show(r: MethodOutput): void {
    const t = this.tiles.get(r.method);
    if (!t) return;
    t.result = r;
    t.el.classList.remove('busy');
    t.el.classList.add('done');
    t.status.textContent = `${r.ms.toFixed(0)} ms`;
    this.draw(t);
  }

  /** Redraws every finished tile (colormap or opacity changed). */
  redraw(): void {
    for (const t of this.tiles.values()) if (t.result) this.draw(t);
  }

  private draw(t: Tile): void {
    const r = t.result!;
    const { input } = this.view;
    const img =
      r.space === 'layer' && input
        ? overlay(input, r.map, { colormap: this.view.colormap, imageWeight: 1 - this.view.opacity })
        : deprocess(r.raw, { layout: this.view.layout });
    t.canvas.width = img.width;
    t.canvas.height = img.height;
    t.canvas.getContext('2d')!.putImageData(toImageData(img) as ImageData, 0, 0);
  }

  private hover(t: Tile, e: MouseEvent): void {
    const r = t.result;
    if (!r) return;
    const [H, W] = r.map.shape as [number, number];
    const box = t.canvas.getBoundingClientRect();
    const x = Math.min(W - 1, Math.floor(((e.clientX - box.left) / box.width) * W));
    const y = Math.min(H - 1, Math.floor(((e.clientY - box.top) / box.height) * H));
    t.value.textContent = `(${x}, ${y}) ${r.map.data[y * W + x]!.toFixed(4)}`;
  }

  private savePng(id: string): void {
    this.tiles.get(id)?.canvas.toBlob((b) => b && download(`${id}.png`, b));
  }

  /** CAM methods: the [H, W] map; input-space methods: the attribution in the input's layout (the CLI's files). */
  private saveNpy(id: string): void {
    const r = this.tiles.get(id)?.result;
    if (!r) return;
    const t = r.space === 'layer' ? r.map : r.raw;
    download(`${id}.npy`, encodeNpy({ data: t.data, shape: t.shape }));
  }
}
