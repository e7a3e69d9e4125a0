import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeNpy, encodeNpy } from '@gradscope/core';
import { showAttribution } from '@gradscope/render';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWiring, main, type Wiring } from '../src/index.js';
import { memoryIo } from './fake-wiring.js';
import { saveTinyModel } from './tiny-tfjs-model.js';

let dir: string;
let wiring: Wiring;

async function run(args: string[]) {
  const m = memoryIo(dir);
  const code = await main(args, m.io, wiring);
  return { code, stdout: m.stdout(), stderr: m.stderr() };
}

beforeAll(async () => {
  wiring = await defaultWiring();
  dir = mkdtempSync(join(tmpdir(), 'gradscope-cli-display-'));
  await saveTinyModel(dir, null);
  await saveTinyModel(dir, null, { units: 3, activation: 'linear', zeroKernel: true }, [8, 8, 3], 'flat');
  const xs = Float32Array.from({ length: 8 * 8 * 3 }, (_, i) => Math.cos(i * 0.37));
  writeFileSync(join(dir, 'x.npy'), encodeNpy({ data: xs, shape: [1, 8, 8, 3] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('input-space pictures are scaled robustly (#8); all-zero maps are labelled', () => {
  it('the PNG is render’s showAttribution of the unchanged .npy', async () => {
    const r = await run([
      'explain',
      'x.npy',
      '--model',
      'model.json',
      '--method',
      'saliency,guided-backprop',
      '--out',
      'o',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const id of ['saliency', 'guided-backprop']) {
      const raw = decodeNpy(new Uint8Array(readFileSync(join(dir, 'o', `${id}.npy`))));
      const png = pngjs.PNG.sync.read(readFileSync(join(dir, 'o', `${id}.png`)));
      expect(Buffer.from(png.data).equals(Buffer.from(showAttribution(raw, { layout: 'NHWC' }).image.data))).toBe(true);
    }
    const res = JSON.parse(readFileSync(join(dir, 'o', 'result.json'), 'utf8'));
    expect(res.methods.map((m: { allZero?: boolean }) => m.allZero)).toEqual([undefined, undefined]);
  });
  it('a model whose logits do not depend on the input: maps are all zero, flagged in result.json and the gallery', async () => {
    const r = await run(['explain', 'x.npy', '--model', 'flat.json', '--method', 'saliency,gradcam', '--out', 'z']);
    expect(r.code).toBe(0);
    const res = JSON.parse(readFileSync(join(dir, 'z', 'result.json'), 'utf8'));
    expect(res.methods.map((m: { id: string; allZero?: boolean }) => [m.id, m.allZero])).toEqual([
      ['saliency', true],
      ['gradcam', true],
    ]);
    const html = readFileSync(join(dir, 'z', 'index.html'), 'utf8');
    expect(html).toContain('saliency (all zero)');
    expect(html).toContain('gradcam (all zero)');
  });
});
