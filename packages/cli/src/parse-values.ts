import { classTarget, topClass, type Target } from '@gradscope/core';
import { CliError, usageError } from './cli-error.js';

/** `--mean 0.5,0.5,0.5`: comma-separated finite numbers (1 to 4 of them). */
export function parseNumberList(flag: string, s: string): number[] {
  const parts = s.split(',').map((p) => p.trim());
  const xs = parts.map((p) => (p === '' ? NaN : Number(p)));
  if (xs.length < 1 || xs.length > 4 || xs.some((x) => !Number.isFinite(x)))
    throw usageError(`--${flag} expects comma-separated numbers like 0.485,0.456,0.406, got '${s}'`);
  return xs;
}

/** The largest `--size`: 16384 pixels a side. */
export const MAX_SIZE = 16384;

/** `--size 224`: a positive integer up to {@link MAX_SIZE}. */
export function parseSize(s: string): number {
  const n = Number(s);
  if (!/^\s*\d+\s*$/.test(s) || !Number.isInteger(n) || n < 1)
    throw usageError(`--size expects a positive integer, got '${s}'`);
  if (n > MAX_SIZE) throw usageError(`--size ${n} is above the limit of ${MAX_SIZE} pixels a side`);
  return n;
}

/** `--max-pixels 400000000`: a positive integer (the pixel budget of one input image). */
export function parseMaxPixels(s: string): number {
  const n = Number(s);
  if (!/^\s*\d+\s*$/.test(s) || !Number.isSafeInteger(n) || n < 1)
    throw usageError(`--max-pixels expects a positive integer, got '${s}'`);
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

/**
 * `--target top1` (the predicted class), a class index (`3`) or a class name listed in the model's
 * sidecar (`circle`). Range checks happen once the model is loaded (core's validateTarget).
 */
export function parseTarget(s: string, classes: readonly string[] = []): Target {
  const t = s.trim();
  if (t === 'top1') return topClass();
  if (/^[+-]?\d+$/.test(t)) return classTarget(Number(t));
  const i = classes.indexOf(t);
  if (i >= 0) return classTarget(i);
  throw new CliError(
    `unknown target '${s}': expected top1, a class index${classes.length ? ` or a class name (${classes.join(', ')})` : ' (the model has no sidecar listing class names)'}`,
  );
}
