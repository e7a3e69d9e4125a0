import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The ```ts blocks of docs/browser.md must type-check against the packages, as an app's code does:
// each block becomes a file of a scratch project (`// file: <name>` on its first line names it;
// blocks import each other by those names) whose node_modules link the workspace packages (resolved
// to their TypeScript sources through the `gradscope-source` condition, so no build is needed) and
// the runtimes the playground installs; `tsc --noEmit` must report nothing.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PLAYGROUND_DEPS = join(ROOT, 'apps/playground/node_modules');
const LINKS: Record<string, string> = {
  '@gradscope/core': join(ROOT, 'packages/core'),
  '@gradscope/methods': join(ROOT, 'packages/methods'),
  '@gradscope/image': join(ROOT, 'packages/image'),
  '@gradscope/render': join(ROOT, 'packages/render'),
  '@gradscope/backend-tfjs': join(ROOT, 'packages/backend-tfjs'),
  '@gradscope/backend-onnx': join(ROOT, 'packages/backend-onnx'),
  '@tensorflow/tfjs': join(PLAYGROUND_DEPS, '@tensorflow/tfjs'),
  '@tensorflow/tfjs-backend-wasm': join(PLAYGROUND_DEPS, '@tensorflow/tfjs-backend-wasm'),
  '@tensorflow/tfjs-backend-webgpu': join(PLAYGROUND_DEPS, '@tensorflow/tfjs-backend-webgpu'),
  'onnxruntime-web': join(PLAYGROUND_DEPS, 'onnxruntime-web'),
  vite: join(PLAYGROUND_DEPS, 'vite'),
  '@types/node': join(ROOT, 'node_modules/@types/node'),
};

/** The ```ts blocks of a Markdown text, each with its file name (`// file: x.ts`, else snippet-<i>.ts). */
function tsBlocks(markdown: string): { name: string; code: string }[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m, i) => {
    const code = m[1]!;
    const name = /^\/\/ file: (\S+\.ts)\n/.exec(code)?.[1] ?? `snippet-${i}.ts`;
    return { name, code };
  });
}

function scratchProject(files: { name: string; code: string }[]): string {
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'tmp', 'browser-doc-'));
  for (const [name, target] of Object.entries(LINKS)) {
    mkdirSync(dirname(join(dir, 'node_modules', name)), { recursive: true });
    symlinkSync(realpathSync(target), join(dir, 'node_modules', name), 'dir');
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'browser-doc', private: true, type: 'module' }));
  const compilerOptions = {
    composite: false,
    noEmit: true,
    customConditions: ['gradscope-source'],
    allowImportingTsExtensions: true,
    types: ['node'],
  };
  const tsconfig = { extends: join(ROOT, 'tsconfig.base.json'), compilerOptions, files: files.map((f) => f.name) };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  for (const f of files) writeFileSync(join(dir, f.name), f.code);
  return dir;
}

describe('docs/browser.md', () => {
  const blocks = tsBlocks(readFileSync(join(ROOT, 'docs/browser.md'), 'utf8'));
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('has the example files and distinct names', () => {
    const names = blocks.map((b) => b.name);
    expect(names).toEqual(expect.arrayContaining(['vite.config.ts', 'worker.ts', 'main.ts']));
    expect(new Set(names).size).toBe(names.length);
  });

  const tsc = (dir: string) => {
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
      return '';
    } catch (e) {
      return String((e as { stdout?: string }).stdout ?? e);
    }
  };

  it('every ts block type-checks against the packages', () => {
    const dir = scratchProject(blocks);
    dirs.push(dir);
    expect(tsc(dir)).toBe('');
  }, 300_000);
});
