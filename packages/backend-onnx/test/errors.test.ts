import { describe, expect, it } from 'vitest';
import { isGradscopeError, type ErrorCode } from '@gradscope/core';
import { createOnnxBackend, defineGradRule } from '../src/index.js';
import { createOnnxBackend as createNodeBackend } from '../src/node.js';
import { decodeModel, encodeModel } from '@gradscope/onnx-proto';
import { gradientVsFiniteDifference, gridInput } from './finite-difference.js';
import { FIXTURES, fixtureBytes, npy, runtimes } from './helpers.js';
import { TinyGraph } from './tiny-model.js';

async function codeOf(f: () => unknown): Promise<{ code: ErrorCode | undefined; message: string }> {
  try {
    await f();
  } catch (e) {
    expect(isGradscopeError(e), String(e)).toBe(true);
    const message = (e as Error).message;
    expect(message.includes('\n'), 'one-line message').toBe(false);
    return { code: (e as { code: ErrorCode }).code, message };
  }
  throw new Error('expected an error');
}

const backend = () => createOnnxBackend({ ort: runtimes.node });
const sinModel = () => {
  const g = new TinyGraph([1, 2, 3, 3]);
  return g.bytes(
    g.op('Sin', [g.op('Conv', [g.x, g.f(TinyGraph.random(36, 2), [2, 2, 3, 3])], { pads: [1, 1, 1, 1] })]),
  );
};

describe('typed errors with one-line messages', () => {
  it('bytes that are not ONNX, or a truncated file: ModelLoadError', async () => {
    expect(
      await codeOf(() => backend().load(new TextEncoder().encode('this is not an onnx model at all'))),
    ).toMatchObject({ code: 'model-load' });
    const bytes = fixtureBytes('squeezenet');
    const r = await codeOf(() => backend().load(bytes.subarray(0, bytes.length >> 1)));
    expect(r.code).toBe('model-load');
    expect(r.message).toMatch(/truncated|not an ONNX/);
  });

  it('a network without a spatial layer: ModelLoadError', async () => {
    const g = new TinyGraph([1, 4, 1, 1]);
    const r = await codeOf(() => backend().load(g.bytes(g.op('Relu', [g.x]))));
    expect(r).toMatchObject({ code: 'model-load' });
    expect(r.message).toMatch(/spatial/);
  });

  it('a dynamic input size needs inputSize; a size the network cannot take fails the probe', async () => {
    const m = decodeModel(fixtureBytes('resnet18'));
    const dims = m.graph!.input![0]!.type!.tensorType!.shape!.dim!;
    dims[2] = { dimParam: 'H' };
    dims[3] = { dimParam: 'W' };
    const bytes = encodeModel(m);
    expect((await codeOf(() => backend().load(bytes))).message).toMatch(/dynamic height\/width; pass inputSize/);
    // a fixed Reshape that only fits 3×3 inputs: the probe at 4×4 fails
    const g = new TinyGraph([1, 2, 3, 3]);
    const fixed = decodeModel(g.bytes(g.op('Reshape', [g.op('Relu', [g.x]), g.i64([1, 18])])));
    const fd = fixed.graph!.input![0]!.type!.tensorType!.shape!.dim!;
    fd[2] = { dimParam: 'H' };
    fd[3] = { dimParam: 'W' };
    const bad = await codeOf(() => backend().load(encodeModel(fixed), { inputSize: { height: 4, width: 4 } }));
    expect(bad.code).toBe('model-load');
    expect(bad.message).toMatch(/shape probe with input \[1, 2, 4, 4\] failed/);
    const ok = await backend().load(bytes, { inputSize: { height: 64, width: 64 } });
    expect(ok.input.shape).toEqual([-1, 3, 64, 64]);
    await ok.dispose();
  });

  it('input of the wrong shape: BadInputShapeError; unknown layer; wrong target count', async () => {
    const model = await backend().load(fixtureBytes('squeezenet'));
    try {
      const r = await codeOf(() => model.forward({ data: new Float32Array(3 * 32 * 32), shape: [1, 3, 32, 32] }));
      expect(r).toMatchObject({ code: 'bad-input-shape' });
      expect(r.message).toBe('input has shape [1, 3, 32, 32], expected [N, 3, 64, 64]');
      expect(
        (
          await codeOf(() =>
            model.capture(
              { data: new Float32Array(3 * 64 * 64), shape: [3, 64, 64] },
              { layers: [], gradients: false, inputGradient: true, targets: [{ kind: 'class' }] },
            ),
          )
        ).code,
      ).toBe('bad-input-shape');
      const x = npy('squeezenet', 'input.npy');
      expect(
        (
          await codeOf(() =>
            model.capture(x, {
              layers: ['features.99'],
              gradients: true,
              inputGradient: false,
              targets: [{ kind: 'class' }],
            }),
          )
        ).code,
      ).toBe('unknown-layer');
      expect(
        (await codeOf(() => model.capture(x, { layers: [], gradients: false, inputGradient: true, targets: [] }))).code,
      ).toBe('bad-target');
    } finally {
      await model.dispose();
    }
  });

  it('an operator without a rule: UnsupportedOperatorError naming the op, the node and how to add a rule', async () => {
    const model = await backend().load(sinModel());
    const x = gridInput([1, 2, 3, 3]);
    const r = await codeOf(() =>
      model.capture(x, { layers: [], gradients: false, inputGradient: true, targets: [{ kind: 'class' }] }),
    );
    expect(r.code).toBe('unsupported-operator');
    expect(r.message).toMatch(/operator 'Sin' \(node '\/sin_\d+\/Sin'\).*registerGradRule/);
    // activations alone need no rule
    const conv = model.layers.find((l) => l.type === 'Conv')!.name;
    const hook = await model.capture(x, {
      layers: [conv],
      gradients: false,
      inputGradient: false,
      targets: [{ kind: 'class' }],
    });
    expect(hook.activations.size).toBe(1);
    await model.dispose();
  });

  it('a rule that cannot handle a node says why: Resize in linear mode, or by a non-integer factor', async () => {
    for (const [attrs, size, why] of [
      [{ mode: 'linear' }, [1, 2, 6, 6], /only mode 'nearest'/],
      [{ mode: 'nearest' }, [1, 2, 5, 6], /integer factors .*\(3×3 → 5×6/],
    ] as const) {
      const g = new TinyGraph([1, 2, 3, 3]);
      const y = g.op('Conv', [
        g.op('Resize', [g.x, '', '', g.i64([...size])], { ...attrs }),
        g.f(TinyGraph.random(2 * 2 * 9, 5), [2, 2, 3, 3]),
      ]);
      const model = await backend().load(g.bytes(y));
      const r = await codeOf(() =>
        model.capture(gridInput([1, 2, 3, 3]), {
          layers: [],
          gradients: false,
          inputGradient: true,
          targets: [{ kind: 'class' }],
        }),
      );
      expect(r.code).toBe('unsupported-operator');
      expect(r.message).toMatch(/operator 'Resize'/);
      expect(r.message).toMatch(why);
      expect(r.message).not.toMatch(/add one with/);
      await model.dispose();
    }
  });

  it('a third-party rule fixes it (and matches finite differences); a conflicting rule throws', async () => {
    const sinGrad = defineGradRule({
      opType: 'Sin',
      backward: (ctx) => [ctx.op('Mul', [ctx.gradOutput()!, ctx.op('Cos', [ctx.node.inputs[0]!])])],
    });
    const be = createOnnxBackend({ ort: runtimes.node });
    be.registerGradRule(sinGrad);
    be.registerGradRule(sinGrad); // same rule twice: no-op
    expect(be.gradRules()).toContain('Sin');
    expect(() => be.registerGradRule(defineGradRule({ opType: 'Relu', backward: () => [] }))).toThrow(
      /already registered under the id 'Relu'/,
    );
    const ortWithRule = runtimes.node;
    const r = await gradientVsFiniteDifference(ortWithRule, sinModel(), gridInput([1, 2, 3, 3]), {
      h: 4e-3,
      rules: [sinGrad],
    });
    expect(r.ref).toBeGreaterThan(1e-3);
    expect(r.err).toBeLessThan(2e-3 * Math.max(1, r.ref));
  });

  it('an opset-11 MaxPool model whose other ops may change meaning at opset 16: UnsupportedModelError', async () => {
    const g = new TinyGraph([1, 2, 6, 6], 11);
    const bytes = g.bytes(
      g.op('Softmax', [g.op('MaxPool', [g.x], { kernel_shape: [3, 3], strides: [1, 1] })], { axis: 3 }),
    );
    const model = await backend().load(bytes);
    const r = await codeOf(() =>
      model.capture(gridInput([1, 2, 6, 6]), {
        layers: [],
        gradients: false,
        inputGradient: true,
        targets: [{ kind: 'class' }],
      }),
    );
    expect(r.code).toBe('unsupported-model');
    expect(r.message).toMatch(/opset 16.*Softmax/);
    await model.dispose();
  });

  it('paths: the main entry refuses them, the ./node entry reads them', async () => {
    expect((await codeOf(() => backend().load(`${FIXTURES}vgg/model.onnx`))).message).toMatch(/backend-onnx\/node/);
    const nodeBackend = createNodeBackend({ ort: runtimes.node });
    const model = await nodeBackend.load(`${FIXTURES}vgg/model.onnx`);
    expect(model.name).toBe('model');
    await model.dispose();
    const missing = await codeOf(() => nodeBackend.load(`${FIXTURES}nope.onnx`));
    expect(missing).toMatchObject({ code: 'model-load' });
    expect(missing.message).toMatch(/file not found/);
  });
});
