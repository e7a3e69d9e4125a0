import { COLORMAPS } from '@gradscope/render';
import {
  BUILTIN_MODELS,
  type BuiltinModelId,
  type ClassScore,
  type CompareId,
  type DeviceId,
  type DeviceSupport,
  type MethodInfo,
  type ModelChoice,
  type ModelInfo,
  type OptionValues,
} from '../protocol.js';
import { $, h } from './dom.js';
import { optionsForm } from './options-form.js';

const DEVICE_LABEL: Record<string, string> = {
  'tfjs-webgl': 'TensorFlow.js · WebGL',
  'tfjs-webgpu': 'TensorFlow.js · WebGPU',
  'tfjs-wasm': 'TensorFlow.js · wasm',
  'onnx-wasm': 'ONNX Runtime Web · wasm',
  'onnx-webgpu': 'ONNX Runtime Web · WebGPU (backward on wasm)',
};

/** The backend select: supported devices enabled, the others disabled with the reason listed. */
export function renderDevices(devices: readonly DeviceSupport[], selected: string, onChange: (id: string) => void) {
  const sel = $<HTMLSelectElement>('device');
  sel.replaceChildren(
    ...devices.map((d) =>
      h('option', { value: d.id, disabled: !d.ok, selected: d.id === selected }, DEVICE_LABEL[d.id] ?? d.id),
    ),
  );
  sel.onchange = () => onChange(sel.value);
  $('device-why').replaceChildren(
    ...devices.filter((d) => !d.ok).map((d) => h('li', {}, h('b', {}, DEVICE_LABEL[d.id] ?? d.id), `: ${d.why}`)),
  );
}

/** The device for a user's model: the current one if it runs the model's runtime, else the first supported one that does. */
export function deviceFor(next: ModelChoice, devices: readonly DeviceSupport[], current: DeviceId): DeviceId {
  const onnx =
    next.kind === 'files'
      ? next.files.some((f) => f.name.toLowerCase().endsWith('.onnx'))
      : next.kind === 'url' && /\.onnx([?#]|$)/i.test(next.url);
  if (onnx === current.startsWith('onnx-')) return current;
  const want: DeviceId[] = onnx ? ['onnx-wasm', 'onnx-webgpu'] : ['tfjs-wasm', 'tfjs-webgl', 'tfjs-webgpu'];
  return want.find((id) => devices.some((d) => d.id === id && d.ok)) ?? current;
}

/**
 * The comparison select: off, another supported device that runs the same methods, or, for a
 * built-in model with a pair (the GAIN experiment's baseline and GAIN_ext), that model on this device.
 */
export function renderCompare(
  devices: readonly DeviceSupport[],
  current: string,
  paired: BuiltinModelId | null,
  selected: string | null,
  onChange: (id: CompareId | null) => void,
) {
  const sel = $<HTMLSelectElement>('compare');
  sel.replaceChildren(
    h('option', { value: '' }, 'off'),
    ...devices
      .filter((d) => d.ok && d.id !== current)
      .map((d) => h('option', { value: d.id, selected: d.id === selected }, DEVICE_LABEL[d.id] ?? d.id)),
    ...(paired
      ? [
          h(
            'option',
            { value: `model:${paired}`, selected: `model:${paired}` === selected },
            `model: ${BUILTIN_MODELS[paired]}`,
          ),
        ]
      : []),
  );
  sel.onchange = () => onChange((sel.value || null) as CompareId | null);
}

/** Method checkboxes with their generated option forms; methods the model cannot run are disabled. */
export function renderMethods(
  methods: readonly MethodInfo[],
  model: ModelInfo | null,
  selected: readonly string[],
  options: Record<string, OptionValues>,
  on: { toggle(id: string, on: boolean): void; options(id: string, v: OptionValues): void },
) {
  $('methods').replaceChildren(
    ...methods.map((m) => {
      const runnable = !model || model.runnable.includes(m.id);
      const why = runnable
        ? m.description
        : `${m.description}\nNot runnable on this model/backend (needs ${m.requires.join(', ')}).`;
      const box = h('input', {
        type: 'checkbox',
        value: m.id,
        checked: selected.includes(m.id),
        disabled: !runnable,
        onchange: (e: Event) => on.toggle(m.id, (e.target as HTMLInputElement).checked),
      });
      const form = optionsForm(m.id, m.options, options[m.id] ?? {}, (v) => on.options(m.id, v));
      const label = h(
        'label',
        { title: why, class: runnable ? '' : 'off' },
        box,
        ` ${m.title}`,
        m.plugin ? h('em', {}, ' plugin') : null,
      );
      return form
        ? h('details', { class: 'method', 'data-method': m.id }, h('summary', {}, label), form)
        : h('div', { class: 'method', 'data-method': m.id }, label);
    }),
  );
}

/** The layer select: `auto` (naming the layer it picks), then candidate layers with output shapes. */
export function renderLayers(model: ModelInfo, selected: string, onChange: (v: string) => void) {
  const sel = $<HTMLSelectElement>('layer');
  const opts = [h('option', { value: 'auto', selected: selected === 'auto' }, `auto (${model.autoLayer ?? 'none'})`)];
  for (const l of model.layers)
    if (l.candidate)
      opts.push(
        h(
          'option',
          { value: l.name, selected: selected === l.name },
          `${l.name === model.autoLayer ? '★ ' : ''}${l.name} · ${l.type} [${l.shape.join('×')}]`,
        ),
      );
  sel.replaceChildren(...opts);
  sel.onchange = () => onChange(sel.value);
}

/** Top-k classes with probabilities; the selected one (or top-1 when none) is marked. */
export function renderTargets(top: readonly ClassScore[], selected: number | null, onPick: (i: number | null) => void) {
  $('targets').replaceChildren(
    ...top.map((c, k) => {
      const active = selected === null ? k === 0 : selected === c.index;
      return h(
        'li',
        {},
        h(
          'button',
          {
            class: active ? 'active' : '',
            'data-class': c.index,
            onclick: () => onPick(k === 0 && selected === null ? null : c.index),
          },
          `${c.name ?? `class ${c.index}`} `,
          h('span', { class: 'p' }, `${(c.probability * 100).toFixed(1)}%`),
          h('span', { class: 'bar', style: `width:${(c.probability * 100).toFixed(1)}%` }),
        ),
      );
    }),
  );
}

export function renderColormaps(selected: string, onChange: (v: string) => void) {
  const sel = $<HTMLSelectElement>('colormap');
  sel.replaceChildren(...COLORMAPS.map((c) => h('option', { value: c, selected: c === selected }, c)));
  sel.onchange = () => onChange(sel.value);
}
