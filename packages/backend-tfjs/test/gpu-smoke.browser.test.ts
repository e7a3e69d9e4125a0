/**
 * Infrastructure check for the browser tests: headless Chromium starts, tfjs activates WebGL
 * (SwiftShader on machines without a GPU) and WebGPU with float32 precision, and computes.
 * tfjs silently falls back to `cpu` when a backend fails to initialise, so the backend is asserted.
 */
import * as tf from '@tensorflow/tfjs';
import { useTfjsBackend } from '@gradscope/backend-tfjs';
import { describe, expect, it } from 'vitest';

// [[1, 2], [3, 4]] · [[5, 6], [7, 8]], by hand.
const PRODUCT = [19, 22, 43, 50];

describe('tfjs GPU backends in headless Chromium', () => {
  it('runs webgl with float32 textures', async () => {
    await useTfjsBackend('webgl');
    expect(tf.getBackend()).toBe('webgl');
    expect(tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED')).toBe(true);
    const y = tf.matMul(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      tf.tensor2d([
        [5, 6],
        [7, 8],
      ]),
    );
    expect(Array.from(await y.data())).toEqual(PRODUCT);
    y.dispose();
  });

  it('runs webgpu (--enable-unsafe-webgpu)', async () => {
    await useTfjsBackend('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    const y = tf.matMul(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      tf.tensor2d([
        [5, 6],
        [7, 8],
      ]),
    );
    expect(Array.from(await y.data())).toEqual(PRODUCT);
    y.dispose();
  });
});
