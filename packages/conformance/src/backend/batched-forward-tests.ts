import { expect, it } from 'vitest';
import { toChannelsFirst, type Tensor } from '@gradscope/core';
import { mismatch } from '../compare.js';
import type { BackendContext } from './backend-context.js';

/** Batch item `i` of a tensor, keeping a batch axis of 1. */
function item(t: Tensor, i: number): Tensor {
  const n = t.data.length / t.shape[0]!;
  return { data: t.data.subarray(i * n, (i + 1) * n), shape: [1, ...t.shape.slice(1)] };
}

/**
 * `batched-forward`: a batch of 3 forwards in one call to torch's logits, and a batched capture
 * with one top-1 target per image gives, per image, the single-image goldens (activation, layer
 * gradient and input gradient, each as far as the backend declares them).
 */
export function batchedForwardTests(ctx: BackendContext): void {
  const { caps, fx, m, tol, L, x } = ctx;
  if (!caps.has('batched-forward')) return;

  it('forwards a batch in one call', async () => {
    const y = await ctx.model.forward(x('batch'));
    expect(mismatch(y, fx.array(m.batch.logits), tol.logits, 'batch logits')).toBeNull();
  });

  it('captures a batch with one target per image', async () => {
    const { model } = ctx;
    const ids = m.batch.inputs;
    const layer = m.head.featureLayer;
    const hook = await model.capture(x('batch'), {
      layers: caps.has('activations') ? [L(layer)] : [],
      gradients: caps.has('layer-gradients'),
      inputGradient: caps.has('input-gradients'),
      targets: ids.map(() => fx.target('top1')),
    });
    try {
      expect(hook.targets.map((t) => t.classIndex)).toEqual(ids.map((id) => m.inputs[id]!.top1));
      expect(mismatch(hook.logits, fx.array(m.batch.logits), tol.logits, 'batch logits')).toBeNull();
      ids.forEach((id, i) => {
        const golden = fx.capture(id, 'top1')!;
        if (caps.has('activations')) {
          const a = item(hook.activations.get(L(layer))!, i);
          const want = fx.array(m.inputs[id]!.activations[layer]!);
          expect(mismatch(a, want, tol.activations, `${id} activation`)).toBeNull();
        }
        if (caps.has('layer-gradients')) {
          const g = item(hook.gradients.get(L(layer))!, i);
          expect(mismatch(g, fx.array(golden.gradients[layer]!), tol.gradients, `${id} gradient`)).toBeNull();
        }
        if (caps.has('input-gradients')) {
          const g = toChannelsFirst(item(hook.inputGradient!, i), model.input.layout);
          const want = fx.array(golden.inputGradient.standard!);
          expect(mismatch(g, want, tol.gradients, `${id} input gradient`)).toBeNull();
        }
      });
    } finally {
      hook.dispose();
    }
  });
}
