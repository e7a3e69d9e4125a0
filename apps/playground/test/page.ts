import { readFileSync } from 'node:fs';
import { decodeNpy, type Tensor } from '@gradscope/core';
import type { Browser, Page } from 'playwright-core';
import { inject } from 'vitest';

/** Page helpers shared by the playground's browser tests. */
export const url = () => inject('playgroundUrl');

/** A fresh page that records every request it makes. */
export async function open(
  browser: Browser,
  query = '',
): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.newPage({ acceptDownloads: true });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url() + query);
  await idle(page);
  return { page, requests, errors };
}

/** Waits until the page has settled: model loaded, image set, the run finished (or failed). */
export async function idle(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForTimeout(60); // past the 30 ms debounce that starts a run
  await page.waitForSelector('body[data-state="idle"]', { timeout });
}

/** Downloads a tile's .npy through the page's own button and decodes it. */
export async function tileNpy(page: Page, method: string): Promise<Tensor> {
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.click(`.tile[data-method="${method}"] button.npy`),
  ]);
  return decodeNpy(new Uint8Array(readFileSync((await dl.path())!)));
}

export function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export const doneTiles = (page: Page) =>
  page.$$eval('.tile.done', (els) => els.map((e) => (e as HTMLElement).dataset['method']!));
