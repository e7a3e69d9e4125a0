import {
  BUILTIN_MODELS,
  TARGET_KINDS,
  type BuiltinModelId,
  type CompareId,
  type DeviceId,
  type ModelChoice,
  type OptionValues,
  type Preprocessing,
  type TargetKind,
} from '../protocol.js';

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** Everything a shared link restores. Local files cannot travel in a URL: they are recorded as `file`. */
export interface AppState {
  /** `builtin` is the shapes model (links made before the other built-in models existed say so). */
  model: 'builtin' | `builtin:${BuiltinModelId}` | 'file' | `url:${string}`;
  device: DeviceId | null;
  image: `sample:${number}` | 'file';
  methods: string[];
  options: Record<string, OptionValues>;
  layer: string;
  target: number | null;
  targetKind: TargetKind;
  negate: boolean;
  colormap: string;
  opacity: number;
  /** The user's changes to the model's preprocessing (absent fields: the model's own). */
  pre: Partial<Writable<Preprocessing>>;
  /** A second device that runs the same methods, or the paired built-in model, for a difference map. */
  compare: CompareId | null;
}

export const DEFAULT_STATE: AppState = {
  model: 'builtin',
  device: null,
  image: 'sample:0',
  methods: ['gradcam'],
  options: {},
  layer: 'auto',
  target: null,
  targetKind: 'class',
  negate: false,
  colormap: 'jet',
  opacity: 0.5,
  pre: {},
  compare: null,
};

const numbers = (v: string | null) => {
  const a = (v ?? '').split(',').map(Number);
  return v && a.every(Number.isFinite) ? a : undefined;
};

/** Preprocessing changes from the URL (`size=HxW`, `mean=a,b,c`, `std=…`, `range=255`, `order=bgr`). */
function readPre(q: URLSearchParams): AppState['pre'] {
  const pre: AppState['pre'] = {};
  const size = /^(\d+)x(\d+)$/.exec(q.get('size') ?? '');
  if (size && Number(size[1]) > 0 && Number(size[2]) > 0) [pre.height, pre.width] = [Number(size[1]), Number(size[2])];
  const mean = numbers(q.get('mean'));
  if (mean) pre.mean = mean;
  const std = numbers(q.get('std'));
  if (std && std.every((v) => v > 0)) pre.std = std;
  if (q.get('range') === '255' || q.get('range') === '1') pre.range = Number(q.get('range')) as 1 | 255;
  if (q.get('order') === 'bgr' || q.get('order') === 'rgb') pre.order = q.get('order') as 'rgb' | 'bgr';
  return pre;
}

/** Reads the state from `location.search` (unknown keys are ignored). */
export function readState(search: string): AppState {
  const q = new URLSearchParams(search);
  const s: AppState = { ...DEFAULT_STATE, options: {}, pre: readPre(q) };
  const compare = q.get('compare');
  if (compare) s.compare = compare as CompareId;
  const model = q.get('model');
  const builtin = model?.startsWith('builtin:') && model.slice(8) in BUILTIN_MODELS;
  if (model === 'builtin' || builtin || model === 'file' || model?.startsWith('url:'))
    s.model = model as AppState['model'];
  const device = q.get('backend');
  if (device) s.device = device as DeviceId;
  const image = q.get('image');
  if (image && /^(sample:\d+|file)$/.test(image)) s.image = image as AppState['image'];
  const methods = q.get('methods');
  if (methods !== null) s.methods = methods.split(',').filter(Boolean);
  s.layer = q.get('layer') || 'auto';
  const t = q.get('target');
  s.target = t !== null && /^\d+$/.test(t) ? Number(t) : null;
  const kind = q.get('tkind') as TargetKind | null;
  if (kind && TARGET_KINDS.includes(kind)) s.targetKind = kind;
  s.negate = q.get('negate') === '1';
  s.colormap = q.get('colormap') || s.colormap;
  const op = Number(q.get('opacity'));
  if (q.has('opacity') && op >= 0 && op <= 1) s.opacity = op;
  for (const [k, v] of q) {
    const m = /^o\.([^.]+)\.(.+)$/.exec(k);
    if (!m) continue;
    const bag = (s.options[m[1]!] ??= {});
    bag[m[2]!] = v === 'true' ? true : v === 'false' ? false : v !== '' && !Number.isNaN(Number(v)) ? Number(v) : v;
  }
  return s;
}

/** Writes the state into the address bar (replaceState: no history entry per click). */
export function writeState(s: AppState): void {
  const q = new URLSearchParams();
  q.set('model', s.model);
  if (s.device) q.set('backend', s.device);
  q.set('image', s.image);
  q.set('methods', s.methods.join(','));
  q.set('layer', s.layer);
  if (s.target !== null) q.set('target', String(s.target));
  if (s.targetKind !== 'class') q.set('tkind', s.targetKind);
  if (s.negate) q.set('negate', '1');
  q.set('colormap', s.colormap);
  q.set('opacity', String(s.opacity));
  if (s.compare) q.set('compare', s.compare);
  const { height, width, mean, std, range, order } = s.pre;
  if (height && width) q.set('size', `${height}x${width}`);
  if (mean) q.set('mean', mean.join(','));
  if (std) q.set('std', std.join(','));
  if (range) q.set('range', String(range));
  if (order) q.set('order', order);
  for (const id of s.methods)
    for (const [k, v] of Object.entries(s.options[id] ?? {})) q.set(`o.${id}.${k}`, String(v));
  history.replaceState(null, '', `${location.pathname}?${q.toString()}`);
}

/** The model a state names: a built-in one, or a URL (`file` models cannot be restored: the shapes model then). */
export function choiceOf(model: AppState['model']): ModelChoice {
  if (model.startsWith('url:')) return { kind: 'url', url: model.slice(4) };
  const id = model.startsWith('builtin:') ? (model.slice(8) as BuiltinModelId) : 'shapes';
  return { kind: 'builtin', id };
}
