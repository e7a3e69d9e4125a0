import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { classTarget, softmaxTarget, topClass, type ReluMode } from '@gradscope/core';
import { TfjsLayersModel, useTfjsBackend } from '../src/index.js';
import { tfjsNodeBackend } from '../src/node.js';
import { randomTensor, residualCnn } from './helpers.js';
import { writeTinyGraphModel } from './model-files.js';

/** Runs `fn`, expecting it to throw (the error is the point); returns the error. */
async function throws(fn: () => Promise<unknown>): Promise<unknown> {
  return fn().then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
}

describe('no tensor leaks across 200 explanations, including failing ones', () => {
  it('LayersModel: every capture path, forward, runFromLayer, up-front errors and errors thrown mid-tape', async () => {
    await useTfjsBackend('wasm');
    const before = tf.memory().numTensors;
    const model = await TfjsLayersModel.create(residualCnn());
    const x = randomTensor([1, 8, 8, 3], 61);
    const modes: ReluMode[] = ['standard', 'guided', 'deconvnet'];
    // warm-up: fills the per-model cache of flipped conv kernels
    await model.capture(x, { layers: ['b2_out'], gradients: true, inputGradient: true, targets: [topClass()] });
    const warm = tf.memory().numTensors;
    const gap = (
      model as unknown as { state: { graph: { nodes: { name: string; layer: { call: unknown } }[] } } }
    ).state.graph.nodes.find((n) => n.name === 'gap')!.layer;
    const meanGrad = tf.getGradient('Mean') as unknown as { gradFunc: unknown };
    for (let i = 0; i < 200; i++) {
      const k = i % 10;
      const mode = modes[i % 3]!;
      if (k === 0)
        await model.capture(x, { layers: ['b2_out'], gradients: true, inputGradient: false, targets: [topClass()] });
      else if (k === 1)
        await model.capture(x, {
          layers: ['b1_out', 'b2_a', 'stem'],
          gradients: true,
          inputGradient: true,
          reluMode: mode,
          targets: [softmaxTarget()],
        });
      else if (k === 2)
        await model.capture(x, {
          layers: ['b1_out'],
          gradients: false,
          inputGradient: false,
          targets: [classTarget(1)],
        });
      else if (k === 3) await model.forward(x);
      else if (k === 4)
        await model.runFromLayer(
          x,
          'b1_out',
          (
            await model.capture(x, {
              layers: ['b1_out'],
              gradients: false,
              inputGradient: false,
              targets: [topClass()],
            })
          ).activations.get('b1_out')!,
        );
      else if (k === 5)
        await throws(() =>
          model.capture(x, { layers: ['nope'], gradients: true, inputGradient: false, targets: [topClass()] }),
        );
      else if (k === 6)
        await throws(() =>
          model.capture(x, { layers: ['b2_out'], gradients: true, inputGradient: true, targets: [classTarget(99)] }),
        );
      else if (k === 7) {
        // an exception in the middle of the backward pass (after the tape recorded everything)
        const orig = meanGrad.gradFunc;
        meanGrad.gradFunc = () => {
          throw new Error('injected backward failure');
        };
        try {
          const e = await throws(() =>
            model.capture(x, {
              layers: ['stem'],
              gradients: true,
              inputGradient: i % 2 === 1,
              reluMode: mode,
              targets: [topClass()],
            }),
          );
          expect(String(e)).toContain('injected backward failure');
        } finally {
          meanGrad.gradFunc = orig;
        }
      } else if (k === 8) {
        // an exception in the middle of the taped forward pass
        const layer = gap as { call: unknown };
        const own = Object.prototype.hasOwnProperty.call(layer, 'call');
        layer.call = () => {
          throw new Error('injected forward failure');
        };
        try {
          const e = await throws(() =>
            model.capture(x, {
              layers: ['b1_out'],
              gradients: true,
              inputGradient: i % 2 === 1,
              targets: [topClass()],
            }),
          );
          expect(String(e)).toContain('injected forward failure');
        } finally {
          if (!own) delete layer.call;
        }
      } else
        await model.capture(randomTensor([3, 8, 8, 3], i), {
          layers: ['b2_out'],
          gradients: true,
          inputGradient: true,
          reluMode: mode,
          targets: [topClass(), classTarget(0), softmaxTarget(2)],
        });
    }
    expect(tf.memory().numTensors).toBe(warm);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('GraphModel: captures, forward and failures', async () => {
    await useTfjsBackend('wasm');
    const before = tf.memory().numTensors;
    const r = (shape: number[], seed: number) => randomTensor(shape, seed).data;
    const model = await tfjsNodeBackend.load(
      writeTinyGraphModel({ w1: r([3, 3, 2, 4], 1), b1: r([4], 2), w2: r([4, 3], 3), b2: r([3], 4) }),
    );
    const x = randomTensor([1, 6, 6, 2], 5);
    await model.capture(x, { layers: ['conv'], gradients: true, inputGradient: true, targets: [topClass()] });
    const warm = tf.memory().numTensors;
    for (let i = 0; i < 60; i++) {
      const k = i % 4;
      if (k === 0)
        await model.capture(x, { layers: ['conv'], gradients: true, inputGradient: false, targets: [topClass()] });
      else if (k === 1)
        await model.capture(x, {
          layers: ['conv', 'pool'],
          gradients: true,
          inputGradient: true,
          reluMode: 'guided',
          targets: [softmaxTarget()],
        });
      else if (k === 2) await model.forward(x);
      else
        await throws(() =>
          model.capture(x, { layers: ['conv'], gradients: true, inputGradient: true, targets: [classTarget(5)] }),
        );
    }
    expect(tf.memory().numTensors).toBe(warm);
    await model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
