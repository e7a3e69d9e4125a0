import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The README's library snippets, run exactly as written by an outsider: the packages packed with
// `pnpm pack` (as they would be published), installed with npm into a plain project next to the
// runtimes from the registry, type-checked by tsc against the packed .d.ts files, then run by Node
// on the built-in shapes model and a sample image. Needs the packages built (`pnpm test` builds first).
const ROOT = resolve(import.meta.dirname, '..');
const PACKED = ['core', 'methods', 'image', 'backend-tfjs', 'backend-onnx', 'onnx-proto'];
const rootPkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** The ```ts blocks of the README's "Library in ten lines" section, verbatim. */
function librarySnippets(readme: string): string[] {
  const start = readme.indexOf('## Library in ten lines');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

const dir = mkdtempSync(join(tmpdir(), 'gradscope-readme-'));
const run = (cmd: string, args: string[], env: Record<string, string> = {}) =>
  execFileSync(cmd, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env }, stdio: 'pipe' });
const snippets = librarySnippets(readFileSync(join(ROOT, 'README.md'), 'utf8'));

beforeAll(() => {
  const tarballs = join(dir, 'tarballs');
  mkdirSync(tarballs);
  const deps: Record<string, string> = {};
  for (const p of PACKED) {
    execFileSync('npx', ['-y', 'pnpm@12.4.2', 'pack', '--pack-destination', tarballs], {
      cwd: join(ROOT, 'packages', p),
      stdio: 'pipe',
    });
    const name = JSON.parse(readFileSync(join(ROOT, 'packages', p, 'package.json'), 'utf8')).name as string;
    const file = readdirSync(tarballs).find((f) => f.startsWith(name.replace('@', '').replace('/', '-') + '-'))!;
    deps[name] = `file:tarballs/${file}`;
  }
  const pkg = {
    name: 'outsider',
    private: true,
    type: 'module',
    dependencies: {
      ...deps,
      '@tensorflow/tfjs': '4.22.0',
      '@tensorflow/tfjs-backend-wasm': '4.22.0',
      'onnxruntime-node': '1.30.0',
    },
    devDependencies: {
      typescript: rootPkg.devDependencies.typescript,
      '@types/node': rootPkg.devDependencies['@types/node'],
    },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  // onnxruntime-node's install script fetches GPU binaries this machine cannot download; its CPU build is in the package.
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    ONNXRUNTIME_NODE_INSTALL: 'skip',
  });
  mkdirSync(join(dir, 'model'));
  for (const f of ['model.json', 'weights.bin', 'model.onnx', 'model.gradscope.json'])
    copyFileSync(join(ROOT, 'packages/shapes/model', f), join(dir, 'model', f));
  copyFileSync(join(ROOT, 'packages/shapes/samples/1-star.png'), join(dir, 'star.png'));
  snippets.forEach((s, i) => writeFileSync(join(dir, `snippet-${i}.ts`), s));
  const tsconfig = {
    compilerOptions: {
      module: 'nodenext',
      target: 'es2022',
      strict: true,
      skipLibCheck: true,
      types: ['node'],
      lib: ['es2022', 'dom'],
    },
    include: ['snippet-*.ts'],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }), 120_000);

describe('README library snippets, from packed tarballs in a plain npm project', () => {
  it('the README has the tfjs and the ONNX snippet', () => {
    expect(snippets).toHaveLength(2);
    expect(snippets[0]).toContain("from '@gradscope/backend-tfjs/node'");
    expect(snippets[1]).toContain("from '@gradscope/backend-onnx/node'");
  });

  it('type-check against the packed packages', () => {
    expect(() => run(join(dir, 'node_modules/.bin/tsc'), ['-p', '.'])).not.toThrow();
  }, 120_000);

  it('tfjs: Grad-CAM of class 3 (star) on the sample, a 64×64 map in [0, 1]', () => {
    const out = run(process.execPath, ['snippet-0.js']);
    expect(out).toMatch(/^\[ 64, 64 \] Float32Array\(4096\) \[/);
    const values = [...out.matchAll(/\b(\d(?:\.\d+)?(?:e-\d+)?)\b(?=,|\n)/g)].map((m) => Number(m[1]));
    expect(values.every((v) => v >= 0 && v <= 1)).toBe(true);
  }, 120_000);

  it('ONNX: guided Grad-CAM of the top class, which the sidecar names: the star', () => {
    const out = run(process.execPath, ['snippet-1.js']);
    expect(out.trim()).toBe('[ 64, 64 ] 3 star');
  }, 120_000);
});
