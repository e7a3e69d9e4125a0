import type { TestProject } from 'vitest/node';
import { buildApp, removeDir, serve } from './harness.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    playgroundUrl: string;
  }
}

/** Builds the playground once (Vite production build) and serves it with `vite preview` for every test file. */
export default async function setup(project: TestProject) {
  const outDir = await buildApp();
  const server = await serve(outDir);
  project.provide('playgroundUrl', server.url);
  return async () => {
    await server.close();
    removeDir(outDir);
  };
}
