import type { Browser, Page } from 'playwright-core';
export const APP: string;
export function buildApp(): Promise<string>;
export function serve(outDir: string): Promise<{ url: string; close(): Promise<void> }>;
export function launch(options?: { webgpu?: boolean }): Promise<Browser>;
export function finished(page: Page, timeout?: number): Promise<string>;
export function removeDir(dir: string): void;
