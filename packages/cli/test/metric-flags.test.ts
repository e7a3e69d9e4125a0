import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGradscope, decodeNpy, imageToTensor } from '@gradscope/core';
import { roadMostRelevantFirst, runMetric } from '@gradscope/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pngjs from 'pngjs';
import { defaultWiring, main, type Wiring } from '../src/index.js';
import { SHAPES_ONNX, writeShapes } from './evaluate-fixture.js';
import { memoryIo } from './fake-wiring.js';

// The ROAD flags and the generated --<metric>.<option> flags reach the metric (checked against
// runMetric called directly on the map explain wrote), and misuse is one line.
let dir: string;
let wiring: Wiring;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gradscope-metric-flags-'));
  writeShapes(dir, 1);
  wiring = await defaultWiring();
});
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const m = memoryIo(dir);
  const code = await main(args, m.io, wiring);
  return { code, stderr: m.stderr() };
}

describe('explain --metrics with ROAD and metric option flags', () => {
  it('--road-percentiles/--road-noise reach road-most-relevant-first; values keyed by percentile', async () => {
    const base = ['explain', 'img/s000.png', '--model', SHAPES_ONNX, '--method', 'gradcam'];
    const r = await run([
      ...base,
      '--metrics',
      'road-most-relevant-first,deletion-auc',
      '--road-percentiles',
      '30,70',
      '--road-noise',
      '0',
      '--deletion-auc.step',
      '512',
      '--out',
      'o',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(readFileSync(join(dir, 'o', 'result.json'), 'utf8')) as {
      methods: { metrics: Record<string, Record<string, number>> }[];
    };
    const got = result.methods[0]!.metrics['road-most-relevant-first']!;
    expect(Object.keys(got)).toEqual(['30', '70']);
    // the same metric run directly on the map explain wrote, with the options the flags say
    const map = decodeNpy(new Uint8Array(readFileSync(join(dir, 'o', 'gradcam.npy'))));
    const gs = createGradscope({ backends: wiring.backends });
    const model = await gs.backend('onnx').load(SHAPES_ONNX);
    try {
      const p = pngjs.PNG.sync.read(readFileSync(join(dir, 'img', 's000.png')));
      const img = { data: new Uint8Array(p.data), width: p.width, height: p.height, channels: 4 as const };
      const input = imageToTensor(img, { ...model.input, channelOrder: 'rgb' }, model.input.normalization!);
      const want = await runMetric(
        roadMostRelevantFirst,
        { model, input, map, target: { kind: 'class' } },
        {
          percentiles: [30, 70],
          noise: 0,
        },
      );
      expect(got).toEqual(want.value);
    } finally {
      await model.dispose();
      await gs.dispose();
    }
  });

  it('misused metric flags are one line', async () => {
    const base = ['explain', 'img/s000.png', '--model', SHAPES_ONNX, '--out', 'o2'];
    expect((await run([...base, '--metrics', 'iou'])).stderr).toMatch(
      /^gradscope: metric 'iou' needs ground-truth masks: explain takes none/,
    );
    expect((await run([...base, '--metrics', 'infidelity', '--road-noise', '0'])).stderr).toBe(
      'gradscope: --road-noise was given but no selected metric takes it (the road-* metrics do)\n',
    );
    expect((await run([...base, '--metrics', 'infidelity', '--deletion-auc.step', '4'])).stderr).toBe(
      "gradscope: --deletion-auc.step was given but metric 'deletion-auc' is not selected (--metrics)\n",
    );
    expect((await run([...base, '--metrics', 'road-combined', '--road-percentiles', '20,x'])).stderr).toMatch(
      /^gradscope: --road-percentiles expects percentiles from 0 to 100/,
    );
  });
});
