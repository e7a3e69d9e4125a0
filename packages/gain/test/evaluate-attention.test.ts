import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classTarget, createGradscope } from '@gradscope/core';
import { TfjsLayersModel } from '@gradscope/backend-tfjs';
import { gradcam } from '@gradscope/methods';
import { evaluateAttention, scoreMap, targetMap, trainGain } from '../src/index.js';
import { maxAbsDiff, smokeSet, tinyCnn, wasmTraining } from './helpers.js';

/** 2×2×1 input → 1×1 conv (identity, the CAM layer) → GAP → dense [[1, −1]]: logits (m, −m), m = mean x. */
function identityNet(): tf.LayersModel {
  const m = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [2, 2, 1], filters: 1, kernelSize: 1, name: 'cam' }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 2, name: 'logits' }),
    ],
  });
  m.getLayer('cam').setWeights([tf.ones([1, 1, 1, 1]), tf.zeros([1])]);
  m.getLayer('logits').setWeights([tf.tensor2d([[1, -1]]), tf.zeros([2])]);
  return m;
}

describe('evaluateAttention', () => {
  let undo: () => void;
  beforeAll(async () => (undo = await wasmTraining()));
  afterAll(() => undo());

  it('matches values computed by hand on 2×2 maps', async () => {
    // sample 1, class 0: w = 1/4, raw = x/4 = [0, .5, 1.5, 2] → map [0, .25, .75, 1] (÷ (2 + 1e-7));
    //   predicted 0 (right). mask [0, 0, 1, 1]: energy 1.75/2, argmax (1,1) in mask,
    //   {map ≥ .5} = mask → IoU 1, cover 2/4, MSE (0 + .0625 + .0625 + 0)/4.
    // sample 2, class 1: w = −1/4, raw = ReLU(−x/4) = 0 → map 0; logits (.25, −.25) → predicted 0 (wrong).
    //   mask [0, 0, 0, 1]: energy 0, argmax (0,0) not in the undilated mask, IoU 0/1, cover 0, MSE 1/4.
    const model = identityNet();
    const r = await evaluateAttention(
      tf,
      model,
      [
        { x: Float32Array.of(0, 2, 6, 8), label: 0, mask: [0, 0, 1, 1], group: 'a' },
        { x: Float32Array.of(1, 0, 0, 0), label: 1, mask: [0, 0, 0, 1], group: 'b' },
      ],
      { tolerancePx: 0 },
    );
    expect(r.predictions).toEqual([0, 0]);
    expect(Array.from(r.maps[0]!)).toEqual([0, 0.25, 0.75, 1].map((v) => expect.closeTo(v, 6)));
    expect(r.accuracy).toBe(0.5);
    expect(r.accuracyByGroup).toEqual({ a: 1, b: 0 });
    expect(r.energyInMask).toBeCloseTo(1.75 / 2 / 2, 6);
    expect(r.pointing).toBe(0.5);
    expect(r.iou).toBeCloseTo(0.5, 6);
    expect(r.cover).toBeCloseTo(0.25, 6);
    expect(r.mapMse).toBeCloseTo((0.03125 + 0.25) / 2, 6);
    model.dispose();
  });

  it('scores the pointing game with a dilated mask, and boxes as filled rectangles', () => {
    const map = [0, 0, 0, 0, 1, 0, 0, 0, 0]; // 3×3, peak in the centre
    expect(scoreMap(map, [0, 0, 1, 0, 0, 0, 0, 0, 0], 3, 3, 0.5, 1).pointing).toBe(1);
    expect(scoreMap(map, [0, 0, 1, 0, 0, 0, 0, 0, 0], 3, 3, 0.5, 0).pointing).toBe(0);
    expect(Array.from(targetMap({ x: new Float32Array(9), label: 0, box: [1, 0, 3, 2] }, 3, 3)!)).toEqual([
      0, 1, 1, 0, 1, 1, 0, 0, 0,
    ]);
  });

  it("gives after training exactly the maps gradscope's gradcam explains", async () => {
    const model = tinyCnn();
    const data = smokeSet(40, 16, 2);
    await trainGain(tf, model, data, { epochs: 1, batchSize: 20, optimizer: { name: 'adam', lr: 3e-3 } });
    const r = await evaluateAttention(tf, model, data.slice(0, 4));
    const gs = createGradscope({ methods: [gradcam] });
    const wrapped = await TfjsLayersModel.create(model);
    for (let i = 0; i < 4; i++) {
      const e = await gs.explain(
        wrapped,
        { data: data[i]!.x, shape: [1, 16, 16, 3] },
        { method: 'gradcam', layer: 'conv2', target: classTarget(data[i]!.label!) },
      );
      expect(maxAbsDiff(e.map.data, r.maps[i]!)).toBeLessThan(1e-4);
    }
    await gs.dispose();
    model.dispose();
  });
});
