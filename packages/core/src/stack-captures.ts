import { captureKey } from './capture-key.js';
import type { CaptureRequest, LayerHook } from './hook.js';
import type { Model } from './model.js';
import { sizeOf, type Tensor } from './tensor.js';

/** A capture waiting to be served: one caller's input and request. */
export interface CaptureAsk {
  readonly x: Tensor;
  readonly request: CaptureRequest;
}

/**
 * One backend call: `x` and the requests it serves (`captureMany`, or `capture` for one), and for
 * each request the asks it answers. An ask of a stacked call is one row of the batch (`rows[r][j]`
 * is row j of request r); an ask of an unstacked call is the whole request.
 */
export interface BackendCall<A extends CaptureAsk> {
  readonly x: Tensor;
  readonly requests: CaptureRequest[];
  readonly asks: A[][];
  readonly stacked: boolean;
}

/** Whether `model` takes a batch of any size (captures of several images can be stacked). */
export function canStack(model: Pick<Model, 'capabilities' | 'input'>): boolean {
  return model.capabilities.has('batched-forward') && model.input.shape[0]! < 0;
}

/** One image with one target: what a method asks for when it captures its own input. */
const stackable = (a: CaptureAsk) => a.x.shape[0] === 1 && a.request.targets.length === 1;

/** The request without its targets: captures that differ only in image and target share it. */
const shapeKey = (r: CaptureRequest) => captureKey({ ...r, targets: [] });

/**
 * Plans the backend calls that serve `asks`. Unstacked (`stack` false): one call per input object
 * with every request on it, as `captureMany` takes them. Stacked: asks of one image and one target
 * whose requests are equal but for the target are rows of ONE request on the images stacked along
 * the batch axis; requests whose rows are the same images in the same order share one call. Other
 * asks (a batch of their own, several targets) are served as unstacked ones.
 */
export function planCalls<A extends CaptureAsk>(asks: readonly A[], stack: boolean): BackendCall<A>[] {
  const byInput = new Map<Tensor, A[]>();
  const shapes = new Map<string, A[]>();
  for (const a of asks) {
    if (stack && stackable(a)) {
      const k = shapeKey(a.request);
      shapes.set(k, [...(shapes.get(k) ?? []), a]);
    } else byInput.set(a.x, [...(byInput.get(a.x) ?? []), a]);
  }
  const calls: BackendCall<A>[] = [...byInput].map(([x, as]) => ({
    x,
    requests: as.map((a) => a.request),
    asks: as.map((a) => [a]),
    stacked: false,
  }));
  // rows in the order images were first asked for, so that requests over the same images line up
  const order = new Map<Tensor, number>();
  for (const a of asks) if (!order.has(a.x)) order.set(a.x, order.size);
  const bySignature = new Map<string, { xs: Tensor[]; requests: CaptureRequest[]; asks: A[][] }>();
  for (const group of shapes.values()) {
    const rows = [...group].sort((a, b) => order.get(a.x)! - order.get(b.x)!);
    const xs = rows.map((a) => a.x);
    const sig = xs.map((x) => order.get(x)).join(',');
    const call = bySignature.get(sig) ?? { xs, requests: [], asks: [] };
    bySignature.set(sig, call);
    call.requests.push({ ...rows[0]!.request, targets: rows.map((a) => a.request.targets[0]!) });
    call.asks.push(rows);
  }
  for (const c of bySignature.values())
    calls.push({
      x: c.xs.length === 1 ? c.xs[0]! : stackRows(c.xs),
      requests: c.requests,
      asks: c.asks,
      stacked: true,
    });
  return calls;
}

/** Tensors `[1, …]` of one shape, stacked into `[N, …]`. */
export function stackRows(xs: readonly Tensor[]): Tensor {
  const n = sizeOf(xs[0]!.shape);
  const data = new Float32Array(n * xs.length);
  xs.forEach((x, i) => data.set(x.data, i * n));
  return { data, shape: [xs.length, ...xs[0]!.shape.slice(1)] };
}

/** Row `i` of a batch tensor, as a `[1, …]` view. */
function row(t: Tensor, i: number): Tensor {
  const n = sizeOf(t.shape.slice(1));
  return { data: t.data.subarray(i * n, (i + 1) * n), shape: [1, ...t.shape.slice(1)] };
}

const rowMap = (m: ReadonlyMap<string, Tensor>, i: number) => new Map([...m].map(([k, t]) => [k, row(t, i)] as const));

/**
 * Image `i` of a batched capture, as the hook a capture of that image alone returns (views into the
 * batch's tensors; the batch's `dispose` releases them).
 */
export function splitHook(h: LayerHook, i: number): LayerHook {
  return {
    logits: row(h.logits, i),
    targets: [h.targets[i]!],
    activations: rowMap(h.activations, i),
    gradients: rowMap(h.gradients, i),
    ...(h.inputGradient ? { inputGradient: row(h.inputGradient, i) } : {}),
    ...(h.hessianVectors ? { hessianVectors: rowMap(h.hessianVectors, i) } : {}),
    ...(h.biasGradients ? { biasGradients: h.biasGradients.map((b) => ({ ...b, gradient: row(b.gradient, i) })) } : {}),
    dispose: () => undefined,
  };
}
