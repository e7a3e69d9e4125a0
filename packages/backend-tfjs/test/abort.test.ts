import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createGradscope, isGradscopeError, nchwToNhwc, type Tensor } from '@gradscope/core';
import { fixturePath, openFixture } from '@gradscope/conformance';
import { builtinMethods } from '@gradscope/methods';
import { useTfjsBackend } from '../src/index.js';
import { tfjsNodeBackend } from '../src/node.js';

// method id, options, and the layer for CAM methods
const LONG: [string, Record<string, unknown>, string[]][] = [
  ['scorecam', { batch: 4 }, ['relu3']],
  ['ablationcam', { batch: 4 }, ['relu3']],
  ['occlusion', { window: 4, stride: 2, batch: 8 }, []],
  ['rise', { masks: 64, cell: 8, batch: 8 }, []],
  ['integrated-gradients', { steps: 32, batch: 4 }, []],
  ['smoothgrad', { samples: 8 }, []],
];

describe('progress and cancellation of the methods that run the model many times (tfjs)', () => {
  it.each(LONG)(
    '%s reports progress, stops half-way on abort with AbortedError, leaks no tensor',
    async (id, options, layer) => {
      await useTfjsBackend('wasm');
      const fx = openFixture('tiny-cnn');
      const model = await tfjsNodeBackend.load(fixturePath('tiny-cnn', 'tfjs'));
      const x: Tensor = nchwToNhwc(fx.array(fx.manifest.inputs.x0!.input));
      const gs = createGradscope({ methods: builtinMethods });
      try {
        const seen: [number, number][] = [];
        await gs.explain(model, x, { method: id, layer, options, onProgress: (d, t) => seen.push([d, t]) });
        expect(seen.length).toBeGreaterThan(1);
        const [, total] = seen.at(-1)!;
        expect(seen.at(-1)![0]).toBe(total);
        expect(seen.every(([d], i) => i === 0 || d >= seen[i - 1]![0])).toBe(true);

        const before = tf.memory().numTensors;
        const ac = new AbortController();
        const err = await gs
          .explain(model, x, {
            method: id,
            layer,
            options,
            signal: ac.signal,
            onProgress: (d, t) => {
              if (d >= t / 2) ac.abort();
            },
          })
          .catch((e: unknown) => e);
        expect(isGradscopeError(err, 'aborted')).toBe(true);
        expect(tf.memory().numTensors).toBe(before);
        // an already aborted signal stops before any work
        await expect(gs.explain(model, x, { method: id, layer, options, signal: ac.signal })).rejects.toMatchObject({
          code: 'aborted',
        });
      } finally {
        await model.dispose();
      }
    },
  );
});
