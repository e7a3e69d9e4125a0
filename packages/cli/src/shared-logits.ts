import type { CaptureRequest, LayerHook, Model, Tensor } from '@gradscope/core';

/** Whether row `j` of `t` holds exactly the values of `x` (one image `[1, …]`). */
function rowEquals(t: Tensor, j: number, x: Tensor): boolean {
  const n = x.data.length;
  if (t.data.length !== t.shape[0]! * n) return false;
  for (let i = 0; i < n; i++) if (t.data[j * n + i] !== x.data[i]) return false;
  return true;
}

/** `model` as the methods of a batch see it, and each image's logits from the first capture holding it. */
export interface SharedBatchLogits {
  readonly model: Model;
  /** The logits of image `i` ([1, K], a copy), or null when no capture held it. */
  logits(i: number): Tensor | null;
}

/**
 * Wraps `model` so `explain` reads each input's top-5 and target from the methods' shared capture
 * instead of running a forward of its own (on ONNX a session of its own: for ResNet-50 ≈0.3 s and
 * ≈260 MB of a cold start). A batch explained together (`explainBatchMany`) reaches the model with
 * the images themselves or stacked into one batch, so image i's logits are the row of the first
 * capture ISSUED whose input is image i itself, or a stack made only of the batch's images (a
 * method's own batch, e.g. Integrated Gradients' path, never counts).
 */
export function sharedBatchLogits(model: Model, xs: readonly Tensor[]): SharedBatchLogits {
  const kept: ({ readonly order: number; readonly logits: Tensor } | null)[] = xs.map(() => null);
  let issued = 0;
  const keep = (order: number, input: Tensor, hook: LayerHook | undefined) => {
    if (!hook || hook.logits.shape[0] !== input.shape[0]) return;
    const rows = Array.from({ length: input.shape[0]! }, (_, j) =>
      xs.findIndex((x) => x === input || rowEquals(input, j, x)),
    );
    if (rows.some((i) => i < 0)) return;
    const K = hook.logits.data.length / input.shape[0]!;
    rows.forEach((i, j) => {
      if (kept[i] && kept[i]!.order < order) return;
      kept[i] = { order, logits: { data: hook.logits.data.slice(j * K, (j + 1) * K), shape: [1, K] } };
    });
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
  return { model: wrapped, logits: (i) => kept[i]?.logits ?? null };
}
