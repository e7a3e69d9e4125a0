import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  backendLayerNames,
  describeMethods,
  fixturePath,
  mismatch,
  openFixture,
  type BackendSetup,
} from '@gradscope/conformance';
import { useTfjsBackend } from '@gradscope/backend-tfjs';
import { tfjsNodeBackend } from '@gradscope/backend-tfjs/node';
import { createGradscope, decodeNpy } from '@gradscope/core';
import { normgrad } from '../src/index.js';

// The shared suite, exactly as a plugin author runs it: the plugin's method on a real backend (the
// fixtures have no NormGrad goldens, so the suite checks refusals, resources and valid maps) …
const setup: BackendSetup = {
  backend: tfjsNodeBackend,
  loadFixture: async (name) => {
    await useTfjsBackend('wasm');
    return tfjsNodeBackend.load(fixturePath(name, 'tfjs'));
  },
  resources: () => tf.memory().numTensors,
};

describeMethods('tfjs (wasm)', setup, [normgrad]);

// … and the plugin's own golden on the real backend: NormGrad from torch autograd's activations and
// gradients of tiny-cnn (x0, top-1 class), through the pytorch-grad-cam pipeline
// (scripts/make-normgrad-golden.py).
describe('normgrad on tfjs (wasm) against torch on tiny-cnn', () => {
  const fx = openFixture('tiny-cnn');
  it.each(['relu3', 'block.relu'])('x0/top1 @ %s', async (layer) => {
    const model = await setup.loadFixture('tiny-cnn');
    const gs = createGradscope({ methods: [normgrad] });
    try {
      const name = backendLayerNames(fx.manifest, model, 'tfjs').get(layer)!;
      const e = await gs.explain(model, fx.input('x0', model.input.layout), {
        method: 'normgrad',
        layer: name,
        target: fx.target('top1'),
      });
      expect(e.target.classIndex).toBe(fx.manifest.inputs.x0!.top1);
      const file = new URL(`fixtures/tiny-cnn-x0-top1-${layer}.npy`, import.meta.url);
      const golden = decodeNpy(new Uint8Array(readFileSync(file)));
      expect(mismatch(e.map, golden, fx.manifest.tolerances.camMap, 'map')).toBeNull();
    } finally {
      model.dispose();
      await gs.dispose();
    }
  });
});
