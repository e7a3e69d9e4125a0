import { playwright } from '@vitest/browser-playwright';

/**
 * Shared browser-mode settings for every package's `vitest.browser.config.ts`: Debian's Chromium
 * (`.ci/install-browser`; override with GRADSCOPE_CHROMIUM) driven by Playwright with the flags
 * measured to work as root (TOOLCHAIN.md). Without a GPU, WebGL runs on SwiftShader; `webgpu: true`
 * adds a software WebGPU adapter. Playwright gives every launch a fresh profile in the OS temp dir.
 */
export function chromiumBrowser(options: { webgpu?: boolean; env?: Record<string, string | undefined> } = {}) {
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--enable-unsafe-swiftshader',
    ...(options.webgpu ? ['--enable-unsafe-webgpu'] : []),
  ];
  return {
    enabled: true,
    headless: true,
    screenshotFailures: false,
    provider: playwright({
      launchOptions: {
        executablePath: process.env.GRADSCOPE_CHROMIUM ?? '/usr/bin/chromium',
        args,
        ...(options.env ? { env: options.env } : {}),
      },
    }),
    instances: [{ browser: 'chromium' as const }],
  };
}

/** Workspace packages resolve to their TypeScript sources in the browser too. */
export const browserConditions = ['gradscope-source', 'module', 'browser', 'import', 'default'];
