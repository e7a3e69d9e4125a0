// Timings of the production playground in headless Chromium (a benchmark, not a test):
// navigation → first heatmap on the built-in model, then every runnable method's time per backend.
// Usage: node scripts/measure.mjs   (builds the app into a temporary folder first)
import { buildApp, launch, removeDir, serve } from '../test/harness.mjs';

const out = await buildApp();
const server = await serve(out);
const browser = await launch();
const idle = (page) =>
  page.waitForTimeout(60).then(() => page.waitForSelector('body[data-state="idle"]', { timeout: 120_000 }));
try {
  const first = [];
  for (let i = 0; i < 3; i++) {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForSelector('.tile.done', { timeout: 60_000 });
    first.push(Number(await page.evaluate(() => document.body.dataset.firstHeatmapMs)));
    await page.close();
  }
  console.log(
    `navigation → first heatmap (tfjs wasm, Grad-CAM, built-in model), 3 fresh pages: ${first.map((t) => t.toFixed(0)).join(', ')} ms`,
  );

  for (const device of ['tfjs-wasm', 'tfjs-webgl', 'onnx-wasm']) {
    const page = await browser.newPage();
    await page.goto(`${server.url}?backend=${device}&methods=`);
    await idle(page);
    const ids = await page.$$eval('.method input:not([disabled])', (els) => els.map((e) => e.value));
    // Twice, each on a fresh page (so each includes the runtime's one-off kernel compilation).
    for (const pass of ['fresh page, sample 1', 'fresh page, sample 2']) {
      await page.goto(
        `${server.url}?backend=${device}&methods=${ids.join(',')}&image=sample:${pass.endsWith('1') ? 1 : 2}`,
      );
      await idle(page);
      const rows = await page.$$eval('.tile', (els) =>
        els.map((e) => [e.dataset.method, e.querySelector('.status').textContent]),
      );
      console.log(`\n${device} (${pass}): ${rows.map(([m, t]) => `${m} ${t}`).join(' · ')}`);
    }
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
  removeDir(out);
}
