import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';

/** Building, serving and driving the production playground, for the tests and the timing script. */
export const APP = fileURLToPath(new URL('..', import.meta.url));

/** A production build of the app into a fresh temporary folder (what users get). */
export async function buildApp() {
  const outDir = mkdtempSync(join(tmpdir(), 'gradscope-playground-'));
  await build({
    root: APP,
    configFile: join(APP, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

/** `vite preview` of a build on 127.0.0.1 and a free port. */
export async function serve(outDir) {
  const server = await preview({
    root: APP,
    configFile: join(APP, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const url = server.resolvedUrls.local[0];
  return { url, close: () => server.close() };
}

/** Debian's Chromium with the flags that work as root without a GPU (TOOLCHAIN.md). */
export function launch(options = {}) {
  return chromium.launch({
    executablePath: process.env['GRADSCOPE_CHROMIUM'] ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--enable-unsafe-swiftshader',
      ...(options.webgpu ? ['--enable-unsafe-webgpu'] : []),
    ],
  });
}

/** Waits until the run shown in the page has finished (or was cancelled), returning its state. */
export async function finished(page, timeout = 60_000) {
  const h = await page.waitForFunction(
    (prev) => {
      const r = document.body.dataset['run'];
      return r && r !== prev ? r : null;
    },
    await page.evaluate(() => document.body.dataset['run'] ?? ''),
    { timeout },
  );
  return await h.jsonValue();
}

export const removeDir = (dir) => rmSync(dir, { recursive: true, force: true });
