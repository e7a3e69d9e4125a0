import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureDir, fixturePath } from '@gradscope/conformance';
import { modelUrl, SAMPLES } from '@gradscope/shapes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWiring, main, type Wiring } from '../src/index.js';
import { memoryIo } from './fake-wiring.js';

// `--batch n` changes how inputs are explained (n at a time, one batched capture per method), never
// what is written: every .npy file and every number of result.json but the timings is byte-identical
// to explaining the inputs one at a time (`--batch 1`).
const METHODS = 'gradcam,guided-backprop,gradcam-plusplus,layercam,scorecam';
let dir: string;
let wiring: Wiring;

beforeAll(async () => {
  wiring = await defaultWiring();
  dir = mkdtempSync(join(tmpdir(), 'gradscope-cli-batch-'));
  for (const id of ['x0', 'x1', 'x2'])
    writeFileSync(join(dir, `${id}.npy`), readFileSync(join(fixtureDir('tiny-cnn'), 'inputs', `${id}.npy`)));
  for (const [i, s] of SAMPLES.entries()) writeFileSync(join(dir, `sample${i}.png`), readFileSync(s.image));
});
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

/** result.json without its timings (`ms`, `forwardMs`), which differ from run to run. */
const withoutTimings = (file: string): unknown =>
  JSON.parse(readFileSync(file, 'utf8'), (k, v: unknown) => (k === 'ms' || k === 'forwardMs' ? undefined : v));

async function explain(model: string, backend: string, inputs: readonly string[], batch: number): Promise<string> {
  const out = `out-${backend}-${batch}`;
  const m = memoryIo(dir);
  const args = ['explain', ...inputs, '--model', model, '--backend', backend, '--method', METHODS];
  const code = await main([...args, '--batch', String(batch), '--out', out], m.io, wiring);
  expect(m.stderr()).not.toMatch(/gradscope:/); // progress lines only: no warning, no error
  expect(code).toBe(0);
  return join(dir, out);
}

describe.each([
  ['the built-in model (tfjs)', fileURLToPath(modelUrl), 'tfjs', SAMPLES.map((_, i) => `sample${i}.png`)],
  ['tiny-cnn (ONNX)', fixturePath('tiny-cnn', 'onnx'), 'onnx', ['x0.npy', 'x1.npy', 'x2.npy']],
] as const)('gradscope explain --batch on %s', (_, model, backend, inputs) => {
  it('writes byte-identical maps with --batch 1 and --batch 4', { timeout: 120_000 }, async () => {
    const one = await explain(model, backend, inputs, 1);
    const four = await explain(model, backend, inputs, 4);
    const subs = inputs.map((f) => f.replace(/\.(npy|png)$/, ''));
    for (const sub of subs) {
      const files = readdirSync(join(one, sub)).filter((f) => f.endsWith('.npy'));
      expect(files.length).toBe(METHODS.split(',').length + 4); // CAM methods also write <id>.raw.npy
      expect(readdirSync(join(four, sub)).filter((f) => f.endsWith('.npy'))).toEqual(files);
      for (const f of files)
        expect(Buffer.compare(readFileSync(join(one, sub, f)), readFileSync(join(four, sub, f))), `${sub}/${f}`).toBe(
          0,
        );
      expect(withoutTimings(join(four, sub, 'result.json'))).toEqual(withoutTimings(join(one, sub, 'result.json')));
    }
  });
});

describe('--batch', () => {
  it.each(['0', '-2', '1.5', 'many'])('refuses --batch %s with a usage error', async (n) => {
    const m = memoryIo(dir);
    const code = await main(
      ['explain', 'x0.npy', '--model', fixturePath('tiny-cnn', 'onnx'), '--batch', n, '--out', 'never'],
      m.io,
      wiring,
    );
    expect(code).toBe(2);
    expect(m.stderr()).toContain(`--batch expects a positive integer, got '${n}'`);
  });
});
