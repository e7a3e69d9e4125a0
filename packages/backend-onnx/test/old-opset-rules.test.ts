import { describe, expect, it } from 'vitest';
import { isGradscopeError } from '@gradscope/core';
import { createOnnxBackend } from '../src/index.js';
import { gradientVsFiniteDifference, gridInput } from './finite-difference.js';
import { fixtureBytes, runtimes } from './helpers.js';
import { TinyGraph } from './tiny-model.js';

/**
 * The opset 7–10 forms that gradscope rewrites into opset-11 ones for its backward graph
 * (src/graph/normalize-opset.ts), each against central differences of onnxruntime forwards of the
 * ORIGINAL model, on tiny graphs built here; and the errors for forms without an opset-11 twin.
 */
interface Case {
  readonly name: string;
  readonly opset: number;
  readonly shape: readonly number[];
  readonly scale?: number;
  readonly build: (g: TinyGraph) => string;
}
const mix = (g: TinyGraph, t: string, dims: number[]) =>
  g.op('Mul', [
    t,
    g.f(
      TinyGraph.random(
        dims.reduce((a, b) => a * b, 1),
        4,
      ),
      dims,
    ),
  ]);

const CASES: Case[] = [
  {
    name: 'Upsample-7 nearest, scales attribute [1, 1, 2, 3]',
    opset: 7,
    shape: [1, 2, 3, 3],
    build: (g) => mix(g, g.op('Upsample', [g.x], { mode: 'nearest', scales: { floats: [1, 1, 2, 3] } }), [1, 2, 6, 9]),
  },
  {
    name: 'Upsample-9 nearest, scales input',
    opset: 9,
    shape: [1, 2, 3, 3],
    build: (g) => mix(g, g.op('Upsample', [g.x, g.f([1, 1, 2, 2], [4])], { mode: 'nearest' }), [1, 2, 6, 6]),
  },
  {
    name: 'Resize-10 nearest (asymmetric, floor)',
    opset: 10,
    shape: [1, 2, 3, 4],
    build: (g) => mix(g, g.op('Resize', [g.x, g.f([1, 1, 3, 2], [4])], { mode: 'nearest' }), [1, 2, 9, 8]),
  },
  {
    name: 'Slice-1 with axes, a negative and a past-the-end bound',
    opset: 9,
    shape: [1, 2, 5, 6],
    build: (g) => g.op('Slice', [g.x], { axes: [3, 2], starts: [1, -4], ends: [2 ** 40, -1] }),
  },
  {
    name: 'Pad-2 constant 0.5, pads attribute',
    opset: 8,
    shape: [1, 2, 3, 4],
    build: (g) => mix(g, g.op('Pad', [g.x], { pads: [0, 0, 1, 2, 0, 0, 2, 1], value: { float: 0.5 } }), [1, 2, 6, 7]),
  },
  {
    name: 'Clip-6 (ReLU6, min/max attributes)',
    opset: 7,
    shape: [1, 2, 4, 5],
    scale: 10,
    build: (g) => g.op('Clip', [g.x], { min: { float: 0 }, max: { float: 6 } }),
  },
  {
    name: 'Clip-6 with max only',
    opset: 10,
    shape: [1, 2, 4, 5],
    build: (g) => g.op('Clip', [g.x], { max: { float: 0.1 } }),
  },
  {
    name: 'BatchNormalization-7 with spatial=1',
    opset: 7,
    shape: [1, 3, 4, 4],
    build: (g) =>
      g.op(
        'BatchNormalization',
        [
          g.x,
          g.f([1.5, -0.7, 0.3], [3]),
          g.f([0.1, 0.2, -0.3], [3]),
          g.f([0.05, -0.1, 0.2], [3]),
          g.f([0.5, 1.2, 2], [3]),
        ],
        { epsilon: { float: 1e-3 }, spatial: 1 },
      ),
  },
  {
    name: 'Dropout-10 with a mask output (ratio attribute)',
    opset: 10,
    shape: [1, 2, 3, 3],
    build: (g) => g.ops('Dropout', [g.op('Relu', [g.x])], 2, { ratio: { float: 0.3 } })[0]!,
  },
  {
    name: 'MaxPool-8 3×3 stride 2 pad 1 and AveragePool-7 count_include_pad',
    opset: 8,
    shape: [1, 2, 6, 6],
    build: (g) =>
      g.op('AveragePool', [g.op('MaxPool', [g.x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] })], {
        kernel_shape: [2, 2],
        pads: [1, 1, 0, 0],
        count_include_pad: 1,
      }),
  },
  {
    name: 'ImageScaler (opset 8) → BatchNormalization',
    opset: 8,
    shape: [1, 2, 3, 3],
    build: (g) => g.op('ImageScaler', [g.op('Relu', [g.x])], { scale: { float: 0.5 }, bias: { floats: [0.1, -0.2] } }),
  },
];

describe('old-opset forms vs finite differences (onnxruntime-node)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const g = new TinyGraph(c.shape, c.opset);
      const r = await gradientVsFiniteDifference(
        runtimes.node,
        g.bytes(c.build(g)),
        gridInput(c.shape, 1, c.scale ?? 1),
        {
          h: 4e-3,
        },
      );
      expect(r.ref, 'the gradient is not identically zero').toBeGreaterThan(1e-3);
      expect(r.err, `max |analytic − fd| (max |fd| = ${r.ref})`).toBeLessThanOrEqual(2e-3 * Math.max(1, r.ref));
    });
  }
});

describe('old forms without a gradient: errors name the operator, the node and the opset', () => {
  const inputGradient = async (bytes: Uint8Array, shape: number[]) => {
    const model = await createOnnxBackend({ ort: runtimes.node }).load(bytes);
    try {
      const x = gridInput(shape);
      const y = await model.forward(x); // the forward runs the original model
      expect(y.data.every(Number.isFinite)).toBe(true);
      return await model
        .capture(x, { layers: [], gradients: false, inputGradient: true, targets: [{ kind: 'class' }] })
        .then(
          () => null,
          (e: unknown) => e as Error,
        );
    } finally {
      await model.dispose();
    }
  };

  it('Upsample-9 in linear mode (forward runs; its Resize rule has no linear mode)', async () => {
    const g = new TinyGraph([1, 2, 3, 3], 9);
    const e = await inputGradient(
      g.bytes(g.op('Upsample', [g.x, g.f([1, 1, 2, 2], [4])], { mode: 'linear' })),
      [1, 2, 3, 3],
    );
    expect(isGradscopeError(e, 'unsupported-operator')).toBe(true);
    expect(e!.message).toMatch(
      /operator 'Upsample' \(node '\/upsample_\d+\/Upsample'\).*opset-9 Upsample.*mode 'nearest'/,
    );
  });

  it('torch 1.13 bilinear ×2 at opset 9 (Upsample linear): input gradients refused, Grad-CAM after it runs', async () => {
    const model = await createOnnxBackend({ ort: runtimes.node }).load(fixtureBytes('old_opset9_bilinear'));
    try {
      const x = gridInput([1, 3, 16, 16]);
      const e = await model
        .capture(x, { layers: [], gradients: false, inputGradient: true, targets: [{ kind: 'class' }] })
        .then(
          () => null,
          (err: unknown) => err as Error,
        );
      expect(isGradscopeError(e, 'unsupported-operator')).toBe(true);
      expect(e!.message).toMatch(/operator 'Upsample' \(node '\/up\/Upsample'\).*opset-9 Upsample/);
      const hook = await model.capture(x, {
        layers: [model.tensorFor('conv2')],
        gradients: true,
        inputGradient: false,
        targets: [{ kind: 'class' }],
      });
      expect(hook.gradients.get(model.tensorFor('conv2'))!.data.some((v) => v !== 0)).toBe(true);
    } finally {
      await model.dispose();
    }
  });

  it('TopK-1 (k attribute) on the gradient path of an opset-9 model', async () => {
    const g = new TinyGraph([1, 2, 3, 4], 9);
    const top = g.ops('TopK', [g.op('Reshape', [g.x, g.i64([1, 24])])], 2, { k: 5 })[0]!;
    const e = await inputGradient(g.bytes(top, { flatten: false }), [1, 2, 3, 4]);
    expect(isGradscopeError(e, 'unsupported-operator')).toBe(true);
    expect(e!.message).toMatch(/operator 'TopK' \(node '\/topk_\d+\/TopK'\).*opset-9 form.*k attribute/);
  });
});
