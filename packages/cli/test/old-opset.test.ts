import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { decodeNpy } from '@gradscope/core';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWiring, main, type Wiring } from '../src/index.js';
import { memoryIo } from './fake-wiring.js';

// ONNX models exported by torch 1.13 at opsets below 11 (backend-onnx's scripts/make-old-opset-fixtures.py).
const FIX = fileURLToPath(new URL('../../backend-onnx/test/fixtures/', import.meta.url));
let dir: string;
let wiring: Wiring;

async function run(args: string[]) {
  const m = memoryIo(dir);
  const code = await main(args, m.io, wiring);
  return { code, stdout: m.stdout(), stderr: m.stderr() };
}

const png = (size: number) => {
  const p = new pngjs.PNG({ width: size, height: size });
  p.data.set(Uint8Array.from({ length: size * size * 4 }, (_, i) => (i % 4 === 3 ? 255 : (i * 53 + 17) % 256)));
  return pngjs.PNG.sync.write(p);
};

beforeAll(async () => {
  wiring = await defaultWiring();
  dir = mkdtempSync(join(tmpdir(), 'gradscope-cli-opset-'));
  copyFileSync(join(FIX, 'old_opset7', 'model.onnx'), join(dir, 'op7.onnx'));
  copyFileSync(join(FIX, 'old_opset9_bilinear', 'model.onnx'), join(dir, 'bilinear9.onnx'));
  writeFileSync(join(dir, 'in64.png'), png(64));
  writeFileSync(join(dir, 'in16.png'), png(16));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ONNX opsets below 11 (issue 10, item 6)', () => {
  it('an opset-7 model: gradient methods and Grad-CAM run', async () => {
    const r = await run(['explain', 'in64.png', '--model', 'op7.onnx', '--method', 'saliency,gradcam', '--out', 'o7']);
    expect(r.code, r.stderr).toBe(0);
    for (const f of ['saliency.npy', 'gradcam.npy']) {
      const t = decodeNpy(new Uint8Array(readFileSync(join(dir, 'o7', f))));
      expect(t.data.every(Number.isFinite), f).toBe(true);
      expect(Math.max(...t.data) > Math.min(...t.data), `${f} is not constant`).toBe(true);
    }
  });

  it('a form without a gradient (opset-9 linear Upsample): one line naming the operator, the node and the opset', async () => {
    const r = await run(['explain', 'in16.png', '--model', 'bilinear9.onnx', '--method', 'saliency', '--out', 'ob']);
    expect(r.code).toBe(1);
    const last = r.stderr.trim().split('\n').at(-1)!;
    expect(last).toMatch(
      /^gradscope: cannot differentiate ONNX operator 'Upsample' \(node '\/up\/Upsample'\);.*opset-9 Upsample/,
    );
  });
});
