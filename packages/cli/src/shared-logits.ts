import type { CaptureRequest, LayerHook, Model, Tensor } from '@gradscope/core';

/** `model` as the methods see it, and the logits its first capture of `x` returned (if any). */
export interface SharedLogits {
  readonly model: Model;
  /** The logits of `x` ([1, K], a copy) from the first capture of `x`, or null when none was made. */
  logits(): Tensor | null;
}

/**
 * Wraps `model` to keep the logits of the first capture of the input `x` itself (the same tensor
 * object). The methods' shared capture runs the forward pass anyway, so `explain` reads the top-5
 * and the target from it instead of running a forward of its own (on ONNX that forward is a session
 * of its own: for ResNet-50 ≈0.3 s and ≈260 MB of a cold start). Everything else is the model's own.
 */
export function sharedLogits(model: Model, x: Tensor): SharedLogits {
  // the first capture ISSUED wins (captures may finish out of order), so the choice is deterministic
  let kept: { readonly order: number; readonly logits: Tensor } | null = null;
  let issued = 0;
  const keep = (order: number, input: Tensor, hook: LayerHook | undefined) => {
    if ((kept && kept.order < order) || input !== x || !hook || hook.logits.shape[0] !== 1) return;
    kept = { order, logits: { data: hook.logits.data.slice(), shape: [...hook.logits.shape] } };
  };
  const capture = async (input: Tensor, request: CaptureRequest): Promise<LayerHook> => {
    const order = issued++;
    const hook = await model.capture(input, request);
    keep(order, input, hook);
    return hook;
  };
  const captureMany = async (input: Tensor, requests: readonly CaptureRequest[]): Promise<LayerHook[]> => {
    const order = issued++;
    const hooks = await model.captureMany!(input, requests);
    keep(order, input, hooks[0]);
    return hooks;
  };
  const wrapped = new Proxy(model, {
    get(target, prop) {
      if (prop === 'capture') return capture;
      if (prop === 'captureMany') return target.captureMany ? captureMany : undefined;
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { model: wrapped, logits: () => kept?.logits ?? null };
}
