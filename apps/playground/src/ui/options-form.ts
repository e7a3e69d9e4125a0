import type { OptionSpec, OptionValues } from '../protocol.js';
import { h } from './dom.js';

/** A value for an option from text (URL or input), or the default when it does not fit the spec. */
export function coerce(spec: OptionSpec, v: unknown): number | boolean | string {
  if (spec.type === 'boolean') return typeof v === 'boolean' ? v : spec.default;
  if (spec.type === 'enum') return typeof v === 'string' && spec.values.includes(v) ? v : spec.default;
  const word = typeof v === 'string' && spec.type === 'number' ? spec.words?.find((w) => w === v.trim()) : undefined;
  if (word !== undefined) return word;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || (spec.type === 'integer' && !Number.isInteger(n))) return spec.default;
  if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) return spec.default;
  return n;
}

/**
 * The form of one method's options, generated from its declared `options` (never hand-kept): a
 * number input per number/integer (with min/max), a checkbox per boolean, a select per enum, and a
 * text input offering the words for a number that also takes words (`zero` or a number).
 * `onChange` receives only the values that differ from the defaults.
 */
export function optionsForm(
  methodId: string,
  specs: Readonly<Record<string, OptionSpec>>,
  values: OptionValues,
  onChange: (values: OptionValues) => void,
): HTMLElement | null {
  const keys = Object.keys(specs);
  if (!keys.length) return null;
  const current: OptionValues = {};
  for (const k of keys) current[k] = coerce(specs[k]!, values[k]);
  const changed = () => {
    const diff: OptionValues = {};
    for (const k of keys) if (current[k] !== specs[k]!.default) diff[k] = current[k]!;
    onChange(diff);
  };
  const rows = keys.map((k) => {
    const spec = specs[k]!;
    const id = `opt-${methodId}-${k}`;
    let input: HTMLElement;
    if (spec.type === 'boolean')
      input = h('input', {
        id,
        type: 'checkbox',
        checked: current[k] as boolean,
        onchange: (e: Event) => ((current[k] = (e.target as HTMLInputElement).checked), changed()),
      });
    else if (spec.type === 'enum')
      input = h(
        'select',
        { id, onchange: (e: Event) => ((current[k] = (e.target as HTMLSelectElement).value), changed()) },
        ...spec.values.map((v) => h('option', { value: v, selected: v === current[k] }, v)),
      );
    else if (spec.type === 'number' && spec.words?.length) input = numberOrWordInput(id, spec, current, k, changed);
    else
      input = h('input', {
        id,
        type: 'number',
        value: String(current[k]),
        step: spec.type === 'integer' ? '1' : 'any',
        min: spec.min,
        max: spec.max,
        onchange: (e: Event) => {
          const el = e.target as HTMLInputElement;
          current[k] = coerce(spec, el.value);
          el.value = String(current[k]);
          changed();
        },
      });
    return h('label', { class: 'opt', title: spec.description }, h('span', {}, k), input);
  });
  return h('div', { class: 'options' }, ...rows);
}

/** A text input for a number option that also takes words, with the words offered in a datalist. */
function numberOrWordInput(
  id: string,
  spec: OptionSpec & { type: 'number' },
  current: OptionValues,
  k: string,
  changed: () => void,
): HTMLElement {
  const input = h('input', {
    id,
    type: 'text',
    inputmode: 'decimal',
    list: `${id}-words`,
    value: String(current[k]),
    placeholder: `number or ${spec.words!.join(', ')}`,
    onchange: (e: Event) => {
      const el = e.target as HTMLInputElement;
      current[k] = coerce(spec, el.value);
      el.value = String(current[k]);
      changed();
    },
  });
  const words = h('datalist', { id: `${id}-words` }, ...spec.words!.map((w) => h('option', { value: w })));
  return h('span', {}, input, words);
}
