import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Normalization } from '@gradscope/core';
import { CliError } from './cli-error.js';

/** What a `<model>.gradscope.json` file next to a model may record. */
export interface Sidecar {
  readonly normalization?: Normalization;
  readonly classes?: readonly string[];
  /** `[H, W]` (the file may say `[H, W]` or `{ "height": H, "width": W }`). */
  readonly inputSize?: readonly [number, number];
  /** The network takes pixels in [0, pixelRange] (mean and std in those units). */
  readonly pixelRange?: number;
  readonly channelOrder?: 'rgb' | 'bgr';
}

/** `dir/model.json` → `dir/model.gradscope.json` (`net.onnx` → `net.gradscope.json`). */
export function sidecarPath(modelPath: string): string {
  return join(dirname(modelPath), `${basename(modelPath, extname(modelPath))}.gradscope.json`);
}

const triple = (v: unknown): v is number[] =>
  Array.isArray(v) && v.length >= 1 && v.every((x) => typeof x === 'number' && Number.isFinite(x));

/** Checks a parsed sidecar; throws a one-line error naming the file and the bad field. */
export function parseSidecar(json: unknown, file: string): Sidecar {
  const bad = (why: string) => new CliError(`sidecar ${file}: ${why}`);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad('expected a JSON object');
  const o = json as Record<string, unknown>;
  const out: {
    normalization?: Normalization;
    classes?: string[];
    inputSize?: [number, number];
    pixelRange?: number;
    channelOrder?: 'rgb' | 'bgr';
  } = {};
  if (o.normalization !== undefined) {
    const n = o.normalization as { mean?: unknown; std?: unknown } | null;
    if (!n || !triple(n.mean) || !triple(n.std) || n.mean.length !== n.std.length)
      throw bad('normalization must be {mean:[…], std:[…]} of equal length');
    if (n.std.some((s) => s <= 0)) throw bad('normalization.std must be positive');
    out.normalization = { mean: n.mean, std: n.std };
  }
  if (o.classes !== undefined) {
    if (!Array.isArray(o.classes) || !o.classes.every((c) => typeof c === 'string'))
      throw bad('classes must be an array of strings');
    out.classes = o.classes;
  }
  if (o.inputSize !== undefined) {
    const s = o.inputSize as { height?: unknown; width?: unknown } | unknown[] | null;
    const hw = Array.isArray(s) ? (s.length === 2 ? s : []) : s ? [s.height, s.width] : [];
    if (hw.length !== 2 || !hw.every((d) => Number.isInteger(d) && (d as number) > 0))
      throw bad('inputSize must be [H, W] or {height, width} of positive integers');
    out.inputSize = [hw[0] as number, hw[1] as number];
  }
  if (o.pixelRange != null) {
    if (typeof o.pixelRange !== 'number' || !Number.isFinite(o.pixelRange) || o.pixelRange <= 0)
      throw bad('pixelRange must be a positive number');
    out.pixelRange = o.pixelRange;
  }
  if (o.channelOrder != null) {
    if (o.channelOrder !== 'rgb' && o.channelOrder !== 'bgr') throw bad('channelOrder must be "rgb" or "bgr"');
    out.channelOrder = o.channelOrder;
  }
  return out;
}

/** Reads the sidecar next to `modelPath`; `{}` when there is none. */
export async function readSidecar(modelPath: string): Promise<Sidecar> {
  const file = sidecarPath(modelPath);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return {};
    throw new CliError(`sidecar ${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CliError(`sidecar ${file}: not valid JSON (${(e as Error).message})`);
  }
  return parseSidecar(json, file);
}
