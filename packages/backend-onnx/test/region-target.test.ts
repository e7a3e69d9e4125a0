import { describe, expect, it } from 'vitest';
import { regionTarget, resolveTarget, type Tensor } from '@gradscope/core';
import { createOnnxBackend } from '../src/index.js';
import { gridInput } from './finite-difference.js';
import { runtimes } from './helpers.js';
import { TinyGraph } from './tiny-model.js';

// A tiny segmentation net, Conv 3×3 → ReLU → Conv 1×1 to K class planes, whose [N, K, H, W] output
// is flattened channels-first to [N, K·H·W] (class planes unflattened: conformance's describeSegmentation). The input
// gradient of a region target from the backend's backward graph against central differences of the
// region score over ORT forwards (the network is piecewise linear; the grid input avoids kinks).
const [C, H, W, K] = [2, 4, 5, 3];
function segmentationNet(): Uint8Array {
  const g = new TinyGraph([1, C, H, W]);
  const hidden = g.op('Relu', [
    g.op('Conv', [g.x, g.f(TinyGraph.random(4 * C * 9, 5), [4, C, 3, 3])], { pads: [1, 1, 1, 1] }),
  ]);
  return g.bytes(g.op('Conv', [hidden, g.f(TinyGraph.random(K * 4, 6), [K, 4, 1, 1])]));
}

describe('regionTarget on the ONNX backend', () => {
  it('backpropagates Σ mask·y[c] of a flattened [K, H, W] output as its finite difference', async () => {
    const model = await createOnnxBackend({ ort: runtimes.node }).load(segmentationNet());
    try {
      expect(model.numClasses).toBe(K * H * W);
      const mask = Array.from({ length: H * W }, (_, p) => (p % 3 === 0 ? 1 : p % 3 === 1 ? 0.5 : 0));
      const target = regionTarget(2, mask, [H, W]);
      const x = gridInput([1, C, H, W], 3);
      const hook = await model.capture(x, {
        layers: [],
        gradients: false,
        inputGradient: true,
        reluMode: 'standard',
        targets: [target],
      });
      const score = async (t: Tensor) => resolveTarget(target, (await model.forward(t)).data).score;
      const h = 1e-3;
      let err = 0,
        ref = 0;
      for (let i = 0; i < x.data.length; i++) {
        const [p, m] = [Float32Array.from(x.data), Float32Array.from(x.data)];
        p[i] = p[i]! + h;
        m[i] = m[i]! - h;
        const fd = ((await score({ data: p, shape: x.shape })) - (await score({ data: m, shape: x.shape }))) / (2 * h);
        err = Math.max(err, Math.abs(fd - hook.inputGradient!.data[i]!));
        ref = Math.max(ref, Math.abs(fd));
      }
      expect(ref, 'the gradient is not identically zero').toBeGreaterThan(1e-3);
      expect(err).toBeLessThan(1e-3 * Math.max(1, ref));
    } finally {
      await model.dispose();
    }
  });
});
