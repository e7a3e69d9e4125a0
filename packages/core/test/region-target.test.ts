import { describe, expect, it } from 'vitest';
import { BadTargetError, negated, regionTarget, resolveTarget, validateTarget } from '../src/index.js';

// A tiny segmentation "model": a 1×1 convolution of a one-channel [H, W] image into K class planes,
// y[k, p] = a[k]·x[p] + b[k], output channels-first [K, H, W] flattened. For the region target of
// class c over mask m: score = Σ_p m[p]·(a[c]·x[p] + b[c]) and d score / d x[p] = a[c]·m[p].
const a = [2, -0.5, 3],
  b = [0.25, 1, -1];
const H = 2,
  W = 3,
  K = 3;
const x = [0.5, -1, 2, 1.5, 0, -0.25];
const forward = (img: readonly number[]) =>
  Float32Array.from(
    { length: K * H * W },
    (_, i) => a[Math.floor(i / (H * W))]! * img[i % (H * W)]! + b[Math.floor(i / (H * W))]!,
  );
/** The input gradient from an output seed: d/dx[p] = Σ_k seed[k, p]·a[k]. */
const backward = (seed: Float32Array) =>
  Array.from({ length: H * W }, (_, p) => a.reduce((s, ak, k) => s + seed[k * H * W + p]! * ak, 0));

describe('regionTarget (pytorch-grad-cam SemanticSegmentationTarget)', () => {
  const mask = [1, 0, 1, 0, 1, 1];
  it('scores the class summed over the mask, with the mask on that class plane as the seed', () => {
    for (let c = 0; c < K; c++) {
      const r = resolveTarget(regionTarget(c, mask, [H, W]), forward(x));
      let expected = 0;
      for (let p = 0; p < H * W; p++) expected += mask[p]! * (a[c]! * x[p]! + b[c]!);
      expect(r.score).toBeCloseTo(expected, 5);
      expect(r.classIndex).toBe(c);
      // the input gradient through the model is a[c]·mask, and no other class plane is seeded
      backward(r.seed).forEach((g, p) => expect(g).toBeCloseTo(a[c]! * mask[p]!, 6));
      r.seed.forEach((s, i) => Math.floor(i / (H * W)) !== c && expect(s).toBe(0));
    }
  });

  it('has a seed equal to the finite difference of its score in the outputs, also for a soft mask', () => {
    const soft = [0.2, 0.7, 0, 1, 0.5, 0.1];
    const t = regionTarget(1, soft, [H, W]);
    const y = forward(x);
    const r = resolveTarget(t, y);
    const h = 1e-2;
    for (let i = 0; i < y.length; i++) {
      const up = Float32Array.from(y),
        down = Float32Array.from(y);
      up[i] = up[i]! + h;
      down[i] = down[i]! - h;
      const fd = (resolveTarget(t, up).score - resolveTarget(t, down).score) / (2 * h);
      expect(fd).toBeCloseTo(r.seed[i]!, 3);
    }
    const n = resolveTarget(negated(t), y);
    expect(n.score).toBeCloseTo(-r.score, 6);
  });

  it('refuses a mask whose shape does not divide the output, a wrong class and a bad mask', () => {
    expect(() => validateTarget(regionTarget(0, [1, 1, 1, 1], [2, 2]), K * H * W)).toThrow(
      /region mask is \[2, 2\] but the model output has 18 values per image, not \[K, 2, 2\]/,
    );
    expect(() => validateTarget(regionTarget(3, mask, [H, W]), K * H * W)).toThrow(
      /class 3 is out of range.*3 classes/,
    );
    expect(() => validateTarget(regionTarget(0, [1, 1], [H, W]), K * H * W)).toThrow(/2 entries, not the 2×3/);
    expect(() => validateTarget(regionTarget(0, [1, NaN, 0, 0, 0, 0], [H, W]), K * H * W)).toThrow(BadTargetError);
    expect(() => validateTarget(regionTarget(0, mask, [H, W]), 10)).toThrow(BadTargetError);
  });
});

describe('targets on class planes (Model.outputShape [K, H, W])', () => {
  const shape = [K, H, W];
  const mask = [1, 0, 1, 0, 1, 0];

  it('accepts a region at the planes’ resolution, and resolves it as on the flattened output', () => {
    validateTarget(regionTarget(1, mask, [H, W]), shape);
    const y = forward(x);
    const onPlanes = resolveTarget(regionTarget(1, mask, [H, W]), y, shape);
    const flat = resolveTarget(regionTarget(1, mask, [H, W]), y);
    expect(onPlanes.score).toBe(flat.score);
    expect(onPlanes.seed).toEqual(flat.seed);
  });

  it.each([
    ['class', { kind: 'class', index: 0 }],
    ['top-1', { kind: 'class' }],
    ['softmax', { kind: 'softmax' }],
    ['finer', { kind: 'finer' }],
  ] as const)('refuses a %s target, naming the output shape and regionTarget', (_name, t) => {
    expect(() => validateTarget(t, shape)).toThrow(BadTargetError);
    expect(() => validateTarget(t, shape)).toThrow(/class planes \[N, 3, 2, 3\].*regionTarget\(c, mask, \[2, 3\]\)/);
  });

  it('refuses a mask that is not at the planes’ resolution, even when its size divides the output', () => {
    expect(() => validateTarget(regionTarget(0, [1, 1, 1, 1, 1, 1], [3, 2]), shape)).toThrow(
      /region mask is \[3, 2\] but the model's class planes are \[2, 3\]/,
    );
  });

  it('accepts a seed over the whole output', () => {
    validateTarget({ kind: 'seed', seed: new Float32Array(K * H * W).fill(1) }, shape);
  });
});
