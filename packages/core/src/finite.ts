import { isGradscopeError, NonFiniteError, RuntimeFailedError } from './errors.js';
import type { LayerHook } from './hook.js';
import type { Model } from './model.js';
import type { Tensor } from './tensor.js';

/** Flat index of the first NaN or ±∞ in `d`, or -1 when every value is finite. */
export function firstNonFinite(d: ArrayLike<number>): number {
  // one call site per element type keeps V8's loads monomorphic (a shared loop over mixed array
  // types ran at ~12 ns per element: 1.5 ms per mobilenet_v2 capture)
  return d instanceof Float32Array ? firstNonFiniteF32(d) : firstNonFiniteAny(d);
}

function firstNonFiniteF32(d: Float32Array): number {
  let p0 = 0,
    p1 = 0,
    p2 = 0,
    p3 = 0;
  const n4 = d.length - (d.length % 4);
  for (let i = 0; i < n4; i += 4) {
    p0 += d[i]! * 0;
    p1 += d[i + 1]! * 0;
    p2 += d[i + 2]! * 0;
    p3 += d[i + 3]! * 0;
  }
  for (let i = n4; i < d.length; i++) p0 += d[i]! * 0;
  if (p0 + p1 + p2 + p3 === 0) return -1;
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) return i;
  return -1;
}

function firstNonFiniteAny(d: ArrayLike<number>): number {
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) return i;
  return -1;
}

/** Throws {@link NonFiniteError} naming `what` and `layer` when `t` holds NaN or ±∞; returns `t`. */
export function checkFinite<T extends Tensor>(t: T, what: string, layer: string): T {
  const i = firstNonFinite(t.data);
  if (i >= 0) throw new NonFiniteError(what, layer, i, t.data[i]!);
  return t;
}

/** The name core gives the model's output in messages. */
export const OUTPUT_LAYER = '(model output)';

function checkHook(hook: LayerHook, inputName: string): void {
  checkFinite(hook.logits, 'logits', OUTPUT_LAYER);
  for (const [layer, t] of hook.activations) checkFinite(t, 'activation', layer);
  for (const [layer, t] of hook.gradients) checkFinite(t, 'gradient', layer);
  if (hook.inputGradient) checkFinite(hook.inputGradient, 'input gradient', inputName);
}

/**
 * `model` seen through a check: an error of the runtime itself becomes a RuntimeFailedError, and every logit, captured activation and gradient that `forward`,
 * `capture` and `runFromLayer` return is finite, or a {@link NonFiniteError} says which tensor of
 * which layer is not (the capture is disposed first). What `Gradscope.explain` hands to methods, so
 * every backend gets the check without doing it itself.
 */
export function guardFinite(model: Model): Model {
  const run = async <T>(operation: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      throw isGradscopeError(e) ? e : new RuntimeFailedError(model.backend, operation, e);
    }
  };
  const forward: Model['forward'] = async (x) =>
    checkFinite(await run('forward', () => model.forward(x)), 'logits', OUTPUT_LAYER);
  const capture: Model['capture'] = async (x, request) => {
    const hook = await run('capture', () => model.capture(x, request));
    try {
      checkHook(hook, model.input.name);
    } catch (e) {
      hook.dispose();
      throw e;
    }
    return hook;
  };
  const runFromLayer: Model['runFromLayer'] = async (x, layer, activation) =>
    checkFinite(await run('runFromLayer', () => model.runFromLayer!(x, layer, activation)), 'logits', OUTPUT_LAYER);
  return new Proxy(model, {
    get(target, key) {
      if (key === 'forward') return forward;
      if (key === 'capture') return capture;
      if (key === 'runFromLayer') return target.runFromLayer ? runFromLayer : undefined;
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
