import { expect, it } from 'vitest';
import { mismatch } from '../compare.js';
import { layerNamesOf } from '../layer-names.js';
import type { BackendContext } from './backend-context.js';

/**
 * `linear-head` (per-model): a `head` exactly when the model declares the capability, with the
 * pooled `featureLayer` and the dense weights `[numClasses, C]`; and the model must declare it,
 * since every fixture has a conv → GAP → dense head.
 */
export function linearHeadTests(ctx: BackendContext): void {
  const { caps, fx, m } = ctx;
  if (!caps.has('linear-head')) return;

  it('exposes a head exactly when the model declares linear-head (feature layer and dense weights)', () => {
    const { model } = ctx;
    if (!model.capabilities.has('linear-head')) {
      expect(model.head, 'a head on a model without linear-head').toBeUndefined();
      return;
    }
    expect(model.head).toBeDefined();
    expect(layerNamesOf(m, m.head.featureLayer), 'head.featureLayer').toContain(model.head!.featureLayer);
    expect(mismatch(model.head!.weights, fx.array(m.head.weights), { maxAbs: 1e-6 }, 'head weights')).toBeNull();
  });

  // Every fixture is conv → GAP → dense (manifest `head`): dropping linear-head here is a miss.
  it("recognises the fixture's conv → GAP → dense head (the model declares linear-head)", () => {
    expect(
      ctx.model.capabilities.has('linear-head'),
      `no linear-head on ${fx.name}, whose ${m.head.featureLayer} → gap → fc is a classic CAM head`,
    ).toBe(true);
  });
}
