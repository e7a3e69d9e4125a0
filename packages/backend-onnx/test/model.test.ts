import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoLayer, classTarget, finerTarget, seedTarget, type Target, type Tensor } from '@gradscope/core';
import { buildBackward, createOnnxBackend, type OnnxModel } from '../src/index.js';
import { concatBatch } from '../src/batch.js';
import type { TinyGraph } from './tiny-model.js';
import { compare, countingRuntime, fixtureBytes, npy, runtimes } from './helpers.js';

const gapOf = (a: Tensor) => {
  const [n, C, h, w] = a.shape as [number, number, number, number];
  const out = new Float64Array(n * C);
  for (let i = 0; i < n * C; i++) for (let j = 0; j < h * w; j++) out[i] += a.data[i * h * w + j]! / (h * w);
  return out;
};

describe('OnnxModel on resnet18-narrow (onnxruntime-node)', () => {
  const x = npy('resnet18', 'input.npy');
  let model: OnnxModel;
  const rt = countingRuntime(runtimes.node);
  beforeAll(async () => {
    model = await createOnnxBackend({ ort: rt.ort, cacheSize: 3 }).load(fixtureBytes('resnet18'));
  });
  afterAll(() => model.dispose());

  it('lists tensors with probed NCHW shapes and module paths resolving to the module output', () => {
    expect(model.input).toMatchObject({
      name: 'input',
      shape: [-1, 3, 64, 64],
      layout: 'NCHW',
      height: 64,
      width: 64,
      channels: 3,
    });
    expect(model.numClasses).toBe(10);
    const l4 = model.layers.find((l) => l.name === 'layer4')!;
    expect(l4).toMatchObject({
      type: 'Relu',
      outputShape: [-1, 64, 2, 2],
      spatial: { height: 2, width: 2, channels: 64 },
    });
    expect(model.tensorFor('layer4')).toBe('/layer4/layer4.1/relu_1/Relu_output_0');
    expect(model.tensorFor('layer4.1')).toBe('/layer4/layer4.1/relu_1/Relu_output_0');
    expect(model.tensorFor('layer4.0.conv1')).toBe('/layer4/layer4.0/conv1/Conv_output_0');
    expect(model.tensorFor('layer1')).toBe('/layer1/layer1.1/relu_1/Relu_output_0');
    expect(model.layers.find((l) => l.name === '/maxpool/MaxPool_output_0')?.spatial).toEqual({
      height: 16,
      width: 16,
      channels: 8,
    });
    expect(autoLayer(model.layers)?.name).toBe('layer4');
    expect(model.head?.featureLayer).toBe('layer4');
  });

  it('exposes the GAP → Flatten → Gemm head: logits − W·GAP(A) is the same bias for two inputs', async () => {
    expect(model.capabilities.has('linear-head')).toBe(true);
    const head = model.head!;
    expect(head.weights.shape).toEqual([10, 64]);
    expect(model.tensorFor(head.featureLayer)).toBe(model.tensorFor('layer4'));
    const x2 = { data: x.data.map((v, i) => v * 0.5 + Math.sin(i)), shape: x.shape };
    const hook = await model.capture(concatBatch([x, x2]), {
      layers: ['layer4'],
      gradients: false,
      inputGradient: false,
      targets: [{ kind: 'class' }, { kind: 'class' }],
    });
    const g = gapOf(hook.activations.get('layer4')!);
    const bias = [0, 1].map((n) =>
      Array.from(
        { length: 10 },
        (_, k) =>
          hook.logits.data[n * 10 + k]! -
          Array.from({ length: 64 }, (_, c) => head.weights.data[k * 64 + c]! * g[n * 64 + c]!).reduce(
            (a, b) => a + b,
            0,
          ),
      ),
    );
    expect(compare(bias[0]!, bias[1]!).maxAbs).toBeLessThan(1e-5);
    expect(compare(hook.logits.data.subarray(0, 10), hook.logits.data.subarray(10, 20)).maxAbs).toBeGreaterThan(1e-3);
  });

  it('a batch of two with different targets equals two single captures', async () => {
    const x2 = { data: x.data.map((v) => -v), shape: x.shape };
    const targets = [classTarget(3), seedTarget(Array.from({ length: 10 }, (_, k) => k - 4.5))];
    const req = { layers: ['layer3'], gradients: true, inputGradient: true } as const;
    const both = await model.capture(concatBatch([x, x2]), { ...req, targets });
    const one = await model.capture(x, { ...req, targets: [targets[0]!] });
    const two = await model.capture(x2, { ...req, targets: [targets[1]!] });
    const half = (t: Tensor, i: number) => t.data.subarray((i * t.data.length) / 2, ((i + 1) * t.data.length) / 2);
    for (const [i, h] of [
      [0, one],
      [1, two],
    ] as const) {
      expect(compare(half(both.gradients.get('layer3')!, i), h.gradients.get('layer3')!.data).maxAbs).toBeLessThan(
        1e-6,
      );
      expect(compare(half(both.inputGradient!, i), h.inputGradient!.data).maxAbs).toBeLessThan(1e-7);
      expect(both.targets[i]!.score).toBeCloseTo(h.targets[0]!.score, 5);
    }
    expect(compare(half(both.inputGradient!, 0), half(both.inputGradient!, 1)).maxAbs).toBeGreaterThan(1e-6);
  });

  it('top-1 targets get their seed in the graph: one run, the same as the explicit classes (negation too)', async () => {
    const x2 = { data: x.data.map((v) => -v), shape: x.shape };
    const xb = concatBatch([x, x2]);
    const req = { layers: ['layer4'], gradients: true, inputGradient: true } as const;
    const runs = rt.counts.runs;
    const top = await model.capture(xb, { ...req, targets: [{ kind: 'class' }, { kind: 'class', negate: true }] });
    expect(rt.counts.runs - runs).toBe(1);
    const [c0, c1] = top.targets.map((t) => t.classIndex!) as [number, number];
    const explicit = await model.capture(xb, {
      ...req,
      targets: [classTarget(c0), { kind: 'class', index: c1, negate: true }],
    });
    expect(compare(top.inputGradient!.data, explicit.inputGradient!.data).maxAbs).toBe(0);
    expect(compare(top.gradients.get('layer4')!.data, explicit.gradients.get('layer4')!.data).maxAbs).toBe(0);
    expect(top.targets.map((t) => t.score)).toEqual(explicit.targets.map((t) => t.score));
    expect(top.targets[1]!.score).toBeLessThan(0);
    // softmax targets need the logits first: a forward, then the derived model
    const before = rt.counts.runs;
    await model.capture(x, { ...req, targets: [{ kind: 'softmax' }] });
    expect(rt.counts.runs - before).toBe(2);
  });

  it('FinerCAM targets get their seed in the graph: one run, the seed core resolves (top-1, a class, negation)', async () => {
    const x2 = { data: x.data.map((v) => -v), shape: x.shape };
    const xb = concatBatch([x, x2]);
    const req = { layers: ['layer4'], gradients: true, inputGradient: true } as const;
    const cases: [string, Target[]][] = [
      ['top-1', [finerTarget(), { ...finerTarget(), negate: true }]],
      [
        'class 3, alpha 0.5, ranks 1, 4',
        [finerTarget(3, { alpha: 0.5, ranks: [1, 4] }), finerTarget(7, { alpha: 0.5, ranks: [1, 4] })],
      ],
    ];
    for (const [name, targets] of cases) {
      const runs = rt.counts.runs;
      const inGraph = await model.capture(xb, { ...req, targets });
      expect(rt.counts.runs - runs, name).toBe(1);
      // the same capture with the seeds core resolves on the logits, fed as seed vectors
      const explicit = await model.capture(xb, { ...req, targets: inGraph.targets.map((t) => seedTarget(t.seed)) });
      const close = (a: Tensor, b: Tensor) => {
        const c = compare(a.data, b.data);
        return c.maxAbs / Math.max(...Array.from(b.data, Math.abs));
      };
      expect(close(inGraph.inputGradient!, explicit.inputGradient!), name).toBeLessThan(1e-5);
      expect(close(inGraph.gradients.get('layer4')!, explicit.gradients.get('layer4')!), name).toBeLessThan(1e-5);
      if (name !== 'top-1') expect(inGraph.targets.map((t) => t.classIndex)).toEqual([3, 7]);
    }
  });

  it('run-from-layer: layer4 tail is GAP → Gemm (closed form), a mid-block cut feeds the shortcut as an extra input', async () => {
    const hook = await model.capture(x, {
      layers: ['layer4', 'layer4.1.relu'],
      gradients: false,
      inputGradient: false,
      targets: [{ kind: 'class' }],
    });
    const A = hook.activations.get('layer4')!;
    const C = 64,
      hw = 4;
    // K copies, copy k with channel k zeroed (Ablation-CAM style)
    const K = 5;
    const Ab = concatBatch(
      Array.from({ length: K }, (_, k) => ({
        data: A.data.map((v, i) => (Math.floor(i / hw) === k ? 0 : v)),
        shape: A.shape,
      })),
    );
    const tail = await model.runFromLayer(x, 'layer4', Ab);
    const W = model.head!.weights.data;
    const g0 = gapOf(A);
    for (let k = 0; k < K; k++) {
      for (let c = 0; c < 10; c++) {
        const want = hook.logits.data[c]! - W[c * C + k]! * g0[k]!;
        expect(Math.abs(tail.data[k * 10 + c]! - want)).toBeLessThan(1e-5);
      }
    }
    const mid = await model.runFromLayer(x, 'layer4.1.relu', hook.activations.get('layer4.1.relu')!);
    expect(compare(mid.data, hook.logits.data).maxAbs).toBeLessThan(1e-5);
    const zeroed = await model.runFromLayer(x, 'layer4.1.relu', {
      data: new Float32Array(A.data.length),
      shape: A.shape,
    });
    expect(compare(zeroed.data, hook.logits.data).maxAbs).toBeGreaterThan(1e-4);
  });

  it('caches derived sessions per request and releases the least recently used beyond cacheSize', async () => {
    const req = (layers: string[], g: boolean, ig: boolean) =>
      model.capture(x, { layers, gradients: g, inputGradient: ig, targets: [classTarget(1)] });
    await model.dispose();
    model = await createOnnxBackend({ ort: rt.ort, cacheSize: 3 }).load(fixtureBytes('resnet18'));
    const before = { ...rt.counts };
    await req(['layer4'], true, false);
    await req(['layer4'], true, false);
    expect(rt.counts.created - before.created).toBe(1);
    expect(model.cache.size).toBe(1);
    await req(['layer3'], true, false);
    await req([], false, true);
    await req(['layer4'], true, true);
    expect(model.cache.size).toBe(3);
    await new Promise((r) => setTimeout(r, 10));
    expect(rt.counts.released - before.released).toBe(1);
    await model.dispose();
    expect(rt.counts.released - before.released).toBe(4); // 1 evicted + 3 cached
    model = await createOnnxBackend({ ort: rt.ort }).load(fixtureBytes('resnet18'));
  });
});

describe('the backward pass is pruned to the request', () => {
  it('Grad-CAM at layer4 emits no conv gradient for earlier layers and no input gradient', async () => {
    const model = await createOnnxBackend({ ort: runtimes.node }).load(fixtureBytes('resnet18'));
    try {
      const parts = (
        model as unknown as {
          parts: Parameters<typeof buildBackward> extends [infer G, infer F, infer R, unknown]
            ? { graph: G; facts: F; rules: R; maskByMultiply: boolean }
            : never;
        }
      ).parts;
      const count = (m: ReturnType<typeof buildBackward>, op: string) =>
        m.model.graph!.node!.filter((n) => n.opType === op && n.name?.startsWith('gradscope/')).length;
      const cam = buildBackward(parts.graph, parts.facts, parts.rules, {
        layers: [model.tensorFor('layer4')],
        gradients: true,
        inputGradient: false,
        reluMode: 'standard',
      });
      const cam3 = buildBackward(parts.graph, parts.facts, parts.rules, {
        layers: [model.tensorFor('layer3')],
        gradients: true,
        inputGradient: false,
        reluMode: 'standard',
      });
      const full = buildBackward(parts.graph, parts.facts, parts.rules, {
        layers: [],
        gradients: false,
        inputGradient: true,
        reluMode: 'standard',
      });
      const convGrads = (m: ReturnType<typeof buildBackward>) => count(m, 'Conv') + count(m, 'ConvTranspose');
      expect(convGrads(cam)).toBe(0);
      expect(cam.inputGradient).toBeNull();
      expect(convGrads(cam3)).toBe(5); // layer4: 2 blocks × 2 convs + the downsample shortcut
      expect(count(cam3, 'ConvTranspose')).toBe(2); // the strided ones (layer4.0.conv1, downsample); stride 1 → Conv
      expect(convGrads(full)).toBe(20);
      expect(count(full, 'ConvTranspose')).toBe(6); // layer2–4: .0.conv1 and the downsample
      expect(count(full, 'DepthToSpace')).toBe(1); // the stem conv1 (3 input channels) in polyphase form
      expect(count(full, 'ScatterElements')).toBe(1);
      expect(full.stats.opset).toBe(16); // the opset-11 model is upgraded for ScatterElements(add)
      expect(cam.stats.opset).toBe(11);
      expect(cam.stats.backwardNodes).toBeLessThan(full.stats.backwardNodes / 5);
      // deconvnet reads no ReLU mask: no Greater, and nothing else that no output needs
      const deconv = buildBackward(parts.graph, parts.facts, parts.rules, {
        layers: [],
        gradients: false,
        inputGradient: true,
        reluMode: 'deconvnet',
      });
      expect(count(deconv, 'Greater')).toBe(0);
      expect(count(full, 'Greater')).toBe(17); // one per ReLU in standard mode
      expect(count(full, 'Where')).toBe(17);
      // onnxruntime-node applies the masks by multiplication (its Where is slow)
      const byMul = buildBackward(parts.graph, parts.facts, parts.rules, {
        layers: [],
        gradients: false,
        inputGradient: true,
        reluMode: 'standard',
        maskByMultiply: true,
      });
      expect([count(byMul, 'Where'), count(byMul, 'Cast'), count(byMul, 'Greater')]).toEqual([0, 17, 17]);
      expect(parts.maskByMultiply).toBe(true); // loaded on onnxruntime-node
      const consumed = new Set(deconv.model.graph!.node!.flatMap((n) => n.input ?? []));
      const outs = new Set(deconv.model.graph!.output!.map((o) => o.name));
      expect(
        deconv.model.graph!.node!.filter(
          (n) => n.name?.startsWith('gradscope/') && !(n.output ?? []).some((o) => consumed.has(o) || outs.has(o)),
        ),
      ).toEqual([]);
    } finally {
      await model.dispose();
    }
  });
});

describe('top-1 seeds through a linear head gather one weight row', () => {
  const heads: Array<[string, (g: TinyGraph, feat: string) => string]> = [
    [
      'Gemm transB = 1 (nn.Linear)',
      (g, a) =>
        g.op(
          'Gemm',
          [
            a,
            g.f(
              Array.from({ length: 5 * 6 }, (_, i) => Math.sin(i)),
              [5, 6],
            ),
            g.f([0.1, 0.2, 0.3, 0.4, 0.5], [5]),
          ],
          { transB: 1 },
        ),
    ],
    [
      'Gemm transB = 0, alpha 2.5',
      (g, a) =>
        g.op(
          'Gemm',
          [
            a,
            g.f(
              Array.from({ length: 6 * 5 }, (_, i) => Math.cos(i)),
              [6, 5],
            ),
          ],
          { alpha: { float: 2.5 } },
        ),
    ],
    [
      'MatMul',
      (g, a) =>
        g.op('MatMul', [
          a,
          g.f(
            Array.from({ length: 6 * 5 }, (_, i) => Math.sin(3 * i)),
            [6, 5],
          ),
        ]),
    ],
  ];
  for (const [name, head] of heads) {
    it(`${name}: the same gradients as the explicit class`, async () => {
      const { TinyGraph } = await import('./tiny-model.js');
      const g = new TinyGraph([2, 2, 4, 4]);
      const conv = g.op('Relu', [
        g.op('Conv', [g.x, g.f(TinyGraph.random(6 * 2 * 9, 7), [6, 2, 3, 3])], { pads: [1, 1, 1, 1] }),
      ]);
      const feat = g.op('Flatten', [g.op('GlobalAveragePool', [conv])], { axis: 1 });
      const model = await createOnnxBackend({ ort: runtimes.node }).load(g.bytes(head(g, feat), { flatten: false }));
      try {
        const x = { data: Float32Array.from(TinyGraph.random(64, 9)), shape: [2, 2, 4, 4] };
        const req = { layers: [model.layers[0]!.name], gradients: true, inputGradient: true } as const;
        const top = await model.capture(x, { ...req, targets: [{ kind: 'class' }, { kind: 'class', negate: true }] });
        const [c0, c1] = top.targets.map((t) => t.classIndex!) as [number, number];
        const explicit = await model.capture(x, {
          ...req,
          targets: [classTarget(c0), { kind: 'class', index: c1, negate: true }],
        });
        expect(compare(top.inputGradient!.data, explicit.inputGradient!.data).maxAbs).toBeLessThan(1e-6);
        expect(
          compare(top.gradients.get(req.layers[0])!.data, explicit.gradients.get(req.layers[0])!.data).maxAbs,
        ).toBeLessThan(1e-6);
        expect(Math.max(...top.inputGradient!.data.map(Math.abs))).toBeGreaterThan(1e-3);
      } finally {
        await model.dispose();
      }
    });
  }
});

describe('GlobalMaxPool routes each channel to its first maximum (torch adaptive_max_pool2d)', () => {
  it('ties — a constant channel, repeated maxima — give one element the gradient', async () => {
    const { TinyGraph } = await import('./tiny-model.js');
    const g = new TinyGraph([1, 2, 3, 3]);
    const model = await createOnnxBackend({ ort: runtimes.node }).load(g.bytes(g.op('GlobalMaxPool', [g.x])));
    try {
      // channel 0 constant; channel 1 has its maximum 3 at flat positions 1, 2 and 4
      const x = { data: Float32Array.from([...Array(9).fill(0.5), 1, 3, 3, 0, 3, 1, 2, 2, 2]), shape: [1, 2, 3, 3] };
      const hook = await model.capture(x, {
        layers: [],
        gradients: false,
        inputGradient: true,
        targets: [seedTarget([2, -1])],
      });
      // torch: adaptive_max_pool2d(x, 1) backward puts d score / d y at the first maximum of each channel
      expect([...hook.inputGradient!.data]).toEqual([2, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0]);
    } finally {
      await model.dispose();
    }
  });
});

describe('a model with a fixed batch of one', () => {
  it('runs a batch image by image: forward and capture equal single-image calls', async () => {
    const { TinyGraph } = await import('./tiny-model.js');
    const g = new TinyGraph([1, 2, 5, 5]);
    const conv = g.op('Relu', [
      g.op('Conv', [g.x, g.f(TinyGraph.random(36, 4), [2, 2, 3, 3])], { pads: [1, 1, 1, 1] }),
    ]);
    const model = await createOnnxBackend({ ort: runtimes.node }).load(
      g.bytes(g.op('MaxPool', [conv], { kernel_shape: [2, 2], strides: [2, 2] })),
    );
    try {
      expect(model.input.shape[0]).toBe(1);
      const a = { data: Float32Array.from(TinyGraph.random(50, 1)), shape: [1, 2, 5, 5] };
      const b = { data: Float32Array.from(TinyGraph.random(50, 2)), shape: [1, 2, 5, 5] };
      const ab = concatBatch([a, b]);
      const y = await model.forward(ab);
      expect(y.shape).toEqual([2, 8]);
      expect(compare(y.data.subarray(8), (await model.forward(b)).data).maxAbs).toBe(0);
      const layer = model.layers.find((l) => l.type === 'Relu')!.name;
      const req = { layers: [layer], gradients: true, inputGradient: true } as const;
      const both = await model.capture(ab, { ...req, targets: [classTarget(1), classTarget(5)] });
      const second = await model.capture(b, { ...req, targets: [classTarget(5)] });
      expect(both.inputGradient!.shape).toEqual([2, 2, 5, 5]);
      expect(compare(both.inputGradient!.data.subarray(50), second.inputGradient!.data).maxAbs).toBe(0);
      expect(compare(both.gradients.get(layer)!.data.subarray(50), second.gradients.get(layer)!.data).maxAbs).toBe(0);
      expect(both.targets.map((t) => t.classIndex)).toEqual([1, 5]);
    } finally {
      await model.dispose();
    }
  });
});

describe('concurrent calls', () => {
  it('overlapping forwards and captures on onnxruntime-web are serialised and correct', async () => {
    const model = await createOnnxBackend({ ort: runtimes.web }).load(fixtureBytes('resnet18'));
    try {
      const x = npy('resnet18', 'input.npy');
      const req = { layers: ['layer4'], gradients: true, inputGradient: true, targets: [{ kind: 'class' as const }] };
      const [y1, y2, h1, h2] = await Promise.all([
        model.forward(x),
        model.forward(x),
        model.capture(x, req),
        model.capture(x, req),
      ]);
      expect(compare(y1.data, npy('resnet18', 'logits.npy').data).maxAbs).toBeLessThan(1e-4);
      expect(compare(y1.data, y2.data).maxAbs).toBe(0);
      expect(compare(h1.inputGradient!.data, h2.inputGradient!.data).maxAbs).toBe(0);
      expect(compare(h1.inputGradient!.data, npy('resnet18', 'saliency.npy').data).cos).toBeGreaterThan(0.9999);
    } finally {
      await model.dispose();
    }
  });
});

describe('a final Softmax', () => {
  it('is stripped: forward returns logits and gradients are taken from them', async () => {
    const { TinyGraph } = await import('./tiny-model.js');
    const make = (softmax: boolean) => {
      const g = new TinyGraph([1, 2, 4, 4]);
      const feat = g.op('Flatten', [
        g.op('GlobalAveragePool', [
          g.op('Relu', [g.op('Conv', [g.x, g.f(TinyGraph.random(36, 3), [2, 2, 3, 3])], { pads: [1, 1, 1, 1] })]),
        ]),
      ]);
      const logits = g.op('Gemm', [feat, g.f(TinyGraph.random(10, 5), [5, 2])], { transB: 1 });
      return g.bytes(softmax ? g.op('Softmax', [logits], { axis: 1 }) : logits, { flatten: false });
    };
    const backend = createOnnxBackend({ ort: runtimes.node });
    const [withSoftmax, plain] = await Promise.all([backend.load(make(true)), backend.load(make(false))]);
    try {
      const x = { data: Float32Array.from(TinyGraph.random(32, 9)), shape: [1, 2, 4, 4] };
      const a = await withSoftmax.forward(x);
      const b = await plain.forward(x);
      expect(compare(a.data, b.data).maxAbs).toBe(0);
      expect(a.data.reduce((s, v) => s + v, 0)).not.toBeCloseTo(1, 2);
      expect(withSoftmax.head?.weights.shape).toEqual([5, 2]);
      const req = { layers: [], gradients: false, inputGradient: true, targets: [classTarget(2)] };
      expect(
        compare(
          (await withSoftmax.capture(x, req)).inputGradient!.data,
          (await plain.capture(x, req)).inputGradient!.data,
        ).maxAbs,
      ).toBe(0);
    } finally {
      await withSoftmax.dispose();
      await plain.dispose();
    }
  });
});
