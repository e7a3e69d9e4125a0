import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { isGradscopeError } from '@gradscope/core';
import { TfjsLayersModel, useTfjsBackend } from '../src/index.js';
import { randomTensor, relErr } from './helpers.js';
import { writeTinyGraphModel } from './model-files.js';
import { tfjsNodeBackend } from '../src/node.js';

beforeAll(() => useTfjsBackend('wasm'));

/** conv → gap → two heads: 'gender' (2, softmax) and 'age' (3, linear), like human-models' gear. */
function twoHeads(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed });
  const inp = tf.input({ shape: [6, 6, 3] });
  const c = tf.layers.conv2d({
    filters: 4,
    kernelSize: 3,
    activation: 'relu',
    name: 'conv',
    kernelInitializer: init(1),
  });
  const g = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(c.apply(inp)) as tf.SymbolicTensor;
  const gender = tf.layers.dense({ units: 2, activation: 'softmax', name: 'gender', kernelInitializer: init(2) });
  const age = tf.layers.dense({ units: 3, name: 'age', kernelInitializer: init(3) });
  return tf.model({ inputs: inp, outputs: [gender.apply(g) as tf.SymbolicTensor, age.apply(g) as tf.SymbolicTensor] });
}

describe('a model with several outputs (#3)', () => {
  it('without a choice: an error listing the outputs; with one: that head, checked against predict', async () => {
    const err = await TfjsLayersModel.create(twoHeads()).catch((e: unknown) => e);
    expect(isGradscopeError(err, 'unsupported-model')).toBe(true);
    expect((err as Error).message).toMatch(/2 outputs \('gender', 'age'\).*--output <name>/);
    const x = randomTensor([1, 6, 6, 3], 5);
    for (const [name, k] of [
      ['age', 1],
      ['gender', 0],
    ] as const) {
      const ref = twoHeads();
      const m = await TfjsLayersModel.create(twoHeads(), { output: name });
      try {
        const want = tf.tidy(() => {
          const outs = ref.predict(tf.tensor4d(x.data, [1, 6, 6, 3])) as tf.Tensor[];
          return outs[k]!.dataSync();
        });
        const got = (await m.forward(x)).data;
        expect(m.numClasses).toBe(name === 'age' ? 3 : 2);
        expect(m.outputActivation).toBe(name === 'age' ? undefined : 'softmax');
        const shown = name === 'age' ? got : tf.tidy(() => tf.softmax(tf.tensor1d(got)).dataSync());
        expect(relErr(shown, want)).toBeLessThan(1e-5);
      } finally {
        m.dispose();
        ref.dispose();
      }
    }
    const bad = await TfjsLayersModel.create(twoHeads(), { output: 'race' }).catch((e: unknown) => e);
    expect((bad as Error).message).toMatch(/no output 'race'; its outputs are 'gender', 'age'/);
  });

  it('a GraphModel with one output needs no choice; a wrong choice is refused', async () => {
    const w = {
      w1: randomTensor([3, 3, 2, 4], 1).data,
      b1: new Float32Array(4),
      w2: randomTensor([4, 3], 2).data,
      b2: new Float32Array(3),
    };
    const file = writeTinyGraphModel(w);
    const m = await tfjsNodeBackend.load(file);
    await m.dispose();
    const err = await tfjsNodeBackend.load(file, { output: 'nope' }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/no output 'nope'; its outputs are 'probs'/);
  });
});
