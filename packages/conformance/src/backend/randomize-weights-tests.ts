import { expect, it } from 'vitest';
import { isGradscopeError, LOGITS_LAYER, type Model, type Tensor } from '@gradscope/core';
import { closeness, mismatch } from '../compare.js';
import { errorOf } from '../setup.js';
import type { BackendContext } from './backend-context.js';

/** max |a − b| of two tensors' values. */
const maxAbs = (a: Tensor, b: Tensor) => closeness(a.data, b.data).maxAbs;

/** The golden layers' activations of `x` on `model`. */
async function activations(model: Model, x: Tensor, layers: readonly string[]): Promise<Tensor[]> {
  const hook = await model.capture(x, { layers, gradients: false, inputGradient: false, targets: [{ kind: 'class' }] });
  try {
    return layers.map((l) => {
      const a = hook.activations.get(l)!;
      return { data: Float32Array.from(a.data), shape: a.shape };
    });
  } finally {
    hook.dispose();
  }
}

/**
 * `randomize-weights` (the sanity checks of Adebayo et al.): a copy with the head re-initialised
 * lists the same layers, gives other logits but the same activations below the head, repeats with
 * the same seed and differs with another; re-initialising also the conv before the last golden layer
 * (a cascade) changes that layer's activations but not the first golden layer's; the original keeps
 * its golden logits; weight-free and unknown layers are refused; copies dispose (twice) and leak nothing.
 */
export function randomizeWeightsTests(ctx: BackendContext): void {
  const { setup: s, caps, fx, m, tol, L, x } = ctx;
  if (!caps.has('randomize-weights')) return;
  const order = Object.keys(m.layers);
  const last = m.goldenLayers.at(-1)!;
  const convBelowLast = order[order.indexOf(last) - 1]!;

  it('re-initialises the head, then a conv below it (a cascade), in disposable seeded copies', async () => {
    const { model } = ctx;
    expect(typeof model.randomized).toBe('function');
    const golden = m.goldenLayers.map(L);
    const y0 = await model.forward(x('x0'));
    const acts0 = caps.has('activations') ? await activations(model, x('x0'), golden) : [];
    const before = s.resources?.(); // after the original's own sessions exist
    const head = await model.randomized!([LOGITS_LAYER], { seed: 1 });
    const same = await model.randomized!([LOGITS_LAYER], { seed: 1 });
    const other = await model.randomized!([LOGITS_LAYER], { seed: 2 });
    const cascade = await model.randomized!([LOGITS_LAYER, L(convBelowLast)], { seed: 1 });
    try {
      expect(head.layers).toEqual(model.layers);
      expect(head.numClasses).toBe(model.numClasses);
      const yh = await head.forward(x('x0'));
      expect(maxAbs(yh, y0)).toBeGreaterThan(1e-2);
      expect([...(await same.forward(x('x0'))).data]).toEqual([...yh.data]);
      expect(maxAbs(await other.forward(x('x0')), yh)).toBeGreaterThan(1e-2);
      if (caps.has('activations')) {
        const actsH = await activations(head, x('x0'), golden);
        actsH.forEach((a, i) =>
          expect(mismatch(a, acts0[i]!, tol.activations, `${golden[i]} below the head`)).toBeNull(),
        );
        const actsC = await activations(cascade, x('x0'), golden);
        expect(mismatch(actsC[0]!, acts0[0]!, tol.activations, `${golden[0]} below the cascade`)).toBeNull();
        expect(maxAbs(actsC.at(-1)!, acts0.at(-1)!)).toBeGreaterThan(1e-3);
      }
    } finally {
      for (const c of [head, same, other, cascade]) {
        await c.dispose();
        await c.dispose();
      }
    }
    const y = await model.forward(x('x0'));
    expect(mismatch(y, fx.array(m.inputs.x0!.logits), tol.logits, 'logits of the original')).toBeNull();
    if (before !== undefined) expect(s.resources!()).toBe(before);
  });

  it('refuses a layer without weights (BadInputError) and an unknown one (UnknownLayerError)', async () => {
    const { model } = ctx;
    const weightless = await errorOf(() => model.randomized!([L(last)], { seed: 0 }));
    expect(isGradscopeError(weightless, 'bad-input'), String(weightless)).toBe(true);
    const unknown = await errorOf(() => model.randomized!(['no-such-layer'], { seed: 0 }));
    expect(isGradscopeError(unknown, 'unknown-layer'), String(unknown)).toBe(true);
  });
}
