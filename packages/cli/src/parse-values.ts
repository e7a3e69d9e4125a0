import { usageError } from './cli-error.js';

/** `--mean 0.5,0.5,0.5`: comma-separated finite numbers (1 to 4 of them). */
export function parseNumberList(flag: string, s: string): number[] {
  const parts = s.split(',').map((p) => p.trim());
  const xs = parts.map((p) => (p === '' ? NaN : Number(p)));
  if (xs.length < 1 || xs.length > 4 || xs.some((x) => !Number.isFinite(x)))
    throw usageError(`--${flag} expects comma-separated numbers like 0.485,0.456,0.406, got '${s}'`);
  return xs;
}

/** `--scale 255`: a positive finite number. */
export function parseScale(s: string): number {
  const n = Number(s);
  if (s.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw usageError(`--scale expects a positive number, got '${s}'`);
  return n;
}

/** The largest `--size`: 16384 pixels a side. */
export const MAX_SIZE = 16384;

/** `--max-pixels 400000000`: a positive integer (the pixel budget of one input image). */
export function parseMaxPixels(s: string): number {
  const n = Number(s);
  if (!/^\s*\d+\s*$/.test(s) || !Number.isSafeInteger(n) || n < 1)
    throw usageError(`--max-pixels expects a positive integer, got '${s}'`);
  return n;
}

/** `--batch <n>`: a positive integer. */
export function parseBatch(s: string): number {
  const n = Number(s);
  if (!/^\s*\d+\s*$/.test(s) || !Number.isSafeInteger(n) || n < 1)
    throw usageError(`--batch expects a positive integer, got '${s}'`);
  return n;
}

/** `--size 224` (square) or `--size 224x160` (height × width; `×` also accepted), up to {@link MAX_SIZE}. */
export function parseSize(s: string): { height: number; width: number } {
  const m = /^\s*(\d+)\s*(?:[x×]\s*(\d+)\s*)?$/i.exec(s);
  const [h, w] = m ? [Number(m[1]), Number(m[2] ?? m[1])] : [NaN, NaN];
  const ok = (n: number) => Number.isInteger(n) && n >= 1;
  if (!ok(h) || !ok(w))
    throw usageError(
      /[x×]/i.test(s)
        ? `--size expects <n> or <height>x<width> (positive integers), got '${s}'`
        : `--size expects a positive integer, got '${s}'`,
    );
  const big = Math.max(h, w);
  if (big > MAX_SIZE) throw usageError(`--size ${big} is above the limit of ${MAX_SIZE} pixels a side`);
  return { height: h, width: w };
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
