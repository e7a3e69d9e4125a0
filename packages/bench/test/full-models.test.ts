import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planFullModels, prepareFullModels, readTorchTimings } from '../src/full-models.js';

const dir = mkdtempSync(join(tmpdir(), 'gradscope-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('planFullModels', () => {
  it('makes missing models and re-times torch when PyTorch is available, else uses the cache or skips', () => {
    expect(planFullModels({ modelsExist: false, torchAvailable: true })).toBe('make');
    expect(planFullModels({ modelsExist: true, torchAvailable: true })).toBe('retime');
    expect(planFullModels({ modelsExist: true, torchAvailable: false })).toBe('cached');
    expect(planFullModels({ modelsExist: false, torchAvailable: false })).toBe('skip');
  });
});

describe('prepareFullModels', () => {
  it('skips with one reason naming PyTorch when the models are missing and python cannot import torch', () => {
    const r = prepareFullModels({ dir: join(dir, 'none'), python: '/bin/false' });
    expect(r).toEqual({
      skipped: expect.stringMatching(
        /^the full-size ONNX rows \(resnet18, mobilenet_v2\) are skipped: PyTorch is not installed/,
      ),
    });
  });

  it('uses cached models and their torch timings without PyTorch', () => {
    const cache = join(dir, 'cache');
    rmSync(cache, { recursive: true, force: true });
    mkdirSync(cache, { recursive: true });
    for (const n of ['resnet18', 'mobilenet_v2']) writeFileSync(join(cache, `${n}.onnx`), '');
    writeFileSync(
      join(cache, 'torch-timings.json'),
      JSON.stringify({
        torch: '1.13',
        measuredAt: 'T',
        models: { resnet18: { forwardMs: 37.5, forwardBackwardMs: 81.25 } },
      }),
    );
    const r = prepareFullModels({ dir: cache, python: '/bin/false' });
    if (!('models' in r)) throw new Error(r.skipped);
    expect(r.models.map((m) => [m.name, m.layer, m.path])).toEqual([
      ['resnet18', 'layer4', join(cache, 'resnet18.onnx')],
      ['mobilenet_v2', 'features', join(cache, 'mobilenet_v2.onnx')],
    ]);
    expect(r.models[0]!.torch).toEqual({
      forwardMs: 37.5,
      forwardBackwardMs: 81.25,
      source: 'torch 1.13, 1 thread, cached from T',
    });
    expect(r.models[1]!.torch).toBeUndefined();
  });
});

describe('readTorchTimings', () => {
  it('drops entries without numeric timings and returns {} for a missing file', () => {
    const f = join(dir, 't.json');
    writeFileSync(
      f,
      JSON.stringify({
        models: { a: { forwardMs: 1, forwardBackwardMs: 'x' }, b: { forwardMs: 2, forwardBackwardMs: 5 } },
      }),
    );
    expect(Object.keys(readTorchTimings(f, 'measured'))).toEqual(['b']);
    expect(readTorchTimings(join(dir, 'missing.json'), 'measured')).toEqual({});
  });
});
