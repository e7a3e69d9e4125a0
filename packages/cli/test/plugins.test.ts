import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy } from '@gradscope/core';
import { main } from '../src/index.js';
import { fakeWiring, memoryIo } from './fake-wiring.js';

// --plugin on the fake backend: methods from a file or package join the registry for every command.
let dir: string;
const S = 8;
const XGRADCAM = fileURLToPath(new URL('../../../examples/plugin-xgradcam/dist/index.js', import.meta.url));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gradscope-plugins-'));
  writeFileSync(join(dir, 'net.json'), JSON.stringify({ fake: true, classes: 4, size: S }));
  const method = (
    id: string,
  ) => `{ id: '${id}', title: '${id}', description: 'a plugin method', space: 'input', usesLayers: false, requires: ['activations'], options: { gain: { type: 'number', default: 2, description: 'gain' } },
    async explain(ctx, o) { const n = ctx.model.input.height * ctx.model.input.width; return { map: { data: new Float32Array(n).fill(0.5), shape: [ctx.model.input.height, ctx.model.input.width] }, raw: { data: ctx.input.data.map((v) => v * o.gain), shape: ctx.input.shape }, target: { classIndex: 0, score: 0, seed: new Float32Array(4), label: 'class 0' } }; } }`;
  writeFileSync(join(dir, 'flat.mjs'), `export const flat = ${method('flat')};\nexport const helper = 42;\n`);
  writeFileSync(join(dir, 'listed.mjs'), `export default [${method('one')}, ${method('two')}];\n`);
  writeFileSync(join(dir, 'empty.mjs'), 'export const nothing = 1;\n');
  writeFileSync(join(dir, 'throws.mjs'), "throw new Error('plugin init failed\\nsecond line');\n");
  writeFileSync(join(dir, 'clash.mjs'), `export const ramp = ${method('ramp')};\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const m = memoryIo(dir, {});
  const code = await main(args, m.io, fakeWiring);
  return { code, stdout: m.stdout(), stderr: m.stderr() };
}

describe('gradscope --plugin', () => {
  it("methods lists a file plugin's exported methods (and its options as flags); --plugin= works too", async () => {
    const r = await run(['methods', '--json', '--plugin', './flat.mjs', '--plugin=./listed.mjs']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { id: string; options: { flag: string }[] }[];
    expect(rows.map((x) => x.id)).toEqual(expect.arrayContaining(['flat', 'one', 'two', 'ramp']));
    expect(rows.find((x) => x.id === 'flat')!.options.map((o) => o.flag)).toEqual(['--flat.gain']);
  });

  it('explain runs a plugin method with its option flag', async () => {
    const npy = join(dir, 'in.npy');
    const { encodeNpy } = await import('@gradscope/core');
    writeFileSync(
      npy,
      encodeNpy({ data: Float32Array.from({ length: S * S * 3 }, (_, i) => i / 100), shape: [1, S, S, 3] }),
    );
    const r = await run([
      'explain',
      'in.npy',
      '--model',
      'net.json',
      '--backend',
      'fake',
      '--out',
      'o',
      '--plugin',
      './flat.mjs',
      '--method',
      'flat',
      '--flat.gain',
      '3',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'o', 'flat.npy'))).toBe(true);
    const raw = decodeNpy(new Uint8Array(readFileSync(join(dir, 'o', 'flat.npy'))));
    expect(raw.data[10]).toBeCloseTo(3 * (10 / 100), 6); // the plugin's raw = input · gain, gain from --flat.gain
  });

  it('the real example plugin package (examples/plugin-xgradcam) loads by path', async () => {
    const r = await run(['methods', '--json', '--plugin', XGRADCAM]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { id: string }[]).map((x) => x.id)).toContain('xgradcam');
  });

  it.each([
    [['--plugin', './empty.mjs'], 1, /^gradscope: plugin '\.\/empty\.mjs' exports no gradscope methods/],
    [['--plugin', './missing.mjs'], 1, /^gradscope: cannot load plugin '\.\/missing\.mjs': /],
    [['--plugin', './throws.mjs'], 1, /^gradscope: cannot load plugin '\.\/throws\.mjs': plugin init failed$/],
    [
      ['--plugin', 'gradscope-plugin-not-installed'],
      1,
      /^gradscope: cannot find plugin 'gradscope-plugin-not-installed' from /,
    ],
    [['--plugin', './clash.mjs'], 1, /^gradscope: .*ramp/],
    [['--plugin'], 2, /^gradscope: --plugin needs a value/],
  ] as const)('%j: one line, exit %i', async (flags, code, message) => {
    const r = await run(['methods', ...flags]);
    expect(r.code).toBe(code);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stdout).toBe('');
  });
});
