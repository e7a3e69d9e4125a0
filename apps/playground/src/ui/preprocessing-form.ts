import type { Preprocessing } from '../protocol.js';
import { $, h } from './dom.js';
import type { AppState } from './state.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The preprocessing in effect: the model's own, with the user's changes on top. */
export const effective = (own: Preprocessing, pre: AppState['pre']): Preprocessing => ({ ...own, ...pre });

/**
 * The editable preprocessing (size, mean/std, pixel range, channel order), filled with what is in
 * effect. `onChange` receives the fields that differ from the model's own (the URL keeps only those).
 */
export function renderPreprocessing(
  own: Preprocessing,
  pre: AppState['pre'],
  onChange: (pre: AppState['pre']) => void,
): void {
  const now = effective(own, pre);
  const emit = (next: Partial<Preprocessing>) => {
    const all = { ...now, ...next };
    const diff: AppState['pre'] = {};
    if (all.height !== own.height || all.width !== own.width) [diff.height, diff.width] = [all.height, all.width];
    if (!same(all.mean, own.mean)) diff.mean = [...all.mean];
    if (!same(all.std, own.std)) diff.std = [...all.std];
    if (all.range !== own.range) diff.range = all.range;
    if (all.order !== own.order) diff.order = all.order;
    onChange(diff);
  };
  const size = (id: string, key: 'height' | 'width') =>
    h('input', {
      id,
      type: 'number',
      min: 1,
      step: 1,
      value: String(now[key]),
      onchange: (e: Event) => {
        const v = Number((e.target as HTMLInputElement).value);
        if (Number.isInteger(v) && v > 0) emit({ [key]: v });
        else (e.target as HTMLInputElement).value = String(now[key]);
      },
    });
  const list = (id: string, key: 'mean' | 'std') =>
    h('input', {
      id,
      type: 'text',
      value: now[key].join(', '),
      onchange: (e: Event) => {
        const el = e.target as HTMLInputElement;
        const v = el.value.split(',').map((x) => Number(x.trim()));
        const ok =
          v.length === own[key].length && v.every(Number.isFinite) && (key === 'mean' || v.every((x) => x > 0));
        if (ok) emit({ [key]: v });
        else el.value = now[key].join(', ');
      },
    });
  const select = (id: string, value: string, options: [string, string][], set: (v: string) => void) =>
    h(
      'select',
      { id, onchange: (e: Event) => set((e.target as HTMLSelectElement).value) },
      ...options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)),
    );
  const row = (label: string, ...els: HTMLElement[]) => h('label', { class: 'opt' }, h('span', {}, label), ...els);
  $('pre').replaceChildren(
    row('size (H × W)', size('pre-height', 'height'), size('pre-width', 'width')),
    row('mean', list('pre-mean', 'mean')),
    row('std', list('pre-std', 'std')),
    row(
      'pixels',
      select(
        'pre-range',
        String(now.range),
        [
          ['1', '0–1'],
          ['255', '0–255'],
        ],
        (v) => emit({ range: Number(v) as 1 | 255 }),
      ),
    ),
    row(
      'channels',
      select(
        'pre-order',
        now.order,
        [
          ['rgb', 'RGB'],
          ['bgr', 'BGR'],
        ],
        (v) => emit({ order: v as 'rgb' | 'bgr' }),
      ),
    ),
    h(
      'button',
      { id: 'pre-reset', type: 'button', disabled: same(pre, {}), onclick: () => onChange({}) },
      "model's own",
    ),
  );
}
