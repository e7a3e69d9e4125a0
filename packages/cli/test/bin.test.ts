import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The real binary as other tools call it: `node dist/bin.js …` in a child process (built here with
// `tsc -b`, incremental, so the test never runs a stale build).
const pkg = fileURLToPath(new URL('..', import.meta.url));
const bin = join(pkg, 'dist', 'bin.js');
let dir: string;

function gradscope(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: dir, env: { ...process.env, GRADSCOPE_DEBUG: '' } },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

beforeAll(() => {
  execFileSync(process.execPath, [join(pkg, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-b', pkg], {
    stdio: 'pipe',
  });
  dir = mkdtempSync(join(tmpdir(), 'gradscope-bin-'));
  writeFileSync(join(dir, 'model.json'), '{"modelTopology": 42}');
  writeFileSync(join(dir, 'in.npy'), 'not really');
}, 300_000);
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('node dist/bin.js', () => {
  it('methods --json prints the registry on stdout, exit 0', async () => {
    const r = await gradscope(['methods', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ms = JSON.parse(r.stdout) as { id: string; backends: string[] }[];
    expect(ms.find((m) => m.id === 'gradcam')?.backends).toEqual(['tfjs', 'onnx']);
  });

  it('a corrupt model: one line on stderr, exit 1, nothing on stdout, no output folder', async () => {
    const r = await gradscope(['explain', 'in.npy', '--model', 'model.json', '--out', 'o']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^gradscope: cannot load model '[^']*model\.json': [^\n]+\n$/);
    expect(readdirSync(dir).sort()).toEqual(['in.npy', 'model.json']);
    const d = await gradscope(['explain', 'in.npy', '--model', 'model.json', '--out', 'o', '--debug']);
    expect(d.stderr.split('\n')[0]).toBe(r.stderr.trimEnd());
    expect(d.stderr).toMatch(/\n\s+at /);
  });

  it('a bad flag exits 2', async () => {
    const r = await gradscope(['layers', '--model', 'model.json', '--colour']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("gradscope: unknown option '--colour' for 'layers' (see 'gradscope layers --help')\n");
  });
});
