import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { topClass } from '@gradscope/core';
import { TfjsLayersModel, useTfjsBackend } from '../src/index.js';
import { randomTensor } from './helpers.js';

describe('tfjs backend selection and kernel checks', () => {
  afterAll(() => useTfjsBackend('wasm'));

  it('useTfjsBackend activates the backend asked for, and throws instead of falling back', async () => {
    await useTfjsBackend('cpu');
    expect(tf.getBackend()).toBe('cpu');
    await useTfjsBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const e = await useTfjsBackend('webgl').then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toMatchObject({ code: 'runtime-unavailable', requested: 'webgl' });
    expect(String(e)).toMatch(/tfjs backend 'webgl' is not available/);
  });

  it('a gradient kernel missing on the active backend is reported before any work, without leaks', async () => {
    await useTfjsBackend('wasm');
    const make = () => {
      const inp = tf.input({ shape: [6, 6, 2] });
      let x = tf.layers.averagePooling2d({ poolSize: 2, name: 'avg' }).apply(inp) as tf.SymbolicTensor;
      x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
      return TfjsLayersModel.create(
        tf.model({ inputs: inp, outputs: tf.layers.dense({ units: 2 }).apply(x) as tf.SymbolicTensor }),
      );
    };
    const model = await make();
    const kernel = tf.getKernel('AvgPoolGrad', 'wasm')!;
    tf.unregisterKernel('AvgPoolGrad', 'wasm');
    try {
      const before = tf.memory().numTensors;
      const e = await model
        .capture(randomTensor([1, 6, 6, 2], 1), {
          layers: [],
          gradients: false,
          inputGradient: true,
          targets: [topClass()],
        })
        .then(
          () => null,
          (err: unknown) => err,
        );
      expect(e).toMatchObject({ code: 'unsupported-model' });
      expect(String(e)).toMatch(/no 'AvgPoolGrad' kernel, needed to differentiate layer 'avg'/);
      expect(tf.memory().numTensors).toBe(before);
      // activations alone need no gradient kernels
      const hook = await model.capture(randomTensor([1, 6, 6, 2], 1), {
        layers: ['avg'],
        gradients: false,
        inputGradient: false,
        targets: [topClass()],
      });
      expect(hook.activations.get('avg')!.shape).toEqual([1, 2, 3, 3]);
    } finally {
      tf.registerKernel(kernel);
      model.dispose();
    }
    const ok = await make();
    const hook = await ok.capture(randomTensor([1, 6, 6, 2], 1), {
      layers: [],
      gradients: false,
      inputGradient: true,
      targets: [topClass()],
    });
    expect(hook.inputGradient!.shape).toEqual([1, 6, 6, 2]);
    ok.dispose();
  });

  it('channels-first models are refused at load with UnsupportedModelError', async () => {
    const inp = tf.input({ shape: [3, 6, 6] });
    const x = tf.layers
      .conv2d({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst', name: 'nchw_conv' })
      .apply(inp) as tf.SymbolicTensor;
    const m = tf.model({
      inputs: inp,
      outputs: tf.layers.dense({ units: 2 }).apply(tf.layers.flatten().apply(x)) as tf.SymbolicTensor,
    });
    await expect(TfjsLayersModel.create(m)).rejects.toMatchObject({
      code: 'unsupported-model',
      message: expect.stringMatching(/'nchw_conv' \(Conv2D\) is channels-first/),
    });
    m.dispose();
  });
});
