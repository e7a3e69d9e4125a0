/** Config keys whose values are sizes of windows and steps: positive integers (one or a list). */
const WINDOW_KEYS = ['strides', 'pool_size', 'kernel_size', 'dilation_rate', 'size'];
/** Config keys that size weights. */
const WIDTH_KEYS = ['filters', 'units', 'depth_multiplier'];
const SHAPE_KEYS = ['batch_input_shape', 'batch_shape', 'input_shape'];
const MAX_WINDOW = 4096;
const MAX_WIDTH = 65536;
/** Largest spatial input size (as the CLI's `--size`). */
const MAX_SIDE = 16384;

const ints = (v: unknown): unknown[] => (Array.isArray(v) ? v.flat(2) : [v]);
const inRange = (lo: number, hi: number) => (x: unknown) =>
  Number.isInteger(x) && (x as number) >= lo && (x as number) <= hi;

/** The problem with one layer's config, or null. */
function badConfig(name: string, c: Record<string, unknown>): string | null {
  const why = (key: string, what: string) =>
    `layer '${name}': ${key} must be ${what}, got ${JSON.stringify(c[key])?.slice(0, 40)}`;
  for (const k of WINDOW_KEYS) {
    if (c[k] == null) continue;
    if (!ints(c[k]).every(inRange(1, MAX_WINDOW))) return why(k, `integers from 1 to ${MAX_WINDOW}`);
  }
  for (const k of WIDTH_KEYS) {
    if (c[k] == null) continue;
    if (!ints(c[k]).every(inRange(1, MAX_WIDTH))) return why(k, `an integer from 1 to ${MAX_WIDTH}`);
  }
  for (const k of ['padding', 'cropping']) {
    if (c[k] == null || typeof c[k] === 'string') continue;
    if (!ints(c[k]).every(inRange(0, MAX_WINDOW))) return why(k, `'same', 'valid' or integers from 0 to ${MAX_WINDOW}`);
  }
  for (const k of SHAPE_KEYS) {
    if (c[k] == null) continue;
    if (!Array.isArray(c[k])) return why(k, 'a list');
    const dims = c[k] as unknown[];
    const spatial = dims.length === 4 ? [1, 2] : [];
    const ok = dims.every((d, i) => d === null || inRange(1, spatial.includes(i) ? MAX_SIDE : MAX_WIDTH)(d));
    if (!ok) return why(k, `sizes from 1 to ${MAX_SIDE} (spatial) or ${MAX_WIDTH} (channels), or null`);
  }
  return null;
}

/**
 * What is out of range in the layer configs of a Keras topology (nested models included), or null.
 * Negative or zero windows and steps make tfjs's wasm kernels read and write out of bounds (which
 * breaks later models too), and absurd widths or input sizes allocate gigabytes before any weight is
 * compared with the manifest, so both are refused before tfjs sees them.
 */
export function checkLayerConfigs(topology: unknown): string | null {
  const config = (topology as { config?: Record<string, unknown> } | null)?.config;
  const layers = Array.isArray(config?.['layers']) ? (config['layers'] as Record<string, unknown>[]) : [];
  for (const l of layers) {
    if (!l || typeof l !== 'object') continue;
    const name = typeof l['name'] === 'string' ? l['name'] : String((l['config'] as { name?: unknown })?.name ?? '?');
    const c = l['config'];
    if (c && typeof c === 'object' && !Array.isArray(c)) {
      const bad = badConfig(name, c as Record<string, unknown>);
      if (bad) return bad;
      const nested = checkLayerConfigs(l);
      if (nested) return nested;
    }
  }
  return null;
}
