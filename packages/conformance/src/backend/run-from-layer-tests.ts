import { expect, it } from 'vitest';
import { mismatch } from '../compare.js';
import type { BackendContext } from './backend-context.js';

/**
 * `run-from-layer`: from each golden layer, feeding torch's activation back gives torch's logits
 * (a round trip), and feeding it with its first 4 channels zeroed gives torch's ablated logits.
 */
export function runFromLayerTests(ctx: BackendContext): void {
  const { caps, fx, m, tol, L, x } = ctx;
  if (!caps.has('run-from-layer')) return;

  it('runs the tail from a layer: a round trip and a golden ablation', async () => {
    const { model } = ctx;
    expect(typeof model.runFromLayer).toBe('function');
    for (const [id, inp] of Object.entries(m.inputs)) {
      for (const logical of m.goldenLayers) {
        const a = fx.array(inp.activations[logical]!);
        const same = await model.runFromLayer!(x(id), L(logical), a);
        expect(mismatch(same, fx.array(inp.logits), tol.logits, `${id} from ${logical}`)).toBeNull();
        const zeroed = Float32Array.from(a.data);
        const hw = a.shape[2]! * a.shape[3]!;
        zeroed.fill(0, 0, 4 * hw);
        const y = await model.runFromLayer!(x(id), L(logical), { data: zeroed, shape: a.shape });
        expect(
          mismatch(
            y,
            fx.array(inp.runFromLayerZero4[logical]!),
            tol.logits,
            `${id} from ${logical}, 4 channels zeroed`,
          ),
        ).toBeNull();
      }
    }
  });
}
