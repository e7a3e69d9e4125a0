import { seedTarget, type Tensor } from '@gradscope/core';
import type { ReluMode } from '@gradscope/core';
import { createOnnxBackend, type GradRule, type OrtRuntime } from '../src/index.js';
import { TinyGraph } from './tiny-model.js';

/**
 * Input values on a shuffled grid (distinct, ≥ 0.02 apart, none near 0), so that central
 * differences with step 1e-3 never cross a kink of ReLU, clip or max pooling.
 */
export function gridInput(shape: readonly number[], seed = 1, scale = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const r = TinyGraph.random(n, seed);
  const order = r.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const data = new Float32Array(n);
  order.forEach(([, i], k) => (data[i] = scale * ((k - n / 2) * 0.02 + 0.0097)));
  return { data, shape: [...shape] };
}

/** The analytic input gradient of Σ seed·y from the backend, and the same by central differences of ORT forwards. */
export async function gradientVsFiniteDifference(
  ort: OrtRuntime,
  bytes: Uint8Array,
  x: Tensor,
  opts: { h?: number; seed?: number; reluMode?: ReluMode; rules?: readonly GradRule[] } = {},
) {
  const model = await createOnnxBackend({ ort, gradRules: opts.rules ?? [] }).load(bytes);
  try {
    const y0 = await model.forward(x);
    const seed = Float32Array.from(TinyGraph.random(y0.data.length, opts.seed ?? 7));
    const hook = await model.capture(x, {
      layers: [],
      gradients: false,
      inputGradient: true,
      reluMode: opts.reluMode ?? 'standard',
      targets: [seedTarget(seed)],
    });
    const analytic = hook.inputGradient!.data;
    const h = opts.h ?? 1e-3;
    const fd = new Float32Array(x.data.length);
    const score = async (d: Float32Array) => {
      const y = await model.forward({ data: d, shape: x.shape });
      let s = 0;
      for (let i = 0; i < y.data.length; i++) s += seed[i]! * y.data[i]!;
      return s;
    };
    for (let i = 0; i < x.data.length; i++) {
      const p = Float32Array.from(x.data);
      const m = Float32Array.from(x.data);
      p[i] = p[i]! + h;
      m[i] = m[i]! - h;
      fd[i] = ((await score(p)) - (await score(m))) / (2 * h);
    }
    let err = 0;
    let ref = 0;
    for (let i = 0; i < fd.length; i++) {
      err = Math.max(err, Math.abs(fd[i]! - analytic[i]!));
      ref = Math.max(ref, Math.abs(fd[i]!));
    }
    return { analytic, fd, err, ref, model };
  } finally {
    await model.dispose();
  }
}
