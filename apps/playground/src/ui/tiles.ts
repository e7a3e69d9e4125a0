import { encodeNpy } from '@gradscope/core';
import { colorize, deprocess, overlay, toImageData, type Colormap, type RgbaImage } from '@gradscope/render';
import type { CompareOutput, MethodOutput, Pixels } from '../protocol.js';
import { download, h } from './dom.js';
import { Zoom } from './zoom.js';

/** How tiles are drawn: the image the network saw, colormap and heatmap opacity. */
export interface View {
  input: Pixels | null;
  layout: 'NCHW' | 'NHWC';
  colormap: Colormap;
  opacity: number;
  /** The comparison device (or `model:<id>`, the paired model), when each method also runs there. */
  compare: string | null;
}

/** The second device's map, its difference from the first and the largest absolute difference. */
interface Pair {
  readonly b: HTMLCanvasElement;
  readonly diff: HTMLCanvasElement;
  readonly text: HTMLElement;
  result: CompareOutput | null;
}

interface Tile {
  readonly el: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  readonly status: HTMLElement;
  readonly value: HTMLElement;
  readonly pair: Pair | null;
  result: MethodOutput | null;
}

function paint(canvas: HTMLCanvasElement, img: RgbaImage): void {
  canvas.width = img.width;
  canvas.height = img.height;
  canvas.getContext('2d')!.putImageData(toImageData(img) as ImageData, 0, 0);
}

/** The grid of method tiles: one per selected method, filled as the worker's results arrive. */
export class Tiles {
  private readonly tiles = new Map<string, Tile>();
  private readonly zoom: Zoom;

  constructor(
    private readonly root: HTMLElement,
    private readonly view: View,
  ) {
    this.zoom = new Zoom(root);
  }

  /** Starts a run: one empty tile per method, in order. */
  reset(methods: readonly { id: string; title: string }[]): void {
    this.tiles.clear();
    this.root.replaceChildren();
    for (const m of methods) {
      const canvas = h('canvas', { width: 1, height: 1 });
      const status = h('span', { class: 'status' }, 'waiting');
      const value = h('span', { class: 'value' }, '');
      const pair: Pair | null = this.view.compare
        ? {
            b: h('canvas', { width: 1, height: 1 }),
            diff: h('canvas', { width: 1, height: 1 }),
            text: h('span', { class: 'maxerr' }, ''),
            result: null,
          }
        : null;
      const tile: Tile = {
        el: h('figure', { class: pair ? 'tile compared' : 'tile', 'data-method': m.id }),
        canvas,
        status,
        value,
        pair,
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
      const paired = this.view.compare?.startsWith('model:') ? this.view.compare.slice(6) : null;
      const views = pair
        ? h(
            'div',
            { class: 'pair' },
            h('div', {}, this.zoom.frame(canvas), h('small', {}, paired ? 'this model' : 'this backend')),
            h('div', {}, this.zoom.frame(pair.b), h('small', {}, paired ?? this.view.compare)),
            h('div', {}, this.zoom.frame(pair.diff), h('small', {}, '|difference|')),
          )
        : this.zoom.frame(canvas);
      tile.el.append(
        h('figcaption', { title: m.id }, m.title),
        views,
        h('div', { class: 'meta' }, status, value),
        ...(pair ? [pair.text] : []),
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

  /** The comparison device's map of a method. */
  compare(r: CompareOutput): void {
    const t = this.tiles.get(r.method);
    if (!t?.pair) return;
    t.pair.result = r;
    this.draw(t);
  }

  compareFail(id: string, message: string): void {
    const p = this.tiles.get(id)?.pair;
    if (!p) return;
    p.text.textContent = message;
    p.text.classList.add('failed');
  }

  /** Redraws every finished tile (colormap or opacity changed). */
  redraw(): void {
    for (const t of this.tiles.values()) if (t.result) this.draw(t);
  }

  private draw(t: Tile): void {
    const r = t.result;
    if (!r) return;
    const { input, colormap } = this.view;
    const look = (map: MethodOutput['map']) => overlay(input!, map, { colormap, imageWeight: 1 - this.view.opacity });
    const overlaid = r.space === 'layer' && input;
    paint(t.canvas, overlaid ? look(r.map) : deprocess(r.raw, { layout: this.view.layout }));
    const b = t.pair?.result;
    if (!t.pair || !b) return;
    paint(t.pair.b, overlaid ? look(b.map) : colorize(b.map, colormap));
    const diff = new Float32Array(r.map.data.length);
    let max = r.map.data.length === b.map.data.length ? 0 : Infinity;
    for (let i = 0; i < diff.length && max !== Infinity; i++) {
      diff[i] = Math.abs(r.map.data[i]! - b.map.data[i]!);
      max = Math.max(max, diff[i]!);
    }
    if (max > 0 && max !== Infinity) for (let i = 0; i < diff.length; i++) diff[i] = diff[i]! / max;
    paint(t.pair.diff, colorize({ data: diff, shape: r.map.shape }, colormap));
    t.pair.text.dataset['maxError'] = String(max);
    t.pair.text.textContent = `max |difference| = ${max.toExponential(2)} (${b.ms.toFixed(0)} ms there)`;
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
