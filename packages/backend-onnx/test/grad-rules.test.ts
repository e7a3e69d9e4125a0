import { describe, expect, it } from 'vitest';
import { gradientVsFiniteDifference, gridInput } from './finite-difference.js';
import { runtimes } from './helpers.js';
import { TinyGraph } from './tiny-model.js';

/**
 * Every gradient rule against central differences of onnxruntime forward passes, on tiny models
 * built here: x → (ops under test) → Flatten → y; the analytic gradient is d(Σ r·y)/dx for a fixed
 * random r, taken from the backend's derived backward model.
 */
interface Case {
  readonly name: string;
  readonly shape: readonly number[];
  readonly opset?: number;
  /** Input scale (spacing of the value grid is 0.02·scale). */
  readonly scale?: number;
  readonly build: (g: TinyGraph) => string;
}

const W = (g: TinyGraph, dims: number[], seed = 3) =>
  g.f(
    TinyGraph.random(
      dims.reduce((a, b) => a * b, 1),
      seed,
    ),
    dims,
  );
const gap = (g: TinyGraph, t: string) => g.op('GlobalAveragePool', [t]);

const CASES: Case[] = [
  {
    name: 'Conv 3×3 pad 1',
    shape: [1, 3, 6, 7],
    build: (g) => g.op('Conv', [g.x, W(g, [4, 3, 3, 3])], { pads: [1, 1, 1, 1] }),
  },
  {
    name: 'Conv stride 2, asymmetric pads, dilation 2, bias',
    shape: [1, 2, 7, 8],
    build: (g) =>
      g.op('Conv', [g.x, W(g, [3, 2, 3, 3]), W(g, [3], 9)], { strides: [2, 2], pads: [0, 1, 1, 0], dilations: [2, 2] }),
  },
  {
    name: 'Conv stride 2 whose last rows are never read',
    shape: [1, 2, 8, 8],
    build: (g) => g.op('Conv', [g.x, W(g, [2, 2, 3, 3])], { strides: [3, 3] }),
  },
  {
    name: 'Conv depthwise (groups = channels), stride 2',
    shape: [1, 4, 6, 6],
    build: (g) => g.op('Conv', [g.x, W(g, [4, 1, 3, 3])], { group: 4, strides: [2, 2], pads: [1, 1, 1, 1] }),
  },
  {
    name: 'Conv 2 groups, 1×1 and 5×3 kernels',
    shape: [1, 4, 6, 5],
    build: (g) =>
      g.op('Conv', [g.op('Conv', [g.x, W(g, [6, 4, 1, 1])]), W(g, [4, 3, 5, 3], 5)], { group: 2, pads: [2, 1, 2, 1] }),
  },
  {
    name: 'Conv auto_pad SAME_UPPER stride 2',
    shape: [1, 2, 7, 6],
    build: (g) => g.op('Conv', [g.x, W(g, [3, 2, 3, 3])], { auto_pad: 'SAME_UPPER', strides: [2, 2] }),
  },
  {
    name: 'Conv stride 1 as Conv: asymmetric pads, dilations 2×1, 3 groups',
    shape: [1, 6, 7, 6],
    build: (g) => g.op('Conv', [g.x, W(g, [6, 2, 3, 3], 7)], { group: 3, pads: [2, 0, 1, 1], dilations: [2, 1] }),
  },
  {
    name: 'Conv depthwise stride 1 with channel multiplier 2, 5×4 kernel, asymmetric pads',
    shape: [1, 3, 6, 7],
    build: (g) => g.op('Conv', [g.x, W(g, [6, 1, 5, 4], 11)], { group: 3, pads: [2, 1, 1, 2] }),
  },
  {
    name: 'Conv pads wider than the kernel (ConvTranspose fallback)',
    shape: [1, 2, 4, 5],
    build: (g) => g.op('Conv', [g.x, W(g, [3, 2, 3, 3])], { pads: [3, 0, 1, 3] }),
  },
  {
    name: 'Conv with a computed weight (ConvTranspose fallback)',
    shape: [1, 2, 5, 5],
    build: (g) => {
      const w = W(g, [3, 2, 3, 3]);
      return g.op('Conv', [g.x, g.op('Add', [w, w])], { pads: [1, 1, 1, 1] });
    },
  },
  {
    name: 'Conv 7×7 stride 2 pad 3 and 1×1 stride 2, odd sizes',
    shape: [1, 2, 9, 11],
    build: (g) =>
      g.op(
        'Conv',
        [g.op('Conv', [g.x, W(g, [3, 2, 7, 7], 5)], { strides: [2, 2], pads: [3, 3, 3, 3] }), W(g, [2, 3, 1, 1])],
        { strides: [2, 2] },
      ),
  },
  {
    name: 'Conv polyphase (≤ 4 input channels, strided): 4×5 kernel, stride 2, asymmetric pads, 2 groups',
    shape: [1, 4, 9, 8],
    build: (g) => g.op('Conv', [g.x, W(g, [6, 2, 4, 5], 13)], { strides: [2, 2], pads: [2, 0, 1, 3], group: 2 }),
  },
  {
    name: 'Conv 1-D (one spatial axis), dilation 2',
    shape: [1, 2, 1, 9],
    build: (g) =>
      g.op('Conv', [g.op('Reshape', [g.x, g.i64([1, 2, 9])]), W(g, [3, 2, 3])], { pads: [2, 1], dilations: [2] }),
  },
  { name: 'Relu', shape: [1, 2, 4, 5], build: (g) => g.op('Relu', [g.x]) },
  {
    name: 'Clip (ReLU6, opset 11 inputs)',
    shape: [1, 2, 4, 5],
    scale: 10,
    opset: 11,
    build: (g) => g.op('Clip', [g.x, g.f([0]), g.f([6])]),
  },
  { name: 'Clip with min only (−0.1)', shape: [1, 2, 4, 5], build: (g) => g.op('Clip', [g.x, g.f([-0.1])]) },
  {
    name: 'Clip(−1, 1.5) then Clip(−0.5, 0.5): two-sided, lo ≠ 0',
    shape: [1, 2, 4, 5],
    scale: 3,
    build: (g) => g.op('Clip', [g.op('Clip', [g.x, g.f([-1]), g.f([1.5])]), g.f([-0.5]), g.f([0.5])]),
  },
  { name: 'LeakyRelu', shape: [1, 2, 4, 5], build: (g) => g.op('LeakyRelu', [g.x], { alpha: { float: 0.1 } }) },
  {
    name: 'BatchNormalization (inference)',
    shape: [1, 3, 4, 4],
    build: (g) =>
      g.op(
        'BatchNormalization',
        [
          g.x,
          g.f([1.5, -0.7, 0.3], [3]),
          g.f([0.1, 0.2, -0.3], [3]),
          g.f([0.05, -0.1, 0.2], [3]),
          g.f([0.5, 1.2, 2.0], [3]),
        ],
        { epsilon: { float: 1e-3 } },
      ),
  },
  {
    name: 'MaxPool 3×3 stride 2 pad 1 (overlapping), opset 17',
    shape: [1, 2, 7, 7],
    opset: 17,
    build: (g) => g.op('MaxPool', [g.x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
  },
  {
    name: 'MaxPool overlapping at opset 11 (model upgraded to 16)',
    shape: [1, 2, 6, 6],
    opset: 11,
    build: (g) =>
      g.op(
        'Squeeze',
        [g.op('Unsqueeze', [g.op('MaxPool', [g.x], { kernel_shape: [3, 3], strides: [1, 1] })], { axes: [0] })],
        { axes: [0] },
      ),
  },
  {
    name: 'MaxPool ceil mode',
    shape: [1, 2, 8, 8],
    build: (g) => g.op('MaxPool', [g.x], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 }),
  },
  {
    name: 'AveragePool pad 1, count_include_pad 0',
    shape: [1, 2, 7, 6],
    build: (g) => g.op('AveragePool', [g.x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
  },
  {
    name: 'AveragePool pad 1, count_include_pad 1',
    shape: [1, 2, 7, 6],
    build: (g) =>
      g.op('AveragePool', [g.x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 1 }),
  },
  {
    name: 'AveragePool ceil mode',
    shape: [1, 2, 8, 8],
    build: (g) => g.op('AveragePool', [g.x], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 }),
  },
  { name: 'GlobalAveragePool', shape: [1, 3, 4, 5], build: (g) => gap(g, g.x) },
  { name: 'GlobalMaxPool', shape: [1, 3, 4, 5], build: (g) => g.op('GlobalMaxPool', [g.x]) },
  {
    name: 'Add with broadcasting (x + GAP(x) + constant)',
    shape: [1, 3, 4, 4],
    build: (g) => g.op('Add', [g.op('Add', [g.x, gap(g, g.x)]), g.f([1, 2, 3], [3, 1, 1])]),
  },
  { name: 'Sub with broadcasting (GAP(x) − x)', shape: [1, 3, 4, 4], build: (g) => g.op('Sub', [gap(g, g.x), g.x]) },
  {
    name: 'Mul: SE block x·σ(conv(GAP(x))) and SiLU x·σ(x)',
    shape: [1, 3, 4, 4],
    build: (g) => {
      const s = g.op('Sigmoid', [g.op('Conv', [gap(g, g.x), W(g, [3, 3, 1, 1])])]);
      const y = g.op('Mul', [g.x, s]);
      return g.op('Mul', [y, g.op('Sigmoid', [y])]);
    },
  },
  {
    name: 'Div with broadcasting x / (GAP(x²) + 1)',
    shape: [1, 3, 4, 4],
    build: (g) => g.op('Div', [g.x, g.op('Add', [gap(g, g.op('Mul', [g.x, g.x])), g.f([1])])]),
  },
  { name: 'Sum of three', shape: [1, 2, 3, 3], build: (g) => g.op('Sum', [g.x, g.op('Relu', [g.x]), gap(g, g.x)]) },
  {
    name: 'LayerNorm decomposed: ReduceMean, Sub, Pow, Sqrt, Div',
    shape: [1, 4, 3, 3],
    build: (g) => {
      const d = g.op('Sub', [g.x, g.op('ReduceMean', [g.x], { axes: [1] })]);
      const v = g.op('ReduceMean', [g.op('Pow', [d, g.f([2])])], { axes: [1] });
      return g.op('Div', [d, g.op('Sqrt', [g.op('Add', [v, g.f([1e-5])])])]);
    },
  },
  {
    name: 'Gelu as Erf: 0.5·x·(1 + erf(x/√2))',
    shape: [1, 2, 3, 4],
    scale: 5,
    build: (g) =>
      g.op('Mul', [
        g.op('Mul', [g.x, g.op('Add', [g.op('Erf', [g.op('Div', [g.x, g.f([Math.SQRT2])])]), g.f([1])])]),
        g.f([0.5]),
      ]),
  },
  { name: 'Exp, Neg, Tanh', shape: [1, 2, 3, 3], build: (g) => g.op('Tanh', [g.op('Neg', [g.op('Exp', [g.x])])]) },
  {
    name: 'HardSigmoid',
    shape: [1, 2, 4, 5],
    scale: 8,
    build: (g) => g.op('HardSigmoid', [g.x], { alpha: { float: 0.2 }, beta: { float: 0.5 } }),
  },
  { name: 'HardSwish (opset 14)', shape: [1, 2, 4, 5], scale: 8, opset: 14, build: (g) => g.op('HardSwish', [g.x]) },
  {
    name: 'Transpose (channels-last and back through MatMul)',
    shape: [1, 3, 2, 4],
    build: (g) =>
      g.op('Transpose', [g.op('MatMul', [g.op('Transpose', [g.x], { perm: [0, 2, 3, 1] }), W(g, [3, 5])])], {
        perm: [0, 3, 1, 2],
      }),
  },
  {
    name: 'MatMul with both operands computed (x·xᵀ)',
    shape: [1, 2, 3, 4],
    build: (g) => g.op('MatMul', [g.x, g.op('Transpose', [g.x], { perm: [0, 1, 3, 2] })]),
  },
  {
    name: 'Flatten → Gemm (transB = 1, alpha, beta, bias)',
    shape: [1, 2, 3, 3],
    build: (g) =>
      g.op('Gemm', [g.op('Flatten', [g.x]), W(g, [5, 18]), W(g, [5], 4)], {
        transB: 1,
        alpha: { float: 0.7 },
        beta: { float: 2 },
      }),
  },
  {
    name: 'Gemm (transB = 0) and Gemm of two computed operands (transA = 1)',
    shape: [1, 2, 3, 3],
    build: (g) => {
      const a = g.op('Gemm', [g.op('Flatten', [g.x]), W(g, [18, 4])]);
      const t = g.op('Gemm', [g.op('Transpose', [a], { perm: [1, 0] }), W(g, [4, 3], 8)], { transA: 1 });
      return g.op('Concat', [t, g.op('Gemm', [a, g.op('Reshape', [a, g.i64([4, 1])])])], { axis: 1 });
    },
  },
  {
    name: 'Reshape, Squeeze, Unsqueeze',
    shape: [1, 2, 3, 4],
    build: (g) =>
      g.op('Unsqueeze', [g.op('Squeeze', [g.op('Reshape', [g.x, g.i64([1, 6, 1, 4])]), g.i64([2])]), g.i64([3])]),
  },
  {
    name: 'Concat on channels (densenet-style)',
    shape: [1, 2, 3, 3],
    build: (g) => g.op('Concat', [g.x, g.op('Relu', [g.x]), g.op('Conv', [g.x, W(g, [1, 2, 1, 1])])], { axis: 1 }),
  },
  {
    name: 'Split with one output unused',
    shape: [1, 4, 3, 3],
    build: (g) => {
      const [a, , c] = g.ops('Split', [g.x, g.i64([1, 2, 1])], 3, { axis: 1 });
      return g.op('Concat', [c!, a!], { axis: 1 });
    },
  },
  {
    name: 'Slice with negative ends',
    shape: [1, 3, 5, 6],
    build: (g) => g.op('Slice', [g.x, g.i64([1, 1]), g.i64([-1, 5]), g.i64([1, 3])]),
  },
  {
    name: 'Slice with bounds computed from the shape (torch chunk)',
    shape: [1, 4, 3, 3],
    build: (g) => {
      const half = g.op('Div', [g.op('Gather', [g.op('Shape', [g.x]), g.i64([1], [])], { axis: 0 }), g.i64([2], [])]);
      const h1 = g.op('Unsqueeze', [half, g.i64([0])]);
      const a = g.op('Slice', [g.x, g.i64([0]), h1, g.i64([1])]);
      const b = g.op('Slice', [g.x, h1, g.i64([-1]), g.i64([1])]);
      return g.op('Concat', [g.op('Relu', [b]), a], { axis: 1 });
    },
  },
  {
    name: 'Pad (constant) then Conv',
    shape: [1, 2, 4, 4],
    build: (g) => g.op('Conv', [g.op('Pad', [g.x, g.i64([0, 0, 1, 2, 0, 0, 2, 0])]), W(g, [2, 2, 3, 3])]),
  },
  {
    name: 'ReduceMean keepdims 0 over H, W and ReduceSum',
    shape: [1, 3, 3, 4],
    build: (g) =>
      g.op('Mul', [
        g.op('ReduceMean', [g.x], { axes: [2, 3], keepdims: 0 }),
        g.op('ReduceSum', [g.x, g.i64([1, 2, 3])], { keepdims: 0 }),
      ]),
  },
  {
    name: 'LayerNormalization (opset 17) over the last axis, and over C·H·W',
    shape: [1, 3, 2, 4],
    opset: 17,
    build: (g) => {
      const a = g.op('LayerNormalization', [g.x, g.f([1.5, -0.5, 0.8, 1.1], [4]), g.f([0.1, 0.2, 0.3, 0.4], [4])], {
        epsilon: { float: 1e-3 },
      });
      return g.op('LayerNormalization', [a, W(g, [3, 2, 4])], { axis: 1 });
    },
  },
  {
    name: 'Gather with a scalar and a 1-D constant index (x[:, 0], x[:, [2, 0, 2]])',
    shape: [1, 3, 2, 4],
    build: (g) =>
      g.op(
        'Concat',
        [
          g.op('Unsqueeze', [g.op('Gather', [g.x, g.i64([0], [])], { axis: 1 }), g.i64([1])]),
          g.op('Gather', [g.x, g.i64([2, 0, 2])], { axis: -3 }),
        ],
        { axis: 1 },
      ),
  },
  {
    name: 'opset 18 forms: ReduceMean axes input, Split num_outputs, MaxPool, Pad',
    shape: [1, 4, 5, 5],
    opset: 18,
    build: (g) => {
      const [a, b] = g.ops('Split', [g.op('MaxPool', [g.x], { kernel_shape: [2, 2], strides: [1, 1] })], 2, {
        axis: 1,
        num_outputs: 2,
      });
      const m = g.op('ReduceMean', [a!, g.i64([2, 3])], { keepdims: 1 });
      return g.op('Pad', [g.op('Mul', [b!, m]), g.i64([0, 0, 1, 0, 0, 0, 0, 1])]);
    },
  },
  {
    name: 'PRelu with a per-channel slope (one negative)',
    shape: [1, 3, 3, 4],
    build: (g) => g.op('PRelu', [g.x, g.f([0.25, -0.5, 1.5], [3, 1, 1])]),
  },
  {
    name: 'Elu (α 0.7) and Selu',
    shape: [1, 2, 3, 4],
    build: (g) => g.op('Selu', [g.op('Elu', [g.x], { alpha: { float: 0.7 } })]),
  },
  { name: 'Softplus, Abs', shape: [1, 2, 3, 4], build: (g) => g.op('Abs', [g.op('Softplus', [g.x])]) },
  {
    name: 'Log, Reciprocal (of positive values)',
    shape: [1, 2, 3, 4],
    build: (g) => g.op('Reciprocal', [g.op('Log', [g.op('Add', [g.op('Mul', [g.x, g.x]), g.f([1.5])])])]),
  },
  {
    name: 'Max with a broadcast constant',
    shape: [1, 3, 3, 3],
    build: (g) => g.op('Max', [g.x, g.f([0.03, 0.01, 0.02], [3, 1, 1])]),
  },
  {
    name: 'Min against the broadcast GAP(x) (gradient through both inputs)',
    shape: [1, 3, 3, 3],
    build: (g) => g.op('Min', [g.x, gap(g, g.x)]),
  },
  { name: 'Max with the broadcast GAP(x) first', shape: [1, 3, 3, 3], build: (g) => g.op('Max', [gap(g, g.x), g.x]) },
  {
    name: 'Expand of a pooled tensor',
    shape: [1, 3, 3, 4],
    build: (g) => g.op('Mul', [g.op('Expand', [gap(g, g.x), g.i64([1, 3, 3, 4])]), g.x]),
  },
  {
    name: 'LRN size 3 (AlexNet-style, α large enough to matter)',
    shape: [1, 6, 3, 3],
    build: (g) => g.op('LRN', [g.x], { size: 3, alpha: { float: 0.5 }, beta: { float: 0.75 }, bias: { float: 1 } }),
  },
  {
    name: 'LRN size 5 (wider than the channel edge), β 0.5, bias 2',
    shape: [1, 5, 2, 3],
    scale: 3,
    build: (g) => g.op('LRN', [g.x], { size: 5, alpha: { float: 0.8 }, beta: { float: 0.5 }, bias: { float: 2 } }),
  },
  {
    name: 'InstanceNormalization (per-channel scale and bias), then a Conv that mixes channels',
    shape: [1, 3, 4, 3],
    build: (g) =>
      g.op('Conv', [
        g.op('InstanceNormalization', [g.x, g.f([1.5, -0.7, 0.3], [3]), g.f([0.1, 0.2, -0.3], [3])], {
          epsilon: { float: 1e-3 },
        }),
        W(g, [2, 3, 1, 1], 5),
      ]),
  },
  {
    name: 'Resize nearest ×2 (torch export: asymmetric, floor), then a 3×3 Conv',
    shape: [1, 2, 3, 4],
    build: (g) =>
      g.op(
        'Conv',
        [
          g.op('Resize', [g.x, '', g.f([1, 1, 2, 2], [4])], {
            mode: 'nearest',
            coordinate_transformation_mode: 'asymmetric',
            nearest_mode: 'floor',
          }),
          W(g, [2, 2, 3, 3]),
        ],
        { pads: [1, 1, 1, 1] },
      ),
  },
  {
    name: 'Resize nearest by sizes ×3 × ×2 (half_pixel, round_prefer_floor defaults)',
    shape: [1, 2, 3, 4],
    build: (g) =>
      g.op('Mul', [
        g.op('Resize', [g.x, '', '', g.i64([1, 2, 9, 8])], { mode: 'nearest' }),
        g.f(TinyGraph.random(2 * 9 * 8, 4), [1, 2, 9, 8]),
      ]),
  },
  { name: 'Softmax over channels', shape: [1, 4, 2, 3], build: (g) => g.op('Softmax', [g.x], { axis: 1 }) },
  {
    name: 'Dropout with a mask output (kept as Dropout)',
    shape: [1, 2, 3, 3],
    build: (g) => g.ops('Dropout', [g.op('Relu', [g.x])], 2)[0]!,
  },
  {
    name: 'Identity, Dropout, Cast to float',
    shape: [1, 2, 3, 3],
    build: (g) => g.op('Cast', [g.op('Dropout', [g.op('Identity', [g.x])])], { to: 1 }),
  },
];

describe('gradient rules vs finite differences (onnxruntime-node)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const g = new TinyGraph(c.shape, c.opset ?? 13);
      const bytes = g.bytes(c.build(g));
      const r = await gradientVsFiniteDifference(runtimes.node, bytes, gridInput(c.shape, 1, c.scale ?? 1), {
        h: 4e-3,
      });
      expect(r.ref, 'the gradient is not identically zero').toBeGreaterThan(1e-3);
      expect(r.err, `max |analytic − fd| (max |fd| = ${r.ref})`).toBeLessThanOrEqual(2e-3 * Math.max(1, r.ref));
    });
  }
});
