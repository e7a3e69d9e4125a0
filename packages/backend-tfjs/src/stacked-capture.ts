import { sizeOf, type CaptureRequest, type LayerHook, type ReluMode, type Tensor } from '@gradscope/core';

/** A capture that may take one ReLU mode per row block of its batch (see `captureStacked`). */
export type RowModeCapture = (x: Tensor, request: CaptureRequest, rowModes?: readonly ReluMode[]) => Promise<LayerHook>;

/** `x` (`[N, …]`) repeated `times` along the batch axis: `[times·N, …]`. */
function repeatRows(x: Tensor, times: number): Tensor {
  const data = new Float32Array(x.data.length * times);
  for (let b = 0; b < times; b++) data.set(x.data, b * x.data.length);
  return { data, shape: [x.shape[0]! * times, ...x.shape.slice(1)] };
}

/** Row block `b` of `blocks` equal blocks of a batch tensor, as a view. */
function rowBlock(t: Tensor, b: number, blocks: number): Tensor {
  const rows = t.shape[0]! / blocks;
  const n = rows * sizeOf(t.shape.slice(1));
  return { data: t.data.subarray(b * n, (b + 1) * n), shape: [rows, ...t.shape.slice(1)] };
}

/**
 * Input-gradient captures of `x` under different ReLU modes and/or targets as ONE taped pass: the
 * input is stacked once per request along the batch axis (rows `[b·N, (b+1)·N)` are request b's),
 * request b's ReLU mode applies to its row block and its targets seed its rows, and the result is
 * split back into one hook per request. In inference mode rows do not interact, so each block's
 * numbers are those of a capture of `x` alone up to float rounding. Costs one forward and backward
 * of B·N rows instead of B of N. All requests must share `rectifiers`; none may ask for Hessian-vector
 * products or bias gradients.
 */
export async function captureStacked(
  capture: RowModeCapture,
  x: Tensor,
  requests: readonly CaptureRequest[],
): Promise<LayerHook[]> {
  const B = requests.length;
  const n = x.shape[0]!;
  const rectifiers = requests[0]!.rectifiers;
  const request: CaptureRequest = {
    layers: [...new Set(requests.flatMap((r) => r.layers))],
    gradients: requests.some((r) => r.gradients && r.layers.length > 0),
    inputGradient: true,
    ...(rectifiers ? { rectifiers } : {}),
    targets: requests.flatMap((r) => r.targets),
  };
  const h = await capture(
    repeatRows(x, B),
    request,
    requests.map((r) => r.reluMode ?? 'standard'),
  );
  const blockMap = (m: ReadonlyMap<string, Tensor>, b: number) =>
    new Map([...m].map(([k, t]) => [k, rowBlock(t, b, B)] as const));
  return requests.map((_, b) => ({
    logits: rowBlock(h.logits, b, B),
    targets: h.targets.slice(b * n, (b + 1) * n),
    activations: blockMap(h.activations, b),
    gradients: blockMap(h.gradients, b),
    inputGradient: rowBlock(h.inputGradient!, b, B),
    // the views share the stacked hook: the first block's dispose releases it
    dispose: b === 0 ? () => h.dispose() : () => undefined,
  }));
}
