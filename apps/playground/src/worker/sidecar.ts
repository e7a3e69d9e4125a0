import { ModelLoadError, type Normalization } from '@gradscope/core';

/** What the app reads from a `*.gradscope.json` sidecar (the fields the CLI and tfjs backend read). */
export interface Sidecar {
  readonly classes?: readonly string[];
  readonly normalization?: Normalization;
  readonly inputSize?: { readonly height: number; readonly width: number };
}

/**
 * Parses a sidecar. The tfjs backend has its own parser (`parseSidecar`), but importing it would pull
 * tfjs into the worker's first chunk even for ONNX models; this one reads the same three fields.
 */
export function parseSidecar(text: string, source: string): Sidecar {
  const bad = (why: string) => new ModelLoadError(source, `sidecar: ${why}`);
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw bad(`not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw bad('expected a JSON object');
  const nums = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.every((x) => Number.isFinite(x));
  const out: { -readonly [K in keyof Sidecar]: Sidecar[K] } = {};
  const n = o['normalization'] as { mean?: unknown; std?: unknown } | null | undefined;
  if (n != null) {
    if (!nums(n.mean) || !nums(n.std) || n.mean.length !== n.std.length)
      throw bad('normalization needs mean and std arrays of one length');
    out.normalization = { mean: n.mean, std: n.std };
  }
  const c = o['classes'];
  if (c != null) {
    if (!Array.isArray(c) || !c.every((x) => typeof x === 'string')) throw bad('classes must be an array of strings');
    out.classes = c as string[];
  }
  const s = o['inputSize'] as { height?: unknown; width?: unknown } | unknown[] | null | undefined;
  if (s != null) {
    const [height, width] = Array.isArray(s) ? s : [s.height, s.width];
    if (!Number.isInteger(height) || !Number.isInteger(width)) throw bad('inputSize needs integer height and width');
    out.inputSize = { height: height as number, width: width as number };
  }
  return out;
}
