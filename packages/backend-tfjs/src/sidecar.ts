import { ModelLoadError } from '@gradscope/core';
import type { ModelMeta } from './model-meta.js';

/**
 * The optional `<model>.gradscope.json` file next to `model.json` (`model.gradscope.json` for
 * `model.json`): `{ "normalization": { "mean": [...], "std": [...] }, "classes": ["cat", ...],
 * "inputSize": { "height": 224, "width": 224 } }` (or `[224, 224]`), every field optional (null = absent; other fields
 * are ignored).
 */
export function parseSidecar(text: string, source: string): ModelMeta {
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
  const meta: { -readonly [K in keyof ModelMeta]: ModelMeta[K] } = {};
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
  return meta;
}

/** The sidecar's name for a model.json path or URL: `x/model.json` → `x/model.gradscope.json`. */
export function sidecarPath(modelJsonPath: string): string {
  const q = modelJsonPath.search(/[?#]/);
  const [base, rest] = q < 0 ? [modelJsonPath, ''] : [modelJsonPath.slice(0, q), modelJsonPath.slice(q)];
  return `${base.replace(/\.json$/i, '')}.gradscope.json${rest}`;
}
