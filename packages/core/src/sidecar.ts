import { ModelLoadError } from './errors.js';
import type { Normalization } from './model.js';

/**
 * What a `<model>.gradscope.json` file next to a model records (every field optional, null = absent,
 * other fields ignored): `{ "normalization": { "mean": [...], "std": [...] }, "classes": ["cat", ...],
 * "inputSize": { "height": 224, "width": 224 } | [224, 224], "pixelRange": 255, "channelOrder": "bgr" }`.
 * `pixelRange` R: the network takes pixels in [0, R] (mean and std are then in those units);
 * `channelOrder`: `rgb` (default) or `bgr` (mean and std follow the network's channel order).
 */
export interface ModelSidecar {
  readonly normalization?: Normalization;
  readonly classes?: readonly string[];
  readonly inputSize?: { readonly height: number; readonly width: number };
  readonly pixelRange?: number;
  readonly channelOrder?: 'rgb' | 'bgr';
}

/** Parses a sidecar's text; any problem is a one-line ModelLoadError naming `source`. */
export function parseSidecar(text: string, source: string): ModelSidecar {
  const bad = (why: string) => new ModelLoadError(source, `sidecar: ${why}`);
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw bad(`not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  if (typeof j !== 'object' || j === null || Array.isArray(j)) throw bad('expected a JSON object');
  const o = j as Record<string, unknown>;
  const nums = (v: unknown) =>
    Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  const meta: { -readonly [K in keyof ModelSidecar]: ModelSidecar[K] } = {};
  if (o['normalization'] != null) {
    const n = o['normalization'] as { mean?: unknown; std?: unknown } | null;
    if (!n || !nums(n.mean) || !nums(n.std)) throw bad('normalization needs numeric arrays mean and std');
    const mean = n.mean as number[];
    const std = n.std as number[];
    if (mean.length !== std.length) throw bad(`normalization mean has ${mean.length} entries, std ${std.length}`);
    if (std.some((s) => s <= 0)) throw bad('normalization std entries must be positive');
    meta.normalization = { mean, std };
  }
  if (o['classes'] != null) {
    const c = o['classes'];
    if (!Array.isArray(c) || !c.every((x) => typeof x === 'string')) throw bad('classes must be an array of strings');
    meta.classes = c as string[];
  }
  if (o['inputSize'] != null) {
    const raw = o['inputSize'] as { height?: unknown; width?: unknown } | unknown[] | null;
    const s =
      Array.isArray(raw) && raw.length === 2
        ? { height: raw[0], width: raw[1] }
        : (raw as { height?: unknown; width?: unknown } | null);
    const ok = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0;
    if (!s || !ok(s.height) || !ok(s.width))
      throw bad('inputSize needs positive integer height and width ({"height":H,"width":W} or [H, W])');
    meta.inputSize = { height: s.height as number, width: s.width as number };
  }
  if (o['pixelRange'] != null) {
    const r = o['pixelRange'];
    if (typeof r !== 'number' || !Number.isFinite(r) || r <= 0) throw bad('pixelRange must be a positive number');
    meta.pixelRange = r;
  }
  if (o['channelOrder'] != null) {
    const c = o['channelOrder'];
    if (c !== 'rgb' && c !== 'bgr') throw bad('channelOrder must be "rgb" or "bgr"');
    meta.channelOrder = c;
  }
  return meta;
}

/**
 * The sidecar's name for a model path or URL: the extension replaced by `.gradscope.json`
 * (`x/model.json` → `x/model.gradscope.json`, `net.onnx` → `net.gradscope.json`; a query is kept).
 */
export function sidecarPath(modelPath: string): string {
  const q = modelPath.search(/[?#]/);
  const [base, rest] = q < 0 ? [modelPath, ''] : [modelPath.slice(0, q), modelPath.slice(q)];
  return `${base.replace(/\.(json|onnx)$/i, '')}.gradscope.json${rest}`;
}

/**
 * The normalisation over pixels in [0, 1] equivalent to `normalization` in units of `pixelRange`
 * (x = (p·R − m) / s = (p − m/R) / (s/R)); identity normalisation when only the range is known.
 */
export function scaledNormalization(
  normalization: Normalization | undefined,
  pixelRange = 1,
): Normalization | undefined {
  if (pixelRange === 1) return normalization;
  const n = normalization ?? { mean: [0, 0, 0], std: [1, 1, 1] };
  return { mean: n.mean.map((m) => m / pixelRange), std: n.std.map((s) => s / pixelRange) };
}

/** What to do about a dynamic input size: the load option, the sidecar key and the CLI flag. */
export const DYNAMIC_SIZE_HINT =
  'pass inputSize: { height, width } in the load options, or "inputSize": [H, W] in <model>.gradscope.json (CLI: --size HxW)';

/** The warning a model carries when nothing says how its inputs are normalised. */
export function unknownNormalizationWarning(model: string): string {
  return (
    `${model}: input normalisation unknown (no sidecar normalization, no load option); ` +
    `pixels are fed in [0, 1] — if the model was trained otherwise, explanations are of the wrong input`
  );
}
