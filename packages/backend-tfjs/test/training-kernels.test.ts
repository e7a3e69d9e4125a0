import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTrainingKernels } from '../src/training/index.js';

/** Seeded uniform values in [-1, 1) (mulberry32), identical on every backend. */
function randomData(n: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const rand = (shape: number[], seed: number) => tf.tensor(randomData(size(shape), seed), shape) as tfjs.Tensor4D;

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
interface ConvCase {
  x: number[];
  w: number[];
  strides: number | [number, number];
  pad: Pad;
  nchw?: boolean;
}

/** d/dW and d/dx of Σ conv(x, W) ⊙ r for a fixed random r: exercises both backprop kernels. */
function convGrads(c: ConvCase, seed: number, depthwise = false): Float32Array[] {
  return tf.tidy(() => {
    const x = rand(c.x, seed),
      w = rand(c.w, seed + 1);
    const fmt = c.nchw ? 'NCHW' : 'NHWC';
    const f = (xx: tfjs.Tensor4D, ww: tfjs.Tensor4D) =>
      depthwise ? tf.depthwiseConv2d(xx, ww, c.strides, c.pad as 'same') : tf.conv2d(xx, ww, c.strides, c.pad, fmt);
    const probe = f(x, w);
    const r = rand(probe.shape, seed + 2);
    const g = tf.grads((xx: tfjs.Tensor, ww: tfjs.Tensor) =>
      tf.sum(tf.mul(f(xx as tfjs.Tensor4D, ww as tfjs.Tensor4D), r)),
    );
    const [dx, dw] = g([x, w]);
    return [dw!.dataSync() as Float32Array, dx!.dataSync() as Float32Array];
  });
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let scale = 0,
    d = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]!));
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
  }
  return d / scale;
}

const CONV_CASES: ConvCase[] = [
  { x: [2, 9, 9, 3], w: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [3, 8, 10, 5], w: [3, 3, 5, 2], strides: 1, pad: 'valid' },
  { x: [2, 8, 8, 4], w: [3, 3, 4, 6], strides: 2, pad: 'same' },
  { x: [2, 9, 7, 3], w: [3, 3, 3, 4], strides: 2, pad: 'valid' },
  { x: [1, 11, 10, 2], w: [5, 4, 2, 3], strides: [2, 3], pad: 'same' },
  { x: [2, 6, 6, 8], w: [1, 1, 8, 5], strides: 1, pad: 'valid' },
  {
    x: [2, 7, 9, 3],
    w: [3, 2, 3, 4],
    strides: [1, 2],
    pad: [
      [0, 0],
      [2, 1],
      [0, 1],
      [0, 0],
    ],
  },
  { x: [2, 12, 12, 3], w: [3, 3, 3, 8], strides: 1, pad: 1 },
];

const DEPTHWISE_CASES: ConvCase[] = [
  { x: [2, 9, 9, 3], w: [3, 3, 3, 1], strides: 1, pad: 'same' },
  { x: [2, 8, 8, 4], w: [3, 3, 4, 2], strides: 2, pad: 'same' },
  { x: [3, 9, 7, 2], w: [3, 3, 2, 3], strides: 2, pad: 'valid' },
  { x: [1, 10, 11, 5], w: [5, 3, 5, 1], strides: [1, 2], pad: 'valid' },
];

const caseName = (c: ConvCase) =>
  `x[${c.x}] w[${c.w}] s${JSON.stringify(c.strides)} ${JSON.stringify(c.pad)}${c.nchw ? ' NCHW' : ''}`;

describe('registerTrainingKernels', () => {
  // References: tfjs-cpu's stock kernels, computed before anything is registered.
  const ref = new Map<string, Float32Array[]>();
  beforeAll(async () => {
    await tf.setBackend('cpu');
    CONV_CASES.forEach((c, i) => ref.set(`conv${i}`, convGrads(c, 100 + i)));
    ref.set('nchw', convGrads({ x: [2, 3, 8, 8], w: [3, 3, 3, 4], strides: 2, pad: 'same', nchw: true }, 7));
    DEPTHWISE_CASES.forEach((c, i) => ref.set(`dw${i}`, convGrads(c, 200 + i, true)));
    await tf.setBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('registers nothing at import: wasm has no Conv2DBackpropFilter until asked', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(() => convGrads(CONV_CASES[0]!, 100)).toThrow(/Conv2DBackpropFilter/);
  });

  describe.each(['wasm', 'cpu'])('on %s', (backend) => {
    it.each(CONV_CASES.map((c, i) => [caseName(c), i] as const))(
      'Conv2D %s: dW and dx match tfjs-cpu',
      async (_name, i) => {
        await tf.setBackend(backend);
        const unregister = registerTrainingKernels(tf, backend);
        try {
          const [dw, dx] = convGrads(CONV_CASES[i]!, 100 + i);
          const [rdw, rdx] = ref.get(`conv${i}`)!;
          expect(maxRelDiff(dw!, rdw!)).toBeLessThan(1e-5);
          expect(maxRelDiff(dx!, rdx!)).toBeLessThan(1e-5);
        } finally {
          unregister();
        }
      },
    );

    it.each(DEPTHWISE_CASES.map((c, i) => [caseName(c), i] as const))(
      'depthwise %s: dW and dx match tfjs-cpu',
      async (_name, i) => {
        await tf.setBackend(backend);
        const unregister = registerTrainingKernels(tf, backend);
        try {
          const [dw, dx] = convGrads(DEPTHWISE_CASES[i]!, 200 + i, true);
          const [rdw, rdx] = ref.get(`dw${i}`)!;
          expect(maxRelDiff(dw!, rdw!)).toBeLessThan(1e-5);
          expect(maxRelDiff(dx!, rdx!)).toBeLessThan(1e-5);
        } finally {
          unregister();
        }
      },
    );
  });

  it('handles NCHW on cpu (transposes to NHWC) for dW and dx', async () => {
    await tf.setBackend('cpu');
    const unregister = registerTrainingKernels(tf, 'cpu');
    try {
      const [dw, dx] = convGrads({ x: [2, 3, 8, 8], w: [3, 3, 3, 4], strides: 2, pad: 'same', nchw: true }, 7);
      expect(maxRelDiff(dw!, ref.get('nchw')![0]!)).toBeLessThan(1e-5);
      expect(maxRelDiff(dx!, ref.get('nchw')![1]!)).toBeLessThan(1e-5);
    } finally {
      unregister();
    }
  });

  it('fused conv + bias + relu layers train on wasm and match cpu', async () => {
    const run = () =>
      tf.tidy(() => {
        const x = rand([4, 10, 10, 3], 11),
          w = rand([3, 3, 3, 5], 12),
          b = rand([5], 13) as unknown as tfjs.Tensor1D;
        const f = (ww: tfjs.Tensor, bb: tfjs.Tensor) =>
          tf.sum(
            tf.square(
              tf.fused.conv2d({
                x,
                filter: ww as tfjs.Tensor4D,
                strides: 2,
                pad: 'same',
                bias: bb,
                activation: 'relu',
              }),
            ),
          );
        const [gw, gb] = tf.grads(f)([w, b]);
        return [gw!.dataSync() as Float32Array, gb!.dataSync() as Float32Array];
      });
    await tf.setBackend('cpu');
    const want = run();
    await tf.setBackend('wasm');
    const unregister = registerTrainingKernels(tf, 'wasm');
    try {
      const got = run();
      expect(maxRelDiff(got[0]!, want[0]!)).toBeLessThan(1e-5);
      expect(maxRelDiff(got[1]!, want[1]!)).toBeLessThan(1e-5);
    } finally {
      unregister();
    }
  });

  it('leaks no tensors or backend buffers over repeated steps', async () => {
    await tf.setBackend('wasm');
    const unregister = registerTrainingKernels(tf, 'wasm');
    try {
      convGrads(CONV_CASES[2]!, 1);
      convGrads(DEPTHWISE_CASES[1]!, 1, true);
      const tensors = tf.memory().numTensors,
        ids = tf.engine().backend.numDataIds();
      for (let k = 0; k < 5; k++) {
        convGrads(CONV_CASES[2]!, 1);
        convGrads(DEPTHWISE_CASES[1]!, 1, true);
      }
      expect(tf.memory().numTensors).toBe(tensors);
      expect(tf.engine().backend.numDataIds()).toBe(ids);
    } finally {
      unregister();
    }
  });

  it('unregister restores the previous kernels and is idempotent', async () => {
    const stock = tf.getKernel('Conv2DBackpropFilter', 'cpu');
    expect(stock).toBeDefined();
    const unregister = registerTrainingKernels(tf, 'cpu');
    expect(tf.getKernel('Conv2DBackpropFilter', 'cpu')).not.toBe(stock);
    unregister();
    unregister();
    expect(tf.getKernel('Conv2DBackpropFilter', 'cpu')).toBe(stock);
    const stockInput = tf.getKernel('Conv2DBackpropInput', 'wasm');
    expect(stockInput).toBeDefined();
    const unregisterWasm = registerTrainingKernels(tf, 'wasm');
    expect(tf.getKernel('DepthwiseConv2dNativeBackpropFilter', 'wasm')).toBeDefined();
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).not.toBe(stockInput);
    unregisterWasm();
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).toBe(stockInput);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(tf.getKernel('DepthwiseConv2dNativeBackpropFilter', 'wasm')).toBeUndefined();
  });
});
