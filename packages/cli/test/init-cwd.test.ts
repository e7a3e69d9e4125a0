import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invocationDir } from '../src/cli-io.js';
import { defaultWiring, main, processIo, type Wiring } from '../src/index.js';
import { saveTinyModel } from './tiny-tfjs-model.js';

let dir: string;
let wiring: Wiring;
beforeAll(async () => {
  wiring = await defaultWiring();
  dir = mkdtempSync(join(tmpdir(), 'gradscope-cli-initcwd-'));
  await saveTinyModel(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `args` with the process's own io (as bin.js does) under `env` additions; stdout captured. */
async function runWithEnv(env: Record<string, string>, args: string[]) {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      ...processIo(),
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
    };
    const code = await main(args, io, wiring);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

describe('`pnpm gradscope` resolves relative paths against the directory the user ran it from (#9)', () => {
  it('invocationDir: INIT_CWD only for the repository’s gradscope script', () => {
    expect(invocationDir({ npm_lifecycle_event: 'gradscope', INIT_CWD: '/u/me' }, '/repo')).toBe('/u/me');
    expect(invocationDir({ npm_lifecycle_event: 'explain', INIT_CWD: '/u/me' }, '/pkg')).toBe('/pkg');
    expect(invocationDir({ INIT_CWD: '/u/me' }, '/here')).toBe('/here');
  });
  it('a model path relative to INIT_CWD is found although the process runs elsewhere', async () => {
    expect(process.cwd()).not.toBe(dir);
    const ok = await runWithEnv({ npm_lifecycle_event: 'gradscope', INIT_CWD: dir }, [
      'layers',
      '--model',
      'model.json',
      '--json',
    ]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).layers.map((l: { name: string }) => l.name)).toContain('conv2');
    const elsewhere = await runWithEnv({ npm_lifecycle_event: 'other', INIT_CWD: dir }, [
      'layers',
      '--model',
      'model.json',
    ]);
    expect(elsewhere.stderr).toMatch(/model file not found: model\.json/);
  });
});
