import { readFile } from 'node:fs/promises';
import {
  defineMethod,
  resolveTarget,
  type Backend,
  type Capability,
  type LayerInfo,
  type Model,
  type Tensor,
} from '@gradscope/core';
import type { CliIo, Wiring } from '../src/index.js';

/**
 * A wiring with a fake backend whose "model file" is JSON `{ fake: true, classes: n, size: s }`, with
 * logits `y_k = Σ_pixels x[…, k mod 3]`, and two tiny methods; the renderer returns fixed pictures.
 * It exercises the CLI's plumbing (flags, errors, staging) without a runtime.
 */
const layer = (name: string, type: string, h: number, c = 4): LayerInfo => ({
  name,
  type,
  outputShape: h ? [-1, h, h, c] : [-1, c],
  spatial: h ? { height: h, width: h, channels: c } : null,
});

export const live = { models: 0 };

function fakeModel(n: number, size: number): Model {
  live.models++;
  const forward = async (x: Tensor): Promise<Tensor> => {
    const out = new Float32Array(n);
    for (let i = 0; i < x.data.length; i++) out[(i % 3) % n] += x.data[i]!;
    for (let k = 3; k < n; k++) out[k] = -k;
    return { data: out, shape: [1, n] };
  };
  return {
    backend: 'fake',
    name: 'fake-net',
    numClasses: n,
    capabilities: new Set<Capability>(['activations', 'input-gradients']),
    input: { name: 'x', shape: [-1, size, size, 3], layout: 'NHWC', height: size, width: size, channels: 3 },
    layers: [
      layer('input', 'InputLayer', size, 3),
      layer('conv1', 'Conv2D', size),
      layer('conv2', 'Conv2D', size / 2),
      layer('gap', 'GlobalAveragePooling2D', 0),
      layer('fc', 'Dense', 0, n),
    ],
    forward,
    capture: async () => {
      throw new Error('not used');
    },
    dispose: () => {
      live.models--;
    },
  };
}

export const fakeBackend: Backend = {
  id: 'fake',
  capabilities: new Set<Capability>(['activations', 'input-gradients']),
  async load(source) {
    const j = JSON.parse(await readFile(source as string, 'utf8')) as { fake?: boolean; classes: number; size: number };
    if (!j.fake) throw new Error('not a fake model');
    return fakeModel(j.classes, j.size);
  },
};

/** Layer-space: map[i] = gain·(i / (H·W)), raw = layer-sized ones; records which layers it got. */
export const ramp = defineMethod<{ gain: number; mode: string }>({
  id: 'ramp',
  title: 'Ramp',
  description: 'a ramp',
  space: 'layer',
  usesLayers: true,
  requires: ['activations'],
  options: {
    gain: { type: 'number', default: 1, min: 0, max: 1, description: 'gain' },
    mode: { type: 'enum', default: 'a', values: ['a', 'b'], description: 'mode' },
  },
  async explain(ctx, o) {
    const { height: H, width: W } = ctx.model.input;
    const map = Float32Array.from({ length: H * W }, (_, i) => (o.gain * i) / (H * W));
    const logits = await ctx.model.forward(ctx.input);
    return {
      map: { data: map, shape: [H, W] },
      raw: { data: new Float32Array(4).fill(2), shape: [2, 2] },
      target: resolveTarget(ctx.target, logits.data),
    };
  },
});

/** Input-space: the attribution is the input itself. */
export const echo = defineMethod<{ flip: boolean }>({
  id: 'echo',
  title: 'Echo',
  description: 'the input',
  space: 'input',
  usesLayers: false,
  requires: ['input-gradients'],
  options: { flip: { type: 'boolean', default: false, description: 'negate' } },
  async explain(ctx, o) {
    const logits = await ctx.model.forward(ctx.input);
    const raw = { data: ctx.input.data.map((v) => (o.flip ? -v : v)), shape: ctx.input.shape };
    return {
      map: {
        data: new Float32Array(ctx.model.input.height * ctx.model.input.width),
        shape: [ctx.model.input.height, ctx.model.input.width],
      },
      raw,
      target: resolveTarget(ctx.target, logits.data),
    };
  },
});

/** Needs a capability the fake backend lacks. */
export const trainer = defineMethod({
  id: 'trainer',
  title: 'Trainer',
  description: 'needs training',
  space: 'layer',
  usesLayers: true,
  requires: ['training'],
  options: {},
  async explain() {
    throw new Error('never called');
  },
});

/** Fails while running (after other methods may have written files). */
export const boom = defineMethod({
  id: 'boom',
  title: 'Boom',
  description: 'fails halfway',
  space: 'layer',
  usesLayers: false,
  requires: [],
  options: {},
  async explain() {
    throw new RangeError('kaboom\nsecond line');
  },
});

const img = (w: number, h: number) => ({
  data: new Uint8Array(w * h * 4).fill(128),
  width: w,
  height: h,
  channels: 4 as const,
});

export const fakeWiring: Wiring = {
  backends: [fakeBackend],
  methods: [ramp, echo, trainer, boom],
  render: {
    overlay: (image) => image,
    attribution: (raw, layout) =>
      img(layout === 'NHWC' ? raw.shape[2]! : raw.shape[3]!, layout === 'NHWC' ? raw.shape[1]! : raw.shape[2]!),
    grid: (cols, rows) => img(cols.length, rows.length),
    encodePng: (image) => new TextEncoder().encode(`PNG ${image.width}x${image.height}`),
  },
  demo: async () => {
    throw new Error('no demo');
  },
  versions: () => ({ node: process.versions.node }),
};

/** An in-memory CliIo. */
export function memoryIo(cwd: string, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    env,
    cwd,
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}
