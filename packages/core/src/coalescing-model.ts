import { captureKey } from './capture-key.js';
import type { CaptureRequest, LayerHook } from './hook.js';
import type { Model } from './model.js';
import { canStack, planCalls, splitHook, type BackendCall, type CaptureAsk } from './stack-captures.js';
import type { Tensor } from './tensor.js';

/** A model whose captures are pooled, and what releases what it captured. */
export interface CoalescingModel {
  /** Behaves as the wrapped model; `capture` is pooled (see `coalescingModel`). */
  readonly model: Model;
  /** How many backend calls served the captures so far (`captureMany` or `capture`). */
  readonly backendCalls: () => number;
  /** Disposes every captured hook; later captures reject. */
  close(): void;
}

interface Pending extends CaptureAsk {
  readonly key: string;
  readonly resolve: (hook: LayerHook) => void;
  readonly reject: (error: unknown) => void;
}

/** How captures are pooled. */
export interface CoalescingOptions {
  /**
   * Stack captures of different images (`[1, …]` each, one target each) that ask for the same
   * thing into one batched backend capture, its hook split back per image. Ignored (one capture per
   * image) when the model cannot take a batch (`canStack`). Default false.
   */
  readonly stack?: boolean;
}

/**
 * Wraps `model` so that the captures several methods issue while running side by side cost one
 * forward pass: captures requested before the next macrotask are collected and served by ONE
 * `model.captureMany` call per input tensor (or, when the backend lacks it, one `capture` per distinct
 * request), and a request equal to an earlier one (same input object, same `captureKey`) is served
 * from the earlier result. With `stack`, captures of several images are also stacked into one batch
 * (see `planCalls`). Every caller gets its own copy of the tensors and a `dispose` that does
 * nothing; the backend's hooks are released by `close()`. Everything but `capture` is the model's own.
 */
export function coalescingModel(inner: Model, options: CoalescingOptions = {}): CoalescingModel {
  const stack = !!options.stack && canStack(inner);
  const served = new Map<Tensor, Map<string, Promise<LayerHook>>>();
  const hooks: LayerHook[] = [];
  let queue: Pending[] = [];
  let calls = 0;
  let closed = false;

  const serve = async (call: BackendCall<Pending>): Promise<void> => {
    const { x, requests } = call;
    calls += inner.captureMany && requests.length > 1 ? 1 : requests.length;
    const got =
      inner.captureMany && requests.length > 1
        ? await inner.captureMany(x, requests)
        : await Promise.all(requests.map((r) => inner.capture(x, r)));
    hooks.push(...got);
    if (closed) disposeAll();
    call.asks.forEach((asks, r) => {
      const h = got[r]!;
      if (!call.stacked || x.shape[0] === 1) asks[0]!.resolve(h);
      else asks.forEach((p, i) => p.resolve(splitHook(h, i)));
    });
  };
  const flush = () => {
    const all = queue;
    queue = [];
    for (const call of planCalls(all, stack)) {
      const mine = call.asks.flat();
      if (closed) {
        mine.forEach((p) => p.reject(new Error('the explanation run ended before this capture was served')));
        continue;
      }
      serve(call).catch((e: unknown) => mine.forEach((p) => p.reject(e)));
    }
  };
  const disposeAll = () => {
    for (const h of hooks.splice(0)) h.dispose();
  };
  const capture = (x: Tensor, request: CaptureRequest): Promise<LayerHook> => {
    if (closed) return Promise.reject(new Error('this explanation run has ended'));
    const key = captureKey(request);
    const perInput = served.get(x) ?? new Map<string, Promise<LayerHook>>();
    served.set(x, perInput);
    let hook = perInput.get(key);
    if (!hook) {
      hook = new Promise<LayerHook>((resolve, reject) => {
        if (!queue.length) setTimeout(flush, 0);
        queue.push({ x, request, key, resolve, reject });
      });
      perInput.set(key, hook);
    }
    return hook.then(copyHook);
  };

  // stacked runs explain many images at once: their forwards (Score-CAM's masked batches, …) take
  // turns, so at most one chunk of model rows is in flight, as when images are explained one by one
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn =
    <A extends unknown[]>(f: (...a: A) => Promise<Tensor>) =>
    (...a: A): Promise<Tensor> => {
      const run = turn.then(() => f(...a));
      turn = run.catch(() => undefined);
      return run;
    };
  const forward = inTurn((x: Tensor) => inner.forward(x));
  const runFromLayer = inner.runFromLayer && inTurn(inner.runFromLayer.bind(inner));

  const model = new Proxy(inner, {
    get(target, prop) {
      if (prop === 'capture') return capture;
      if (stack && prop === 'forward') return forward;
      if (stack && prop === 'runFromLayer') return runFromLayer;
      if (prop === 'captureMany') return undefined;
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return {
    model,
    backendCalls: () => calls,
    close() {
      closed = true;
      served.clear();
      disposeAll();
    },
  };
}

const copy = (t: Tensor): Tensor => ({ data: t.data.slice(), shape: [...t.shape] });
const copyMap = (m: ReadonlyMap<string, Tensor>) => new Map([...m].map(([k, t]) => [k, copy(t)] as const));

/** A caller's own copy of a shared hook. */
function copyHook(h: LayerHook): LayerHook {
  return {
    logits: copy(h.logits),
    targets: h.targets,
    activations: copyMap(h.activations),
    gradients: copyMap(h.gradients),
    ...(h.inputGradient ? { inputGradient: copy(h.inputGradient) } : {}),
    ...(h.hessianVectors ? { hessianVectors: copyMap(h.hessianVectors) } : {}),
    ...(h.biasGradients
      ? { biasGradients: h.biasGradients.map((b) => ({ ...b, bias: b.bias.slice(), gradient: copy(b.gradient) })) }
      : {}),
    dispose: () => undefined,
  };
}
