import { describe, expect, it } from 'vitest';
import { classTarget, type Tensor } from '@gradscope/core';
import { camMethod } from '../src/index.js';
import { fakeModel } from './fake-model.js';

const t = (data: number[], shape: number[]): Tensor => ({ data: Float32Array.from(data), shape });
// One layer, C = 2, 1 × 3: A_0 = [1, 2, 0], A_1 = [0, 1, 3]; class 0's gradient G = [1, −1, 2 | 0, 2, −1].
const make = () =>
  fakeModel({
    numClasses: 2,
    input: [1, 1, 3],
    layers: [
      {
        name: 'feat',
        activation: t([1, 2, 0, 0, 1, 3], [1, 2, 1, 3]),
        weights: Float32Array.from([1, -1, 2, 0, 2, -1, 0, 0, 0, 0, 0, 0]),
      },
    ],
  });
const x = t([0, 0, 0], [1, 1, 1, 3]);
const ctx = (m: ReturnType<typeof make>) => ({ model: m, input: x, layers: ['feat'], target: classTarget(0) });
const base = { title: 't', description: 'd', options: {} };

describe('camMethod', () => {
  it("uses a variant's own map as the raw map: Σ_c relu(G ⊙ A) (gradcam-elementwise style)", async () => {
    const elementwise = camMethod({
      ...base,
      id: 'elementwise',
      requires: ['activations', 'layer-gradients'],
      map: (l) => {
        const out = new Float32Array(l.height * l.width);
        l.activations.forEach((a, i) => (out[i % out.length] += Math.max(a * l.gradients![i]!, 0)));
        return out;
      },
    });
    // G ⊙ A = [1, −2, 0 | 0, 2, −3] → relu → [1, 0, 0 | 0, 2, 0] → Σ_c = [1, 2, 0] → scaled [.5, 1, 0]
    const r = await elementwise.explain(ctx(make()), {});
    expect(Array.from(r.raw.data)).toEqual([1, 2, 0]);
    [0.5, 1, 0].forEach((v, i) => expect(r.map.data[i]).toBeCloseTo(v, 6));
  });
  it('captures gradients only when the method requires layer-gradients', async () => {
    const m = make();
    const seen: (Float32Array | null)[] = [];
    const activationsOnly = camMethod({
      ...base,
      id: 'mean-activation',
      requires: ['activations'],
      weights: (l) => (seen.push(l.gradients), new Float32Array([1, 1])),
    });
    const r = await activationsOnly.explain(ctx(m), {});
    expect(m.calls[0]!.gradients).toBe(false);
    expect(seen).toEqual([null]);
    expect(Array.from(r.raw.data)).toEqual([1, 3, 3]);
  });
  it('applies the target and layers hooks before capturing', async () => {
    const m = make();
    const fixed = camMethod<{ flip: boolean }>({
      ...base,
      id: 'fixed',
      requires: ['activations'],
      options: { flip: { type: 'boolean', default: false, description: 'class 1' } },
      layers: () => ['feat'],
      target: (tg, o) => (o.flip ? classTarget(1) : tg),
      weights: () => new Float32Array([1, 0]),
    });
    expect(fixed.usesLayers).toBe(false);
    const r = await fixed.explain({ ...ctx(m), layers: [] }, { flip: true });
    expect(m.calls[0]!.layers).toEqual(['feat']);
    expect(m.calls[0]!.targets).toEqual([classTarget(1)]);
    expect(r.target.classIndex).toBe(1);
    expect(r.layers).toEqual(['feat']);
  });
  it('refuses weights of the wrong length and still disposes the capture', async () => {
    const m = make();
    const bad = camMethod({ ...base, id: 'bad', requires: ['activations'], weights: () => new Float32Array(3) });
    await expect(bad.explain(ctx(m), {})).rejects.toThrow('a CAM variant returned 3 weights, expected 2');
    expect(m.disposed).toBe(1);
  });
});
