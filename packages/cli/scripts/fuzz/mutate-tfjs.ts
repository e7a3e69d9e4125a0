import { flipBytes, NASTY_INTS, truncate, type Rng } from './rng.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every (container, key) pair in a JSON tree whose value is a number, string or array of numbers. */
function leaves(j: Json, out: { obj: Record<string, Json> | Json[]; key: string | number }[] = []) {
  if (Array.isArray(j))
    j.forEach((v, i) => (typeof v === 'object' && v !== null ? leaves(v, out) : out.push({ obj: j, key: i })));
  else if (j && typeof j === 'object')
    for (const [k, v] of Object.entries(j)) {
      if (typeof v === 'object' && v !== null && !(Array.isArray(v) && v.every((x) => typeof x === 'number')))
        leaves(v, out);
      else out.push({ obj: j, key: k });
    }
  return out;
}

const NASTY_VALUES: Json[] = [
  ...NASTY_INTS,
  null,
  '',
  'nope',
  -0.5,
  1e308,
  [],
  [0, 0],
  [-1, -1],
  [1e9, 1e9],
  { nested: true },
  true,
];

const PATHS = [
  '../outside.bin',
  '/etc/passwd',
  'http://127.0.0.1:9/w.bin',
  'file:///etc/passwd',
  'missing.bin',
  '',
  'weights.bin%00',
  '..%2f..%2fetc%2fpasswd',
];

/** Mutations of the parsed model.json (in place) and of the weights shard. */
const JSON_MUTATIONS: Record<string, (r: Rng, j: { [k: string]: Json }) => void> = {
  'topology-value': (r, j) => {
    const ls = leaves(j['modelTopology'] ?? null);
    if (!ls.length) return;
    for (let k = 0; k < 1 + r.int(3); k++) {
      const { obj, key } = r.pick(ls);
      (obj as Record<string, Json>)[key as string] = r.pick(NASTY_VALUES);
    }
  },
  'manifest-value': (r, j) => {
    const ls = leaves(j['weightsManifest'] ?? null);
    if (ls.length) {
      const { obj, key } = r.pick(ls);
      (obj as Record<string, Json>)[key as string] = r.pick(NASTY_VALUES);
    }
  },
  'weight-path': (r, j) => {
    const m = j['weightsManifest'] as { paths: Json[] }[] | undefined;
    if (m?.[0]) m[0].paths = [r.pick(PATHS)];
  },
  'weight-dtype': (r, j) => {
    const w = (j['weightsManifest'] as { weights: { dtype: Json }[] }[] | undefined)?.[0]?.weights;
    if (w?.length) r.pick(w).dtype = r.pick(['float16', 'int32', 'bool', 'complex64', 'string', 'uint8', 'nope']);
  },
  'weight-shape': (r, j) => {
    const w = (j['weightsManifest'] as { weights: { shape: Json }[] }[] | undefined)?.[0]?.weights;
    if (w?.length) r.pick(w).shape = Array.from({ length: r.int(5) }, () => r.pick(NASTY_INTS));
  },
  'drop-key': (r, j) => {
    const keys = Object.keys(j);
    if (keys.length) delete j[r.pick(keys)];
  },
  'class-name': (r, j) => {
    const layers = (j['modelTopology'] as { config?: { layers?: { class_name: Json }[] } })?.config?.layers ?? [];
    if (layers.length) r.pick(layers).class_name = r.pick(['Nope', 'Lambda', 'InputLayer', 'Dense', 'Model', '']);
  },
  'input-shape': (r, j) => {
    const layers =
      (j['modelTopology'] as { config?: { layers?: { config: Record<string, Json> }[] } })?.config?.layers ?? [];
    const c = layers[0]?.config;
    if (c) c['batch_input_shape'] = [null, r.pick([null, 0, 1, 32, 2 ** 20, -3]), 32, r.pick([3, 0, 1, 4, 1e6])];
  },
  'inbound-cycle': (r, j) => {
    const layers =
      (j['modelTopology'] as { config?: { layers?: { name: Json; inbound_nodes: Json }[] } })?.config?.layers ?? [];
    if (layers.length < 3) return;
    const i = 1 + r.int(layers.length - 2);
    const later = layers[i + r.int(layers.length - i)]!.name;
    layers[i]!.inbound_nodes = [[[later, 0, 0, {}]]];
  },
};

const SHARD_MUTATIONS: Record<string, (r: Rng, w: Uint8Array) => Uint8Array> = {
  'shard-flip': (r, w) => flipBytes(r, w, 1 + r.int(32)),
  'shard-truncate': (r, w) => truncate(r, w),
  'shard-extend': (r, w) => Uint8Array.from([...w, ...new Uint8Array(4 * (1 + r.int(64)))]),
  'shard-non-finite': (r, w) => {
    const f = new Float32Array(new Uint8Array(w).buffer);
    for (let k = 0; k < 1 + r.int(4); k++) f[r.int(f.length)] = r.pick([NaN, Infinity, -Infinity, 3.4e38, -3.4e38]);
    return new Uint8Array(f.buffer);
  },
};

export const TFJS_MUTATIONS = ['json-bytes', ...Object.keys(JSON_MUTATIONS), ...Object.keys(SHARD_MUTATIONS)];

/** One mutated copy of a tfjs model: model.json text bytes, the weights shard, and what was done. */
export function mutateTfjs(
  r: Rng,
  modelJson: string,
  weights: Uint8Array,
): { json: Uint8Array; weights: Uint8Array; what: string } {
  const what = r.pick(TFJS_MUTATIONS);
  const enc = (s: string) => new TextEncoder().encode(s);
  if (what === 'json-bytes') return { json: flipBytes(r, enc(modelJson), 1 + r.int(8)), weights, what };
  if (what in SHARD_MUTATIONS) return { json: enc(modelJson), weights: SHARD_MUTATIONS[what]!(r, weights), what };
  const j = JSON.parse(modelJson) as { [k: string]: Json };
  JSON_MUTATIONS[what]!(r, j);
  return { json: enc(JSON.stringify(j)), weights, what };
}
