import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureDir, fixturePath, layerNamesOf, type FixtureManifest } from '@gradscope/conformance';
import { decodeNpy, encodeNpy, nchwToNhwc, type Tensor } from '@gradscope/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWiring, main, type Wiring } from '../src/index.js';
import { memoryIo } from './fake-wiring.js';

// End to end through the CLI on both registered backends: the conformance fixture `tiny-cnn` (the
// same weights as an ONNX file and a tfjs LayersModel) on input x0, against PyTorch's goldens
// (pytorch-grad-cam's Grad-CAM at relu3 and torch autograd's input gradient).
const FIX = fixtureDir('tiny-cnn');
const manifest = JSON.parse(readFileSync(join(FIX, 'manifest.json'), 'utf8')) as FixtureManifest;
const npy = (file: string): Tensor => decodeNpy(new Uint8Array(readFileSync(file)));
let dir: string;
let wiring: Wiring;

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.length; i++) [d, na, nb] = [d + a[i]! * b[i]!, na + a[i]! ** 2, nb + b[i]! ** 2];
  return d / Math.sqrt(na * nb);
}

beforeAll(async () => {
  wiring = await defaultWiring();
  dir = mkdtempSync(join(tmpdir(), 'gradscope-cli-parity-'));
  const x = npy(join(FIX, 'inputs', 'x0.npy'));
  writeFileSync(join(dir, 'x0-nchw.npy'), encodeNpy(x));
  writeFileSync(join(dir, 'x0-nhwc.npy'), encodeNpy(nchwToNhwc(x)));
});
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['onnx', fixturePath('tiny-cnn', 'onnx'), 'x0-nchw.npy', 'NCHW'],
  ['tfjs', fixturePath('tiny-cnn', 'tfjs'), 'x0-nhwc.npy', 'NHWC'],
] as const)('gradscope explain --backend %s on tiny-cnn', (backend, model, input, layout) => {
  it('matches PyTorch: logits, auto layer, Grad-CAM map and input gradient', async () => {
    const out = `out-${backend}`;
    const m = memoryIo(dir);
    const code = await main(
      ['explain', input, '--model', model, '--backend', backend, '--method', 'gradcam,saliency', '--out', out],
      m.io,
      wiring,
    );
    expect(m.stderr()).toBe('');
    expect(code).toBe(0);
    const res = JSON.parse(readFileSync(join(dir, out, 'result.json'), 'utf8'));
    expect(res.backend).toBe(backend);
    expect(res.input.layout).toBe(layout);
    expect(layerNamesOf(manifest, 'relu3')).toContain(res.layer.resolved[0]);
    const logits = npy(join(FIX, 'golden', 'x0', 'logits.npy')).data;
    expect(res.top5[0].index).toBe(manifest.inputs.x0!.top1);
    for (const t of res.top5)
      expect(Math.abs(t.logit - logits[t.index]!)).toBeLessThan(manifest.tolerances.logits.maxAbs!);
    const map = npy(join(dir, out, 'gradcam.npy'));
    const golden = npy(join(FIX, 'golden', 'x0', 'top1', 'gradcam-relu3.npy'));
    expect(map.shape).toEqual([32, 32]);
    let maxAbs = 0;
    for (let i = 0; i < map.data.length; i++) maxAbs = Math.max(maxAbs, Math.abs(map.data[i]! - golden.data[i]!));
    expect(maxAbs).toBeLessThan(manifest.tolerances.camMap.maxAbs!);
    const dx = npy(join(FIX, 'golden', 'x0', 'top1', 'dx-standard.npy'));
    const g = npy(join(dir, out, 'saliency.npy'));
    const ref = layout === 'NCHW' ? dx : nchwToNhwc(dx);
    expect(g.shape).toEqual(ref.shape);
    expect(cosine(g.data, ref.data)).toBeGreaterThan(manifest.tolerances.gradients.cosine!);
  });
});
