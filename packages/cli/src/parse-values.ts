import { usageError } from './cli-error.js';

/** `--mean 0.5,0.5,0.5`: comma-separated finite numbers (1 to 4 of them). */
export function parseNumberList(flag: string, s: string): number[] {
  const parts = s.split(',').map((p) => p.trim());
  const xs = parts.map((p) => (p === '' ? NaN : Number(p)));
  if (xs.length < 1 || xs.length > 4 || xs.some((x) => !Number.isFinite(x)))
    throw usageError(`--${flag} expects comma-separated numbers like 0.485,0.456,0.406, got '${s}'`);
  return xs;
}

/** `--size 224`: a positive integer. */
export function parseSize(s: string): number {
  const n = Number(s);
  if (!/^\s*\d+\s*$/.test(s) || !Number.isInteger(n) || n < 1 || n > 16384)
    throw usageError(`--size expects a positive integer, got '${s}'`);
  return n;
}

/** `--layer auto`, one layer name, or several separated by commas (their maps are averaged). */
export function parseLayers(s: string): string[] {
  const names = s.split(',').map((x) => x.trim());
  if (names.some((n) => n === ''))
    throw usageError(`--layer expects 'auto' or layer names separated by commas, got '${s}'`);
  return names;
}

/** `--method gradcam,saliency` or `all`. */
export function parseMethodList(s: string): 'all' | string[] {
  const ids = s.split(',').map((x) => x.trim());
  if (ids.some((n) => n === ''))
    throw usageError(`--method expects 'all' or method ids separated by commas, got '${s}'`);
  if (ids.includes('all')) {
    if (ids.length > 1) throw usageError(`--method 'all' cannot be combined with other ids`);
    return 'all';
  }
  return [...new Set(ids)];
}
