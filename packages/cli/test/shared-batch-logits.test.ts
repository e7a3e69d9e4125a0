import type { CaptureRequest, LayerHook, Model, Tensor } from '@gradscope/core';
import { describe, expect, it } from 'vitest';
import { sharedBatchLogits } from '../src/shared-logits.js';

// logits of an image [a, b]: [a + b, a − b]; every capture returns one row per input row
const img = (a: number, b: number): Tensor => ({ data: Float32Array.from([a, b]), shape: [1, 2] });
const stack = (...xs: Tensor[]): Tensor => ({
  data: Float32Array.from(xs.flatMap((x) => [...x.data])),
  shape: [xs.length, 2],
});
const logitsOf = (x: Tensor) => {
  const out = new Float32Array(x.shape[0]! * 2);
  for (let j = 0; j < x.shape[0]!; j++)
    [out[2 * j], out[2 * j + 1]] = [x.data[2 * j]! + x.data[2 * j + 1]!, x.data[2 * j]! - x.data[2 * j + 1]!];
  return { data: out, shape: [x.shape[0]!, 2] };
};
const hook = (x: Tensor): LayerHook => ({
  logits: logitsOf(x),
  targets: [],
  activations: new Map(),
  gradients: new Map(),
  dispose: () => undefined,
});
const model = {
  capture: async (x: Tensor) => hook(x),
  captureMany: async (x: Tensor, rs: readonly CaptureRequest[]) => rs.map(() => hook(x)),
} as unknown as Model;
const req = {} as CaptureRequest;

describe('sharedBatchLogits', () => {
  it("takes each input's row of a stack of the batch's inputs, and the input itself", async () => {
    const [x0, x1, x2] = [img(1, 2), img(3, -1), img(0.5, 0.5)];
    const s = sharedBatchLogits(model, [x0, x1, x2]);
    await s.model.captureMany!(stack(x1, x0), [req]);
    await s.model.capture(x2, req);
    expect([...s.logits(0)!.data]).toEqual([3, -1]);
    expect([...s.logits(1)!.data]).toEqual([2, 4]);
    expect([...s.logits(2)!.data]).toEqual([1, 0]);
  });

  it("never counts a method's own batch that holds other rows (e.g. an integration path ending at the input)", async () => {
    const x0 = img(1, 2);
    const s = sharedBatchLogits(model, [x0]);
    await s.model.capture(stack(img(0, 0), x0), req);
    expect(s.logits(0)).toBeNull();
    await s.model.capture(x0, req);
    expect([...s.logits(0)!.data]).toEqual([3, -1]);
  });
});
