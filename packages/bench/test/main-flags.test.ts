import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The built `pnpm bench` entry (the repo's `pnpm test` builds before testing). */
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });

describe('pnpm bench flags', () => {
  it('--help prints the usage and exits 0 without benchmarking', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: pnpm bench .*--suite tfjs-wasm\|ort-node\|ort-web/);
    expect(r.stderr).toBe('');
  });

  it('an unknown flag is one line naming it plus the usage, exit 2, no stack trace', () => {
    const r = run('--bogus');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(2);
    expect(r.stderr).toContain("'--bogus'");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown suite names the available ones, exit 2', () => {
    const r = run('--suite', 'cuda');
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('unknown suite cuda; available: tfjs-wasm, ort-node, ort-web');
  });
});
