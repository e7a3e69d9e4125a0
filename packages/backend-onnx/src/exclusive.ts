import type { OrtRuntime } from './ort-types.js';

const tails = new WeakMap<object, Promise<unknown>>();

/**
 * Runs `f` after every earlier call for the same runtime has settled. onnxruntime-web cannot run
 * (or create) sessions concurrently — overlapping `run`s corrupt each other — so every session
 * call this backend makes goes through here. Only leaf calls are wrapped, so nesting cannot deadlock.
 */
export function exclusive<T>(ort: OrtRuntime, f: () => Promise<T>): Promise<T> {
  const prev = tails.get(ort) ?? Promise.resolve();
  const next = prev.then(f, f);
  tails.set(
    ort,
    next.catch(() => undefined),
  );
  return next;
}
