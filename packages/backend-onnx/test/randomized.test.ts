import { describe, expect, it } from 'vitest';
import { LOGITS_LAYER, type Model, type Tensor } from '@gradscope/core';
import { fixturePath } from '@gradscope/conformance';
import { createOnnxBackend } from '../src/node.js';
import { countingRuntime, runtimes } from './helpers.js';

const { ort, counts } = countingRuntime(runtimes.node);
const backend = createOnnxBackend({ ort });

/** Max |Δ| of each layer's activation of `x` between two models. */
async function changed(a: Model, b: Model, x: Tensor, layers: readonly string[]): Promise<number[]> {
  const req = { layers, gradients: false, inputGradient: false, targets: [{ kind: 'class' as const }] };
  const [ha, hb] = [await a.capture(x, req), await b.capture(x, req)];
  return layers.map((l) => {
    const [u, v] = [ha.activations.get(l)!.data, hb.activations.get(l)!.data];
    return u.reduce((m, _, i) => Math.max(m, Math.abs(u[i]! - v[i]!)), 0);
  });
}

describe('OnnxModel.randomized (tiny-cnn)', () => {
  it('reads a module path as every weighted node under it, a tensor through one activation, and the head', async () => {
    const model = await backend.load(fixturePath('tiny-cnn', 'onnx'));
    const x: Tensor = {
      data: Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => Math.sin(i)),
      shape: [1, 3, 32, 32],
    };
    const start = counts.created - counts.released;
    const layers = ['relu2', 'block.relu1', 'block', 'conv3'];
    const block = await model.randomized(['block'], { seed: 3 });
    // relu2 precedes the block, block.relu1 follows block.conv1 (inside the block): only the latter changes
    const [d2, d1, dBlock] = await changed(model, block, x, layers);
    expect(d2).toBe(0);
    expect(d1).toBeGreaterThan(1e-3);
    expect(dBlock).toBeGreaterThan(1e-3);
    const viaRelu = await model.randomized(['/relu1/Relu_output_0'], { seed: 3 }); // the conv1 Conv (BN folded)
    expect((await changed(model, viaRelu, x, ['/conv1/Conv_output_0']))[0]).toBeGreaterThan(1e-3);
    const head = await model.randomized([LOGITS_LAYER], { seed: 3 });
    expect(await changed(model, head, x, layers)).toEqual([0, 0, 0, 0]);
    // the Gemm's weight: He truncated normal over fan-in = channels (std 0.88σ), bias zero
    const w = head.head!.weights.data;
    const C = head.head!.weights.shape[1]!;
    const sd = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(sd / Math.sqrt(2 / C)).toBeGreaterThan(0.6);
    expect(sd / Math.sqrt(2 / C)).toBeLessThan(1.2);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(2 * Math.sqrt(2 / C) + 1e-6);
    expect([...(head.head!.bias?.data ?? [])].every((b) => b === 0)).toBe(true);
    for (const m of [block, viaRelu, head]) await m.dispose();
    expect(counts.created - counts.released).toBe(start + 2); // the original's forward and capture sessions
    await model.dispose();
    expect(counts.created - counts.released).toBe(start);
  });
});
