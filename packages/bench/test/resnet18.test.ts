import type * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { resnet18, RESNET18_LAST_CONV } from '../src/resnet18.js';

describe('resnet18', () => {
  it('has torchvision ResNet-18’s shape and parameter count, with seeded weights', async () => {
    const a = resnet18(1);
    const b = resnet18(1);
    const c = resnet18(2);
    try {
      expect(a.outputs[0]!.shape).toEqual([null, 1000]);
      expect(a.getLayer(RESNET18_LAST_CONV).outputShape).toEqual([null, 7, 7, 512]);
      // torchvision.models.resnet18: 11,689,512 parameters; tfjs also counts BatchNorm's running
      // mean and variance (2 × 4,800 channels).
      expect(a.countParams()).toBe(11_689_512 + 2 * 4_800);
      const w = (m: tf.LayersModel) => Float32Array.from(m.getLayer('layer3.0.conv1').getWeights()[0]!.dataSync());
      expect(Array.from(w(a))).toEqual(Array.from(w(b)));
      expect(Array.from(w(a))).not.toEqual(Array.from(w(c)));
      // He-normal: std ≈ sqrt(2 / (3·3·128)) = 0.0417
      const k = w(a);
      const std = Math.sqrt(k.reduce((s, v) => s + v * v, 0) / k.length);
      expect(std).toBeCloseTo(Math.sqrt(2 / (3 * 3 * 128)), 3);
    } finally {
      for (const m of [a, b, c]) m.dispose();
    }
  });
});
