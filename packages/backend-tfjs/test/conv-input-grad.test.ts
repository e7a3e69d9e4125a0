import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { convInputGrad, useTfjsBackend, type ConvKind } from '../src/index.js';
import { randomTensor, relErr } from './helpers.js';

interface Case {
  kind: ConvKind;
  x: number[];
  k: number[];
  s: number;
  pad: 'same' | 'valid';
  d?: number;
}

const cases: Case[] = [
  { kind: 'conv', x: [2, 7, 6, 3], k: [3, 3, 3, 4], s: 1, pad: 'same' },
  { kind: 'conv', x: [1, 7, 8, 3], k: [3, 3, 3, 5], s: 2, pad: 'same' },
  { kind: 'conv', x: [1, 9, 7, 2], k: [3, 2, 2, 4], s: 2, pad: 'valid' },
  { kind: 'conv', x: [1, 10, 11, 3], k: [7, 7, 3, 4], s: 2, pad: 'same' },
  { kind: 'conv', x: [1, 8, 8, 4], k: [1, 1, 4, 6], s: 2, pad: 'valid' },
  { kind: 'conv', x: [1, 11, 10, 2], k: [4, 3, 2, 3], s: 3, pad: 'same' },
  { kind: 'conv', x: [1, 9, 9, 2], k: [3, 3, 2, 3], s: 1, pad: 'same', d: 2 },
  { kind: 'depthwise', x: [2, 8, 7, 3], k: [3, 3, 3, 1], s: 1, pad: 'same' },
  { kind: 'depthwise', x: [1, 9, 8, 3], k: [3, 3, 3, 1], s: 2, pad: 'valid' },
  { kind: 'depthwise', x: [1, 8, 8, 2], k: [3, 3, 2, 2], s: 2, pad: 'same' },
  { kind: 'depthwise', x: [1, 9, 9, 2], k: [3, 3, 2, 1], s: 1, pad: 'valid', d: 2 },
];

describe('convInputGrad (forward convs only) equals tfjs-cpu autograd', () => {
  beforeAll(() => useTfjsBackend('cpu'));
  afterAll(() => useTfjsBackend('wasm'));
  it.each(
    cases.map((c) => [`${c.kind} x${c.x.join('×')} k${c.k.join('×')} s${c.s} ${c.pad} d${c.d ?? 1}`, c] as const),
  )('%s', (_, c) => {
    const x = tf.tensor4d(randomTensor(c.x, 1).data, c.x as [number, number, number, number]);
    const w = tf.tensor4d(randomTensor(c.k, 2).data, c.k as [number, number, number, number]);
    const d = c.d ?? 1;
    // tfjs has no gradient for dilated convs: the reference uses the equivalent zero-inserted kernel
    const [kh, kw, ci, co] = c.k as [number, number, number, number];
    const wd = tf.buffer([(kh - 1) * d + 1, (kw - 1) * d + 1, ci, co]);
    const wv = w.arraySync();
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++)
        for (let a = 0; a < ci; a++) for (let b = 0; b < co; b++) wd.set(wv[i]![j]![a]![b]!, i * d, j * d, a, b);
    const wRef = wd.toTensor() as tf.Tensor4D;
    const f = (v: tf.Tensor4D) =>
      c.kind === 'conv' ? tf.conv2d(v, wRef, c.s, c.pad) : tf.depthwiseConv2d(v, wRef, c.s, c.pad);
    const y = f(x);
    const dy = tf.tensor4d(randomTensor(y.shape, 3).data, y.shape);
    const stock = tf.grad((v: tf.Tensor4D) => tf.sum(tf.mul(f(v), dy)))(x);
    expect(
      relErr(
        (c.kind === 'conv'
          ? tf.conv2d(x, w, c.s, c.pad, 'NHWC', d)
          : tf.depthwiseConv2d(x, w, c.s, c.pad, 'NHWC', d)
        ).dataSync(),
        y.dataSync(),
      ),
    ).toBeLessThan(1e-5);
    const ours = convInputGrad(dy, x.shape, w, c.kind, { strides: c.s, pad: c.pad, dilations: d });
    expect(ours.shape).toEqual(x.shape);
    expect(relErr(ours.dataSync(), stock.dataSync())).toBeLessThan(1e-5);
    tf.dispose([x, w, wRef, y, dy, stock, ours]);
  });
});
