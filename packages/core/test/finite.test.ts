import { describe, expect, it } from 'vitest';
import {
  checkInput,
  createGradscope,
  decodeNpy,
  defineMethod,
  encodeNpy,
  firstNonFinite,
  guardFinite,
  isGradscopeError,
  resolveLayers,
  NonFiniteError,
  UnusableLayerError,
  type LayerHook,
  type Model,
  type Tensor,
} from '../src/index.js';

const t = (values: number[], shape = [values.length]): Tensor => ({ data: Float32Array.from(values), shape });

/** A model whose forward/capture return the given tensors (4 classes, one 2×2 conv layer). */
function model(logits: Tensor, activation: Tensor, gradient: Tensor): Model {
  return {
    backend: 'fake',
    name: 'fake',
    numClasses: 4,
    layers: [
      { name: 'x', type: 'InputLayer', outputShape: [-1, 2, 2, 1], spatial: { height: 2, width: 2, channels: 1 } },
      { name: 'conv', type: 'Conv2D', outputShape: [-1, 1, 2, 2], spatial: { height: 2, width: 2, channels: 1 } },
    ],
    capabilities: new Set(['activations', 'layer-gradients']),
    input: { name: 'x', shape: [1, 2, 2, 1], layout: 'NHWC', height: 2, width: 2, channels: 1 },
    forward: async () => logits,
    capture: async (): Promise<LayerHook> => ({
      logits,
      targets: [],
      activations: new Map([['conv', activation]]),
      gradients: new Map([['conv', gradient]]),
      dispose: () => undefined,
    }),
    dispose: () => undefined,
  };
}

/** Returns activation × gradient as the map (a CAM-shaped method that trusts its inputs). */
const product = defineMethod({
  id: 'product',
  title: 'Product',
  description: 'activation times gradient',
  space: 'layer',
  usesLayers: true,
  requires: ['activations', 'layer-gradients'],
  options: {},
  async explain(ctx) {
    const h = await ctx.model.capture(ctx.input, {
      layers: ctx.layers,
      gradients: true,
      inputGradient: false,
      targets: [ctx.target],
    });
    const a = h.activations.get(ctx.layers[0]!)!.data;
    const g = h.gradients.get(ctx.layers[0]!)!.data;
    const m = a.map((v, i) => v * g[i]!);
    return {
      map: { data: m, shape: [2, 2] },
      raw: { data: m, shape: [2, 2] },
      target: { kind: 'class', classIndex: 0, negate: false, score: 0, seed: new Float32Array(4) },
    };
  },
});

const x = t([0, 0, 0, 0], [1, 2, 2, 1]);
const ok = t([1, 2, 3, 4], [1, 1, 2, 2]);

async function run(m: Model): Promise<unknown> {
  const gs = createGradscope({ methods: [product] });
  try {
    return await gs.explain(m, x, { method: 'product', layer: 'conv' });
  } catch (e) {
    return e;
  } finally {
    await gs.dispose();
  }
}

describe('non-finite values are a typed error naming the tensor and the layer', () => {
  it('finds the first NaN or ±∞, and only those', () => {
    expect(firstNonFinite(new Float32Array([1, 3e38, -3e38, 0]))).toBe(-1);
    expect(firstNonFinite([0, 1, 2, 3, 4, NaN])).toBe(5);
    expect(firstNonFinite([0, -Infinity, NaN])).toBe(1);
  });

  it('NaN logits', async () => {
    const e = await run(model(t([0, NaN, 1, 2], [1, 4]), ok, ok));
    expect(isGradscopeError(e, 'non-finite')).toBe(true);
    expect((e as NonFiniteError).tensor).toBe('logits');
    expect((e as Error).message).toMatch(/logits of layer '\(model output\)'.*NaN.*index 1/);
  });

  it('an infinite activation and a NaN gradient name the layer', async () => {
    const e1 = await run(model(t([0, 1, 2, 3], [1, 4]), t([1, Infinity, 0, 0], [1, 1, 2, 2]), ok));
    expect(e1).toBeInstanceOf(NonFiniteError);
    expect((e1 as Error).message).toMatch(/activation of layer 'conv'.*Infinity/);
    const e2 = await run(model(t([0, 1, 2, 3], [1, 4]), ok, t([1, 1, NaN, 0], [1, 1, 2, 2])));
    expect((e2 as Error).message).toMatch(/gradient of layer 'conv'.*NaN.*index 2/);
  });

  it('a map that overflows to ∞ from finite but extreme values', async () => {
    const big = t([3e38, 3e38, 1, 1], [1, 1, 2, 2]);
    const e = await run(model(t([0, 1, 2, 3], [1, 4]), big, big));
    expect((e as Error).message).toMatch(/map of layer 'conv'.*Infinity/);
  });

  it('finite results pass through; guardFinite keeps the model otherwise intact', async () => {
    const r = (await run(model(t([0, 1, 2, 3], [1, 4]), ok, ok))) as { map: Tensor };
    expect(Array.from(r.map.data)).toEqual([1, 4, 9, 16]);
    const m = model(t([NaN, 0, 0, 0], [1, 4]), ok, ok);
    const g = guardFinite(m);
    expect(g.name).toBe('fake');
    expect(g.runFromLayer).toBeUndefined();
    await expect(g.forward(x)).rejects.toThrow(NonFiniteError);
  });
});

describe("a runtime's own error", () => {
  it('is a typed RuntimeFailedError naming the backend and the call, with the original as cause', async () => {
    const m = model(ok, ok, ok);
    const raw = new Error('Got invalid dimensions for input: input\n index: 0 Got: 1 Expected: 2');
    const failing = { ...m, capture: async () => Promise.reject(raw) };
    const e = await run(failing);
    expect(isGradscopeError(e, 'runtime-failed')).toBe(true);
    expect((e as Error).message).toBe(
      "backend 'fake' could not run the model (capture): Got invalid dimensions for input: input",
    );
    expect((e as Error).cause).toBe(raw);
  });
});

describe('a model whose batch is fixed to another size', () => {
  it('is a typed shape error before the runtime sees the input', () => {
    const m = model(ok, ok, ok);
    const seven = { ...m, input: { ...m.input, shape: [7, 2, 2, 1] } };
    expect(() => checkInput(seven, x)).toThrow('input has shape [1, 2, 2, 1], expected [7, 2, 2, 1]');
    expect(() => checkInput(m, x)).not.toThrow();
  });
});

describe('the input is not a layer to explain at', () => {
  it('refuses the InputLayer by name', () => {
    const m = model(ok, ok, ok);
    expect(() => resolveLayers(m, 'x')).toThrow(UnusableLayerError);
    expect(() => resolveLayers(m, 'x')).toThrow(/'x' is the model's input.*usable layers: conv/);
    expect(resolveLayers(m, 'conv')).toEqual(['conv']);
  });
});

/** A .npy file with `header` as its header dict (padded as numpy does) and `body` after it. */
function npy(header: string, body = new Uint8Array(0)): Uint8Array {
  const pad = 64 - ((10 + header.length + 1) % 64);
  const h = header + ' '.repeat(pad % 64) + '\n';
  const out = new Uint8Array(10 + h.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 0xff, h.length >> 8]);
  for (let i = 0; i < h.length; i++) out[10 + i] = h.charCodeAt(i);
  out.set(body, 10 + h.length);
  return out;
}

describe('decodeNpy parses headers strictly', () => {
  const body = new Uint8Array(16);
  it.each([
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (4,), GARBAGE}", /malformed header near 'GARBAGE/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (4,), 'extra': 1, }", /malformed header/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (4,), 'descr': '<f4', }", /repeated key 'descr'/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (-4,), }", /negative dimension -4/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (2.5,), }", /'2.5' is not a non-negative integer/],
    ["{'descr': '<f4', 'fortran_order': Maybe, 'shape': (4,), }", /malformed header/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", /4 unexpected bytes after the data/],
  ])('%s', (header, message) => {
    const e = (() => {
      try {
        decodeNpy(npy(header, body));
      } catch (err) {
        return err;
      }
    })();
    expect(isGradscopeError(e, 'bad-input')).toBe(true);
    expect((e as Error).message).toMatch(message);
  });

  it('still reads what numpy writes, in any key order', () => {
    const v = Float32Array.from([1, 2, 3, 4]);
    expect(decodeNpy(encodeNpy({ data: v, shape: [2, 2] }))).toEqual({ data: v, shape: [2, 2] });
    const r = decodeNpy(npy("{'shape': (4,), 'fortran_order': False, 'descr': '<f4'}", new Uint8Array(v.buffer)));
    expect(Array.from(r.data)).toEqual([1, 2, 3, 4]);
  });
});
