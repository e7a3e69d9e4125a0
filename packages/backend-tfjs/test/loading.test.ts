import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { classTarget, isGradscopeError, topClass, type ErrorCode } from '@gradscope/core';
import { tfjsBackend, useTfjsBackend } from '../src/index.js';
import { tfjsNodeBackend } from '../src/node.js';
import { nestedCnn, randomTensor, relErr, smallCnn } from './helpers.js';
import { saveToDir } from './model-files.js';

beforeAll(() => useTfjsBackend('wasm'));

async function expectLoadError(p: Promise<unknown>, pattern: RegExp, code: ErrorCode = 'model-load'): Promise<void> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(isGradscopeError(e, code), String(e)).toBe(true);
  expect((e as Error).message).toMatch(pattern);
  expect((e as Error).message).not.toContain('\n');
}

describe('loading LayersModels', () => {
  it('loads model.json + weights from a path, a file: URL and File objects, with identical logits', async () => {
    const ref = smallCnn();
    const x = randomTensor([2, 8, 8, 3], 4);
    const expected = (ref.predict(tf.tensor(x.data, x.shape)) as tf.Tensor).dataSync();
    const path = await saveToDir(ref);
    ref.dispose();
    const dir = dirname(path);
    const files = ['model.json', 'weights.bin'].map((f) => new File([readFileSync(join(dir, f))], f));
    for (const source of [path, pathToFileURL(path), files]) {
      const m = await tfjsNodeBackend.load(source);
      try {
        expect(m.backend).toBe('tfjs');
        expect(m.input).toMatchObject({
          shape: [-1, 8, 8, 3],
          layout: 'NHWC',
          height: 8,
          width: 8,
          channels: 3,
          name: 'image',
        });
        expect(m.numClasses).toBe(5);
        // the final softmax is bypassed: softmax of the returned logits equals the saved model's output
        const logits = await m.forward(x);
        const probs = tf.softmax(tf.tensor2d(logits.data, [2, 5])).dataSync();
        expect(relErr(probs, expected)).toBeLessThan(1e-5);
      } finally {
        await m.dispose();
      }
    }
  });

  it('the browser entry loads from an http URL, with the sidecar next to model.json', async () => {
    const path = await saveToDir(smallCnn(), { classes: ['a', 'b', 'c', 'd', 'e'] });
    const dir = dirname(path);
    const server = createServer((req, res) => {
      try {
        res.end(readFileSync(join(dir, decodeURIComponent(new URL(req.url!, 'http://x').pathname))));
      } catch {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const { port } = server.address() as AddressInfo;
      const m = await tfjsBackend.load(`http://127.0.0.1:${port}/model.json`);
      expect(m.classes).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(m.numClasses).toBe(5);
      await m.dispose();
      await expectLoadError(
        tfjsBackend.load(`http://127.0.0.1:${port}/missing.json`),
        /cannot read model\.json \(HTTP 404/,
      );
    } finally {
      server.close();
    }
  });

  it('lists every layer with NHWC output shapes, spatial info and the linear head', async () => {
    const ref = smallCnn();
    const kernel = (ref.getLayer('fc') as unknown as { kernel: tf.LayerVariable }).kernel
      .read()
      .arraySync() as number[][];
    const m = await tfjsNodeBackend.load(await saveToDir(ref));
    try {
      expect(m.layers.map((l) => l.name)).toEqual([
        'image',
        'conv1',
        'bn1',
        'pool1',
        'dw',
        'relu6',
        'conv2',
        'relu2',
        'gap',
        'fc',
      ]);
      expect(m.layers.find((l) => l.name === 'pool1')).toEqual({
        name: 'pool1',
        type: 'MaxPooling2D',
        outputShape: [-1, 4, 4, 4],
        spatial: { height: 4, width: 4, channels: 4 },
      });
      expect(m.layers.find((l) => l.name === 'gap')!.spatial).toBeNull();
      expect(m.capabilities.has('linear-head')).toBe(true);
      expect(m.head!.featureLayer).toBe('relu2');
      expect(m.head!.weights.shape).toEqual([5, 6]);
      // weights as [classes, channels]: entry (k, c) is the Dense kernel's (c, k)
      for (let k = 0; k < 5; k++)
        for (let c = 0; c < 6; c++) expect(m.head!.weights.data[k * 6 + c]).toBeCloseTo(kernel[c]![k]!, 6);
    } finally {
      await m.dispose();
      ref.dispose();
    }
  });

  it('reads the sidecar: normalization, classes, input size; load options override it', async () => {
    const sidecar = {
      normalization: { mean: [0.5, 0.4, 0.3], std: [0.2, 0.2, 0.25] },
      classes: ['a', 'b', 'c', 'd', 'e'],
      inputSize: { height: 8, width: 8 },
    };
    const path = await saveToDir(smallCnn(), sidecar);
    const m = await tfjsNodeBackend.load(path);
    expect(m.input.normalization).toEqual(sidecar.normalization);
    expect(m.classes).toEqual(sidecar.classes);
    await m.dispose();
    const o = await tfjsNodeBackend.load(path, { normalization: { mean: [0, 0, 0], std: [1, 1, 1] } });
    expect(o.input.normalization).toEqual({ mean: [0, 0, 0], std: [1, 1, 1] });
    await o.dispose();
  });

  it('nested, Sequential and dynamic-size models round-trip through files', async () => {
    const x = randomTensor([1, 8, 8, 3], 12);
    const nested = nestedCnn();
    const want = (nested.predict(tf.tensor(x.data, x.shape)) as tf.Tensor).dataSync();
    const n = await tfjsNodeBackend.load(await saveToDir(nested));
    expect(n.layers.map((l) => l.name)).toEqual([
      'image',
      'features/fconv1',
      'features/fpool',
      'features/fconv2',
      'features',
      'gap',
      'drop',
      'fc',
    ]);
    expect(n.head!.featureLayer).toBe('features/fconv2');
    expect(n.layers.find((l) => l.name === 'features')).toMatchObject({
      type: 'Sequential',
      outputShape: [-1, 4, 4, 5],
    });
    expect(relErr((await n.forward(x)).data, want)).toBeLessThan(1e-5);
    await n.dispose();

    const seq = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [8, 8, 3],
          filters: 3,
          kernelSize: 3,
          activation: 'relu',
          kernelInitializer: tf.initializers.glorotNormal({ seed: 5 }),
        }),
        tf.layers.flatten(),
        tf.layers.dense({
          units: 2,
          activation: 'softmax',
          kernelInitializer: tf.initializers.glorotNormal({ seed: 6 }),
        }),
      ],
    });
    const seqWant = (seq.predict(tf.tensor(x.data, x.shape)) as tf.Tensor).dataSync();
    const s2 = await tfjsNodeBackend.load(await saveToDir(seq));
    expect(s2.layers.map((l) => l.type)).toEqual(['InputLayer', 'Conv2D', 'Flatten', 'Dense']);
    expect(s2.head).toBeUndefined();
    expect(s2.capabilities.has('linear-head')).toBe(false);
    const probs = tf.softmax(tf.tensor2d((await s2.forward(x)).data, [1, 2])).dataSync();
    expect(relErr(probs, seqWant)).toBeLessThan(1e-5);
    await s2.dispose();

    const inp = tf.input({ shape: [null, null, 3] });
    const conv = tf.layers
      .conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' })
      .apply(inp) as tf.SymbolicTensor;
    const gap = tf.layers.globalAveragePooling2d({}).apply(conv) as tf.SymbolicTensor;
    const dyn = tf.model({ inputs: inp, outputs: tf.layers.dense({ units: 3 }).apply(gap) as tf.SymbolicTensor });
    const path = await saveToDir(dyn);
    await expectLoadError(tfjsNodeBackend.load(path), /input size is dynamic/, 'unsupported-model');
    const d = await tfjsNodeBackend.load(path, { inputSize: { height: 10, width: 12 } });
    expect(d.input.shape).toEqual([-1, 10, 12, 3]);
    expect(d.layers[1]!.spatial).toEqual({ height: 5, width: 6, channels: 4 });
    await d.dispose();
  });

  it('a model without a sidecar has no normalization or classes', async () => {
    const m = await tfjsNodeBackend.load(await saveToDir(smallCnn()));
    expect(m.input.normalization).toBeUndefined();
    expect(m.classes).toBeUndefined();
    await m.dispose();
  });
});

describe('load errors are ModelLoadErrors with a one-line reason', () => {
  it('missing file, corrupt JSON, missing topology, truncated or missing weights, bad sidecar, bytes, paths in the browser entry', async () => {
    const path = await saveToDir(smallCnn());
    const dir = dirname(path);
    await expectLoadError(tfjsNodeBackend.load(join(dir, 'nope.json')), /cannot read model\.json/);
    writeFileSync(join(dir, 'bad.json'), '{"modelTopology": ');
    await expectLoadError(tfjsNodeBackend.load(join(dir, 'bad.json')), /not valid JSON/);
    writeFileSync(join(dir, 'empty.json'), '{"weightsManifest": []}');
    await expectLoadError(tfjsNodeBackend.load(join(dir, 'empty.json')), /no modelTopology/);
    const json = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(join(dir, 'short.bin'), readFileSync(join(dir, 'weights.bin')).subarray(0, 100));
    writeFileSync(
      join(dir, 'short.json'),
      JSON.stringify({ ...json, weightsManifest: [{ ...json.weightsManifest[0], paths: ['short.bin'] }] }),
    );
    await expectLoadError(tfjsNodeBackend.load(join(dir, 'short.json')), /hold 100 bytes, the manifest needs/);
    writeFileSync(
      join(dir, 'gone.json'),
      JSON.stringify({ ...json, weightsManifest: [{ ...json.weightsManifest[0], paths: ['gone.bin'] }] }),
    );
    await expectLoadError(tfjsNodeBackend.load(join(dir, 'gone.json')), /cannot read weights file 'gone\.bin'/);
    writeFileSync(
      join(dir, 'topo.json'),
      JSON.stringify({ ...json, modelTopology: { class_name: 'Nonsense', config: {} } }),
    );
    await expectLoadError(tfjsNodeBackend.load(join(dir, 'topo.json')), /cannot load model/);
    writeFileSync(join(dir, 'model.gradscope.json'), '{"classes": [1, 2]}');
    await expectLoadError(tfjsNodeBackend.load(path), /sidecar: classes must be an array of strings/);
    await expectLoadError(tfjsNodeBackend.load(new Uint8Array(4)), /not raw bytes/);
    await expectLoadError(tfjsBackend.load(path), /need the Node entry/);
  });
});

describe('input and layer errors', () => {
  it('wrong input shape → BadInputShapeError; unknown layer → UnknownLayerError listing layers; bad targets → BadTargetError', async () => {
    const m = await tfjsNodeBackend.load(await saveToDir(smallCnn()));
    try {
      const x = randomTensor([1, 8, 8, 3], 1);
      const bad = randomTensor([1, 7, 8, 3], 1);
      await expect(m.forward(bad)).rejects.toMatchObject({ code: 'bad-input-shape' });
      await expect(
        m.capture(bad, { layers: ['conv1'], gradients: true, inputGradient: false, targets: [topClass()] }),
      ).rejects.toMatchObject({ code: 'bad-input-shape' });
      const e = await m
        .capture(x, { layers: ['conv9'], gradients: true, inputGradient: false, targets: [topClass()] })
        .catch((err: unknown) => err);
      expect(e).toMatchObject({ code: 'unknown-layer', layer: 'conv9' });
      expect((e as { available: string[] }).available).toContain('conv1');
      await expect(
        m.capture(x, { layers: ['conv1'], gradients: true, inputGradient: false, targets: [classTarget(7)] }),
      ).rejects.toMatchObject({ code: 'bad-target' });
      await expect(
        m.capture(x, { layers: ['conv1'], gradients: true, inputGradient: false, targets: [topClass(), topClass()] }),
      ).rejects.toMatchObject({ code: 'bad-target' });
      await expect(m.runFromLayer!(x, 'conv1', randomTensor([1, 4, 8, 7], 2))).rejects.toMatchObject({
        code: 'bad-input-shape',
      });
    } finally {
      await m.dispose();
    }
  });
});
