import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { build, preview } from 'vite';
import { APP, launch, removeDir } from './harness.mjs';

/**
 * The packages' own production-bundle check: a page that imports the BUILT @gradscope/core and
 * @gradscope/methods (through their `exports`, as an app does), bundled by Vite 8's production build
 * (Rolldown), runs in Chromium. Before core loaded its own ES-module Reflect polyfill, this bundle
 * threw "tsyringe requires a reflect polyfill" at load.
 */
mkdirSync(join(APP, 'tmp'), { recursive: true });
// Inside the app (tmp/ is git-ignored) so that the packages resolve from its node_modules like any app's.
const dir = mkdtempSync(join(APP, 'tmp', 'bundle-'));
afterAll(() => removeDir(dir));

it('a Vite production bundle of core + methods loads and registers every method', async () => {
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>');
  writeFileSync(
    join(dir, 'main.js'),
    `import { createGradscope } from '@gradscope/core';
import { builtinMethods } from '@gradscope/methods';
const gs = createGradscope({ methods: builtinMethods });
document.title = 'methods:' + gs.methods().length;`,
  );
  await build({ root: dir, configFile: false, logLevel: 'warn', build: { outDir: join(dir, 'dist'), minify: true } });
  const server = await preview({
    root: dir,
    configFile: false,
    logLevel: 'warn',
    build: { outDir: join(dir, 'dist') },
    preview: { host: '127.0.0.1', port: 0 },
  });
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.resolvedUrls!.local[0]!);
    await page.waitForFunction(() => document.title.startsWith('methods:') || document.readyState === 'complete');
    await page.waitForTimeout(200);
    expect(errors).toEqual([]);
    expect(await page.title()).toMatch(/^methods:\d+$/);
    expect(Number((await page.title()).slice('methods:'.length))).toBeGreaterThanOrEqual(20);
  } finally {
    await browser.close();
    await server.close();
  }
});
