import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { tfjsNodeBackend } from '@gradscope/backend-tfjs/node';
import {
  argmax,
  createGradscope,
  decodeNpy,
  imageToTensor,
  softmax,
  type Explanation,
  tensorToImage,
  type ImagePixels,
  type Model,
  type Tensor,
} from '@gradscope/core';
import { builtinMethods } from '@gradscope/methods';
import { modelSidecarUrl, SAMPLES, sampleName } from '@gradscope/shapes';
import { overlay } from '@gradscope/render';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWiring, main, type Wiring } from '../src/index.js';
import { memoryIo } from './fake-wiring.js';
import { saveTinyModel } from './tiny-tfjs-model.js';

// The real composition (tfjs wasm backend, built-in methods, render) on a tiny seeded model saved by
// the test; every file the CLI writes is compared with a Gradscope's explain called directly.
let dir: string;
let wiring: Wiring;
const NORM = { mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] };
const CAM_METHODS = builtinMethods.filter((m) => m.space === 'layer').map((m) => m.id);
const INPUT_METHODS = builtinMethods.filter((m) => m.space === 'input').map((m) => m.id);
/** Methods whose raw map is at input resolution: Refine-CAM's product of maps, Sobel-CAM's edges. */
const INPUT_RES_RAW = new Set(['refine-cam', 'sobel-cam', 'fullgrad']);

const npy = (file: string) => decodeNpy(new Uint8Array(readFileSync(file)));
const readPng = (file: string): ImagePixels => {
  const p = pngjs.PNG.sync.read(readFileSync(file));
  return { data: new Uint8Array(p.data), width: p.width, height: p.height, channels: 4 };
};

function pattern(w: number, h: number): ImagePixels {
  const data = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set([(i * 37) % 256, (i * 91 + 40) % 256, (i * 13 + 200) % 256, 255], i * 4);
  return { data, width: w, height: h, channels: 4 };
}

async function run(args: string[]) {
  const m = memoryIo(dir);
  const code = await main(args, m.io, wiring);
  return { code, stdout: m.stdout(), stderr: m.stderr() };
}

/** Loads the tiny model with the backend and explains `x` with core directly. */
async function direct<T>(
  f: (model: Model, ex: (method: string, x: Tensor) => Promise<Explanation>) => Promise<T>,
): Promise<T> {
  const gs = createGradscope({ methods: builtinMethods });
  const model = await tfjsNodeBackend.load(join(dir, 'model.json'));
  try {
    return await f(model, (method, x) => gs.explain(model, x, { method, layer: 'auto' }));
  } finally {
    await model.dispose();
    await gs.dispose();
  }
}

beforeAll(async () => {
  wiring = await defaultWiring();
  dir = mkdtempSync(join(tmpdir(), 'gradscope-cli-tfjs-'));
  await saveTinyModel(dir);
  const img = pattern(8, 8);
  const p = new pngjs.PNG({ width: 8, height: 8 });
  p.data.set(img.data);
  writeFileSync(join(dir, 'in.png'), pngjs.PNG.sync.write(p));
  const j = pattern(12, 10);
  writeFileSync(join(dir, 'photo.jpg'), jpeg.encode({ data: j.data, width: 12, height: 10 }, 95).data);
  writeFileSync(
    join(dir, 'broken.json'),
    '{"modelTopology": {"class_name": "Sequential", "config": {"layers": [{"class_name": "Nope"}]}}, "weightsManifest": []}',
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** stderr off a terminal: nothing, or one progress line per long method. */
const PROGRESS_LINES = /^(\[\d+\/\d+\] [^\n]+: \d+\/\d+ in \d+ ms\n)*$/;

describe('explain on a tfjs model', () => {
  it('--method all writes every file; maps equal core explain called directly; no tensor leaks', async () => {
    const before = tf.memory().numTensors;
    const r = await run(['explain', 'in.png', '--model', 'model.json', '--method', 'all', '--out', 'out']);
    // off a terminal, only the methods that run the model many times print a line each (their cost)
    expect(r.stderr).toMatch(PROGRESS_LINES);
    expect(r.stderr).toMatch(/: scorecam: \d+\/\d+ in \d+ ms\n/);
    expect(r.code).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    const o = join(dir, 'out');
    const files = readdirSync(o);
    for (const id of CAM_METHODS)
      for (const f of [`${id}.npy`, `${id}.raw.npy`, `${id}.png`]) expect(files).toContain(f);
    for (const id of INPUT_METHODS) {
      expect(files).toContain(`${id}.npy`);
      expect(files).toContain(`${id}.png`);
      expect(files).not.toContain(`${id}.raw.npy`);
    }

    // The input as the network sees it, computed independently from the source pixels.
    const x = imageToTensor(pattern(8, 8), { height: 8, width: 8, layout: 'NHWC', channels: 3 }, NORM);
    const ref = await direct(async (model, ex) => {
      const logits = await model.forward(x);
      const out: Record<string, { map: Tensor; raw: Tensor }> = {};
      for (const id of [...CAM_METHODS, ...INPUT_METHODS]) out[id] = await ex(id, x);
      return { logits: logits.data, out };
    });
    for (const id of CAM_METHODS) {
      const map = npy(join(o, `${id}.npy`));
      expect(map.shape).toEqual([8, 8]);
      expect(Array.from(map.data)).toEqual(Array.from(ref.out[id]!.map.data));
      expect(Math.min(...map.data)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...map.data)).toBeLessThanOrEqual(1);
      const raw = npy(join(o, `${id}.raw.npy`));
      expect(raw.shape).toEqual(INPUT_RES_RAW.has(id) ? [8, 8] : [4, 4]); // else conv2's resolution
      expect(Array.from(raw.data)).toEqual(Array.from(ref.out[id]!.raw.data));
      // The picture is render's overlay of the map on the de-normalised input, byte for byte.
      const pic = readPng(join(o, `${id}.png`));
      expect(
        Buffer.from(pic.data).equals(Buffer.from(overlay(tensorToImage(x, 'NHWC', NORM), ref.out[id]!.map).data)),
      ).toBe(true);
    }
    const gradcam = npy(join(o, 'gradcam.npy'));
    expect(Math.max(...gradcam.data)).toBeGreaterThan(0.99); // min-max scaled, not constant
    for (const id of INPUT_METHODS) {
      const g = npy(join(o, `${id}.npy`));
      expect(g.shape).toEqual([1, 8, 8, 3]);
      expect(Array.from(g.data)).toEqual(Array.from(ref.out[id]!.raw.data));
      expect(readPng(join(o, `${id}.png`)).width).toBe(8);
    }
    expect(
      Buffer.from(readPng(join(o, 'input.png')).data).equals(Buffer.from(tensorToImage(x, 'NHWC', NORM).data)),
    ).toBe(true);

    const res = JSON.parse(readFileSync(join(o, 'result.json'), 'utf8'));
    const p = softmax(ref.logits);
    const top = argmax(ref.logits);
    expect(res.backend).toBe('tfjs');
    expect(res.model).toMatchObject({ file: 'model.json', inputShape: [-1, 8, 8, 3], numClasses: 3 });
    expect(res.layer).toEqual({ requested: 'auto', resolved: ['conv2'] });
    expect(res.target).toMatchObject({ requested: 'top1', classIndex: top, className: ['cat', 'dog', 'fox'][top] });
    expect(res.target.score).toBeCloseTo(ref.logits[top]!, 5);
    expect(res.top5).toHaveLength(3);
    expect(res.top5[0].index).toBe(top);
    for (const t of res.top5) {
      expect(t.name).toBe(['cat', 'dog', 'fox'][t.index]);
      expect(t.logit).toBeCloseTo(ref.logits[t.index]!, 5);
      expect(t.probability).toBeCloseTo(p[t.index]!, 6);
    }
    expect(res.input).toMatchObject({
      file: 'in.png',
      format: 'png',
      sourceSize: [8, 8],
      tensorShape: [1, 8, 8, 3],
      layout: 'NHWC',
      normalization: NORM,
    });
    expect(res.methods.map((m: { id: string }) => m.id).sort()).toEqual([...CAM_METHODS, ...INPUT_METHODS].sort());
    // DFF's concepts: one set of files per concept, listed with their top classes
    const dffEntry = res.methods.find((m: { id: string }) => m.id === 'dff');
    expect(dffEntry.maps.map((m: { name: string }) => m.name)).toEqual(['0', '1', '2', '3', '4']);
    for (const c of dffEntry.maps) {
      for (const f of ['.npy', '.raw.npy', '.png']) expect(files).toContain(`dff.${c.name}${f}`);
      expect(c.info.topClasses.length).toBe(3);
    }
    const cf = res.methods.find((m: { id: string }) => m.id === 'counterfactual-gradcam');
    expect(cf.target).toMatchObject({ classIndex: top, negate: true });
    expect(cf.target.score).toBeCloseTo(-ref.logits[top]!, 5);
    for (const m of res.methods) expect(m.ms).toBeGreaterThan(0);
    expect(res.versions['@gradscope/core']).toMatch(/^\d+\.\d+\.\d+/);
    expect(res.versions['@tensorflow/tfjs']).toBe('4.22.0');
    expect(res.versions.node).toBe(process.versions.node);
    expect(res.versions['tfjs-backend']).toBe('wasm');
    const html = readFileSync(join(o, 'index.html'), 'utf8');
    for (const id of [...CAM_METHODS, ...INPUT_METHODS]) expect(html).toContain(`src="${id}.png"`);
    const grid = readPng(join(o, 'grid.png'));
    expect(grid.width).toBeGreaterThan(8 * 8); // one row: input + 7 methods
  });

  it('resizes and normalises a JPEG like imageToTensor, and honours --target and --layer', async () => {
    const r = await run([
      'explain',
      'photo.jpg',
      '--model',
      'model.json',
      '--method',
      'saliency,gradcam',
      '--target',
      'fox',
      '--layer',
      'conv1',
      '--out',
      'jpg',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const decoded = jpeg.decode(readFileSync(join(dir, 'photo.jpg')), { useTArray: true, formatAsRGBA: true });
    const x = imageToTensor(
      { data: decoded.data, width: 12, height: 10, channels: 4 },
      { height: 8, width: 8, layout: 'NHWC', channels: 3 },
      NORM,
    );
    const gs = createGradscope({ methods: builtinMethods });
    const model = await tfjsNodeBackend.load(join(dir, 'model.json'));
    try {
      const sal = await gs.explain(model, x, { method: 'saliency', target: { kind: 'class', index: 2 } });
      expect(Array.from(npy(join(dir, 'jpg', 'saliency.npy')).data)).toEqual(Array.from(sal.raw.data));
      const gc = await gs.explain(model, x, { method: 'gradcam', layer: 'conv1', target: { kind: 'class', index: 2 } });
      expect(Array.from(npy(join(dir, 'jpg', 'gradcam.npy')).data)).toEqual(Array.from(gc.map.data));
      expect(npy(join(dir, 'jpg', 'gradcam.raw.npy')).shape).toEqual([8, 8]); // conv1's resolution
    } finally {
      await model.dispose();
      await gs.dispose();
    }
    const res = JSON.parse(readFileSync(join(dir, 'jpg', 'result.json'), 'utf8'));
    expect(res.input).toMatchObject({ format: 'jpeg', sourceSize: [10, 12] });
    expect(res.target).toMatchObject({ requested: 'fox', classIndex: 2, className: 'fox' });
    expect(res.layer).toEqual({ requested: 'conv1', resolved: ['conv1'] });
  });

  it('layers marks the auto layer; methods lists requirements and the backends', async () => {
    const r = await run(['layers', '--model', 'model.json']);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n');
    expect(rows.filter((l) => l.startsWith('*'))).toEqual([
      expect.stringMatching(/^\* conv2\s+Conv2D\s+\[-1, 4, 4, 6\]$/),
    ]);
    expect(rows.some((l) => /^ {2}conv1\s+Conv2D\s+\[-1, 8, 8, 4\]$/.test(l))).toBe(true);
    const j = JSON.parse((await run(['layers', '--model', 'model.json', '--json'])).stdout);
    expect(j.auto).toBe('conv2');
    const ms = JSON.parse((await run(['methods', '--json'])).stdout);
    expect(ms.map((m: { id: string }) => m.id)).toEqual(builtinMethods.map((m) => m.id));
    for (const m of ms) {
      expect(m.requires).toEqual(builtinMethods.find((b) => b.id === m.id)!.requires);
      expect(m.backends).toEqual(['tfjs', 'onnx']);
    }
  });

  it('bad input on the real model: one line, non-zero exit, no output', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['explain', 'in.png', '--model', 'broken.json', '--out', 'bad'],
        /^gradscope: cannot load model '.*broken\.json': /,
      ],
      [
        ['explain', 'in.png', '--model', 'model.json', '--target', '3', '--out', 'bad'],
        /^gradscope: target class 3 is out of range: the model has 3 classes \(0–2\)$/,
      ],
      [
        ['explain', 'in.png', '--model', 'model.json', '--layer', 'dense9', '--out', 'bad'],
        /^gradscope: unknown layer 'dense9'; available layers: .*conv2/,
      ],
      [
        ['explain', 'in.png', '--model', 'model.json', '--backend', 'torch', '--out', 'bad'],
        /^gradscope: backend 'torch' is not installed\/registered; available: tfjs, onnx$/,
      ],
      [
        ['explain', 'in.png', '--model', 'model.json', '--backend', 'onnx', '--out', 'bad'],
        /^gradscope: cannot load model '.*model\.json': /,
      ],
    ];
    for (const [args, msg] of cases) {
      const before = tf.memory().numTensors;
      const r = await run(args);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^gradscope: [^\n]+\n$/);
      expect(r.stderr.trimEnd()).toMatch(msg);
      expect(readdirSync(dir).filter((f) => f.includes('bad'))).toEqual([]);
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('demo runs the built-in shapes model on its committed samples', async () => {
    const m = memoryIo(dir);
    expect(await main(['demo', '--out', 'shapes-demo', '--method', 'gradcam'], m.io, wiring)).toBe(0);
    expect(m.stderr()).toBe('');
    const names = SAMPLES.map((s) => sampleName(s.index, s.className));
    const classes = (JSON.parse(readFileSync(modelSidecarUrl, 'utf8')) as { classes: string[] }).classes;
    expect(
      readdirSync(join(dir, 'shapes-demo'))
        .filter((f) => !f.includes('.'))
        .sort(),
    ).toEqual([...names].sort());
    for (const name of names) {
      const res = JSON.parse(readFileSync(join(dir, 'shapes-demo', name, 'result.json'), 'utf8'));
      expect(res.input.sourceSize).toEqual([64, 64]);
      expect(res.top5).toHaveLength(Math.min(5, classes.length));
      for (const t of res.top5) expect(t.name).toBe(classes[t.index]);
      const map = npy(join(dir, 'shapes-demo', name, 'gradcam.npy'));
      expect(map.shape).toEqual([res.model.inputShape[1], res.model.inputShape[2]]);
      expect(Math.min(...map.data)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...map.data)).toBeLessThanOrEqual(1);
    }
  });

  it('demo runs every method on the demo set, one folder per sample', async () => {
    const samples = [
      { name: 'a', image: pattern(8, 8) },
      { name: 'b', image: pattern(16, 16) },
    ];
    const w: Wiring = {
      ...wiring,
      demo: async () => ({
        backend: 'tfjs',
        model: join(dir, 'model.json'),
        modelLabel: 'tiny',
        sidecar: { classes: ['cat', 'dog', 'fox'], normalization: NORM },
        samples,
      }),
    };
    const m = memoryIo(dir);
    expect(await main(['demo', '--out', 'demo'], m.io, w)).toBe(0);
    expect(m.stderr()).toMatch(PROGRESS_LINES);
    expect(readdirSync(join(dir, 'demo')).sort()).toEqual(['.gradscope-output', 'a', 'b', 'grid.png', 'index.html']);
    for (const s of ['a', 'b']) {
      const res = JSON.parse(readFileSync(join(dir, 'demo', s, 'result.json'), 'utf8'));
      expect(res.methods).toHaveLength(builtinMethods.length);
      expect(res.model.file).toBe('tiny');
    }
    expect(m.stdout()).toContain('gallery: demo/index.html');
  });
});
