import { describe, expect, it, vi } from 'vitest';
import {
  createGradscope,
  defineMethod,
  isGradscopeError,
  registerBackends,
  registerMethods,
  autoLayer,
  resolveLayers,
  classTarget,
  BadInputError,
  BadInputShapeError,
  BadOptionError,
  BadTargetError,
  DuplicateRegistrationError,
  MissingCapabilityError,
  UnknownBackendError,
  UnknownLayerError,
  UnknownMethodError,
  type Backend,
  type Capability,
  type LayerInfo,
  type Model,
} from '../src/index.js';
// the registry's own tests need raw containers; users get theirs inside createGradscope
import { container } from '../src/di.js';
import { listMethods } from '../src/registry.js';

const layer = (name: string, type: string, h: number, w: number, c = 4): LayerInfo => ({
  name,
  type,
  outputShape: h ? [-1, h, w, c] : [-1, c],
  spatial: h ? { height: h, width: w, channels: c } : null,
});
const LAYERS = [
  layer('input', 'InputLayer', 8, 8, 3),
  layer('conv1', 'Conv2D', 8, 8),
  layer('pool', 'MaxPooling2D', 4, 4),
  layer('conv2', 'Conv2D', 4, 4),
  layer('gap', 'GlobalAveragePooling2D', 0, 0),
  layer('fc', 'Dense', 0, 0, 3),
];

function fakeModel(caps: Capability[]): Model & { capture: ReturnType<typeof vi.fn> } {
  return {
    backend: 'fake',
    name: 'fake',
    numClasses: 3,
    layers: LAYERS,
    capabilities: new Set(caps),
    input: { name: 'x', shape: [-1, 8, 8, 3], layout: 'NHWC', height: 8, width: 8, channels: 3 },
    forward: vi.fn(),
    capture: vi.fn(),
    dispose: vi.fn(),
  };
}

const x0 = () => ({ data: new Float32Array(8 * 8 * 3), shape: [1, 8, 8, 3] });

const echo = defineMethod<{ gain: number }>({
  id: 'echo',
  title: 'Echo',
  description: 'returns a constant map',
  space: 'layer',
  usesLayers: true,
  requires: ['activations', 'layer-gradients'],
  options: { gain: { type: 'number', default: 2, description: 'a gain', min: 0 } },
  async explain(ctx, o) {
    return {
      map: { data: new Float32Array(64).fill(o.gain / 10), shape: [8, 8] },
      raw: { data: new Float32Array(16), shape: [4, 4] },
      target: { kind: 'class', classIndex: 0, negate: false, score: 0, seed: new Float32Array(3) },
    };
  },
});

describe('createGradscope', () => {
  it('registers, lists, resolves by id; same object twice is a no-op, a different one throws', () => {
    const gs = createGradscope({ methods: [echo] });
    gs.register([echo]);
    expect(gs.methods().map((m) => m.id)).toEqual(['echo']);
    expect(gs.method('echo')).toBe(echo);
    expect(() => gs.register([{ ...echo }])).toThrow(DuplicateRegistrationError);
    expect(() => gs.method('nope')).toThrow(UnknownMethodError);
    expect(() => gs.method('nope')).toThrow("unknown method 'nope'; registered methods: echo");
  });
  it('keeps instances apart, registers nothing globally and rejects non-kebab ids', () => {
    const a = createGradscope({ methods: [echo] });
    expect(createGradscope().methods()).toEqual([]);
    expect(listMethods(container)).toEqual([]);
    expect(() => a.register([{ ...echo, id: 'Bad_Id' }])).toThrow(/kebab-case/);
    expect(() => createGradscope({ methods: [echo, { ...echo }] })).toThrow(DuplicateRegistrationError);
  });
  it('lists the methods a model can run', () => {
    const headless = { ...echo, id: 'headless', requires: ['linear-head' as const] };
    const gs = createGradscope({ methods: [echo, headless] });
    expect(gs.runnable(fakeModel(['activations', 'layer-gradients'])).map((m) => m.id)).toEqual(['echo']);
    expect(gs.runnable(fakeModel(['linear-head'])).map((m) => m.id)).toEqual(['headless']);
  });
  it('backends register the same way', () => {
    const be: Backend = { id: 'fake', capabilities: new Set(), load: vi.fn() };
    const gs = createGradscope({ backends: [be, be] });
    expect(gs.backend('fake')).toBe(be);
    expect(gs.backends()).toEqual([be]);
    expect(() => gs.backend('onnx')).toThrow(UnknownBackendError);
    expect(() => createGradscope({ backends: [be, { ...be }] })).toThrow(DuplicateRegistrationError);
  });
  it('refuses every call after dispose(), which may be called twice', async () => {
    const gs = createGradscope({ methods: [echo] });
    await gs.dispose();
    await gs.dispose();
    expect(() => gs.methods()).toThrow(/disposed/);
    expect(() => gs.register([echo])).toThrow(/disposed/);
    await expect(gs.explain(fakeModel([]), x0(), { method: 'echo' })).rejects.toThrow(/disposed/);
  });
});

describe('registry (registerMethods on a container a composition root owns)', () => {
  it("a child container that registers its own methods still sees its parent's", () => {
    const parent = container.createChildContainer();
    registerMethods(parent, [echo]);
    const child = parent.createChildContainer();
    const plugin = { ...echo, id: 'plugin' };
    registerMethods(child, [plugin]);
    expect(listMethods(child).map((m) => m.id)).toEqual(['echo', 'plugin']);
    expect(listMethods(parent).map((m) => m.id)).toEqual(['echo']);
    expect(() => registerMethods(child, [{ ...echo }])).toThrow(DuplicateRegistrationError);
  });
  it('backends register the same way', () => {
    const c = container.createChildContainer();
    const be: Backend = { id: 'fake', capabilities: new Set(), load: vi.fn() };
    registerBackends(c, [be, be]);
    expect(() => registerBackends(c, [{ ...be }])).toThrow(DuplicateRegistrationError);
  });
});

describe('explain: everything is checked before any work', () => {
  const gs = createGradscope({ methods: [echo] });
  const x = x0();

  it('refuses a method whose requirements the backend lacks, without calling it', async () => {
    const m = fakeModel(['activations']);
    const spy = vi.spyOn(echo, 'explain');
    await expect(gs.explain(m, x, { method: 'echo' })).rejects.toThrow(MissingCapabilityError);
    await expect(gs.explain(m, x, { method: 'echo' })).rejects.toThrow(
      "method 'echo' needs layer-gradients, which backend 'fake' does not provide",
    );
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
  it('blames the model, not the backend, for a missing linear head', async () => {
    const gs2 = createGradscope({ methods: [{ ...echo, id: 'headless', requires: ['linear-head'] }] });
    await expect(gs2.explain(fakeModel(['activations']), x, { method: 'headless' })).rejects.toThrow(
      "method 'headless' needs a linear head (conv → global average pooling → one dense layer), which model 'fake' does not have; use gradcam instead",
    );
  });
  it('validates layers, targets, options and input', async () => {
    const m = fakeModel(['activations', 'layer-gradients']);
    await expect(gs.explain(m, x, { method: 'echo', layer: 'conv9' })).rejects.toThrow(UnknownLayerError);
    await expect(gs.explain(m, x, { method: 'echo', layer: 'conv9' })).rejects.toThrow(
      /available layers: input, conv1, pool, conv2, gap, fc/,
    );
    await expect(gs.explain(m, x, { method: 'echo', target: classTarget(3) })).rejects.toThrow(BadTargetError);
    await expect(gs.explain(m, x, { method: 'echo', options: { gain: -1 } })).rejects.toThrow(BadOptionError);
    await expect(gs.explain(m, x, { method: 'echo', options: { nope: 1 } })).rejects.toThrow(/unknown option/);
    await expect(
      gs.explain(m, { data: new Float32Array(64 * 3), shape: [1, 3, 8, 8] }, { method: 'echo' }),
    ).rejects.toThrow(BadInputShapeError);
    const nan = x0();
    nan.data[5] = NaN;
    await expect(gs.explain(m, nan, { method: 'echo' })).rejects.toThrow(BadInputError);
    await expect(gs.explain(m, x, { method: 'nope' })).rejects.toThrow(UnknownMethodError);
  });
  it('fills defaults, resolves auto layer and reports backend and timings', async () => {
    const m = fakeModel(['activations', 'layer-gradients']);
    const e = await gs.explain(m, x, { method: 'echo' });
    expect(e.layers).toEqual(['conv2']);
    expect(e.map.data[0]).toBeCloseTo(0.2, 7);
    expect(e.backend).toBe('fake');
    expect(e.timings.totalMs).toBeGreaterThanOrEqual(0);
    const e2 = await gs.explain(m, x, { method: 'echo', options: { gain: 5 }, layer: ['conv1', 'conv2'] });
    expect(e2.map.data[0]).toBeCloseTo(0.5, 7);
    expect(e2.layers).toEqual(['conv1', 'conv2']);
  });
});

describe('layers', () => {
  it('auto picks the last spatial layer before global pooling', () => {
    expect(autoLayer(LAYERS)?.name).toBe('conv2');
    expect(autoLayer(LAYERS.filter((l) => l.spatial === null))).toBeNull();
    expect(() => resolveLayers({ layers: LAYERS.filter((l) => l.spatial === null) }, 'auto')).toThrow(
      UnknownLayerError,
    );
  });
  it('ignores early poolings (squeeze-and-excitation) and prefers the linear head', () => {
    const se = [
      layer('stem', 'Conv', 16, 16),
      layer('se_pool', 'GlobalAveragePool', 1, 1),
      layer('se_fc', 'Conv', 1, 1),
      layer('block', 'Mul', 8, 8),
      layer('last', 'Relu', 4, 4),
      layer('pool', 'GlobalAveragePool', 1, 1),
      layer('ln_perm', 'Transpose', 1, 32, 1),
      layer('ln_mean', 'ReduceMean', 1, 1),
      layer('fc', 'Gemm', 0, 0, 3),
    ];
    expect(autoLayer(se)?.name).toBe('last');
    const weights = { data: new Float32Array(12), shape: [3, 4] };
    expect(autoLayer(se, { featureLayer: 'block' })?.name).toBe('block');
    expect(resolveLayers({ layers: se, head: { featureLayer: 'block', weights } }, 'auto')).toEqual(['block']);
    expect(autoLayer(se, { featureLayer: 'missing' })?.name).toBe('last');
  });
});

describe('error guards', () => {
  it('recognise errors by code, also from another copy of core', () => {
    const foreign = Object.assign(new Error('x'), { code: 'unknown-layer' });
    expect(isGradscopeError(foreign)).toBe(true);
    expect(isGradscopeError(foreign, 'unknown-layer')).toBe(true);
    expect(isGradscopeError(foreign, 'bad-target')).toBe(false);
    expect(isGradscopeError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(false);
    expect(isGradscopeError({ code: 'unknown-layer' })).toBe(false);
  });
});
