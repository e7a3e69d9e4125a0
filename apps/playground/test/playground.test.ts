import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP, launch } from './harness.mjs';
import { nodeExplain, modelDir, samples } from './node-reference.js';
import { doneTiles, idle, maxAbs, open, tileNpy, url } from './page.js';

/**
 * End to end on the production build: the page's maps equal the Node result for the same
 * combination, user models upload, the URL restores a combination, and nothing leaves the origin.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

const local = (u: string) =>
  u.startsWith(url()) || u.startsWith(`blob:${url().replace(/\/$/, '')}`) || u.startsWith('data:');

describe('playground', () => {
  it('first heatmap: tfjs wasm, Grad-CAM at the auto layer, top-1, equals Node', async () => {
    const { page, requests, errors } = await open(browser);
    expect(await page.inputValue('#device')).toBe('tfjs-wasm');
    expect(await doneTiles(page)).toEqual(['gradcam']);
    const map = await tileNpy(page, 'gradcam');
    const ref = await nodeExplain({ runtime: 'tfjs', sample: 0, method: 'gradcam', layer: 'auto', target: null });
    expect(map.shape).toEqual(ref.map.shape);
    expect(maxAbs(map.data, ref.map.data)).toBeLessThanOrEqual(1e-4);
    expect(requests.filter((u) => !local(u))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('pick backend, methods, layer and target: ONNX wasm maps equal onnxruntime-node, and the URL restores them', async () => {
    const { page, requests } = await open(browser);
    const after = requests.length;
    await page.selectOption('#device', 'onnx-wasm');
    await idle(page);
    await page.check('.method[data-method="guided-backprop"] input[type=checkbox]');
    await idle(page);
    await page.selectOption('#layer', 'relu3');
    await idle(page);
    expect(await page.textContent('#layer option[value="auto"]')).toBe('auto (relu4)');
    const second = Number(await page.getAttribute('#targets li:nth-child(2) button', 'data-class'));
    await page.click('#targets li:nth-child(2) button');
    await idle(page);
    await page.selectOption('#colormap', 'viridis');
    expect(await doneTiles(page)).toEqual(['gradcam', 'guided-backprop']);
    const combo = { runtime: 'onnx', sample: 0, layer: 'relu3', target: second } as const;
    const cam = await nodeExplain({ ...combo, method: 'gradcam' });
    const gb = await nodeExplain({ ...combo, method: 'guided-backprop' });
    expect(maxAbs((await tileNpy(page, 'gradcam')).data, cam.map.data)).toBeLessThanOrEqual(1e-4);
    expect(maxAbs((await tileNpy(page, 'guided-backprop')).data, gb.raw.data)).toBeLessThanOrEqual(1e-4);
    expect(requests.slice(after).filter((u) => !local(u))).toEqual([]);

    const link = page.url();
    expect(link).toContain('backend=onnx-wasm');
    const again = await open(browser, link.slice(url().length));
    expect(await again.page.inputValue('#device')).toBe('onnx-wasm');
    expect(await again.page.inputValue('#layer')).toBe('relu3');
    expect(await again.page.inputValue('#colormap')).toBe('viridis');
    expect(await again.page.getAttribute('#targets button.active', 'data-class')).toBe(String(second));
    expect(await doneTiles(again.page)).toEqual(['gradcam', 'guided-backprop']);
    expect(maxAbs((await tileNpy(again.page, 'gradcam')).data, cam.map.data)).toBeLessThanOrEqual(1e-4);
    await page.close();
    await again.page.close();
  });

  it('user models: an .onnx and a tfjs model.json + weights, with a local image, and no request at all while explaining', async () => {
    const { page, requests } = await open(browser);
    await page.selectOption('#device', 'onnx-wasm'); // warm the runtime: its files load once
    await idle(page);
    const before = requests.length;
    await page.setInputFiles('#model-files', [join(modelDir, 'model.onnx'), join(modelDir, 'model.gradscope.json')]);
    await idle(page);
    await page.setInputFiles('#image-file', samples.samples[1]!.image);
    await idle(page);
    expect(await page.textContent('#error')).toBe('');
    expect(await doneTiles(page)).toEqual(['gradcam']);
    expect(requests.slice(before)).toEqual([]);
    const ref = await nodeExplain({ runtime: 'onnx', sample: 1, method: 'gradcam', layer: 'auto', target: null });
    expect(maxAbs((await tileNpy(page, 'gradcam')).data, ref.map.data)).toBeLessThanOrEqual(1e-4);

    await page.selectOption('#device', 'tfjs-wasm');
    await idle(page);
    const mid = requests.length;
    await page.setInputFiles(
      '#model-files',
      ['model.json', 'weights.bin', 'model.gradscope.json'].map((f) => join(modelDir, f)),
    );
    await idle(page);
    expect(await page.inputValue('#device')).toBe('tfjs-wasm');
    expect(await page.textContent('#model-info')).toContain('on tfjs');
    expect(await doneTiles(page)).toEqual(['gradcam']);
    expect(requests.slice(mid)).toEqual([]);
    const tf = await nodeExplain({ runtime: 'tfjs', sample: 1, method: 'gradcam', layer: 'auto', target: null });
    expect(maxAbs((await tileNpy(page, 'gradcam')).data, tf.map.data)).toBeLessThanOrEqual(1e-4);
    await page.close();
  });

  it("the GAIN experiment's models: picked from the model list, on both runtimes, with the biased-shapes samples", async () => {
    const { page, errors } = await open(browser);
    await page.selectOption('#model-kind', 'builtin:gain-ext');
    await idle(page);
    const conflicting = samples.samples.findIndex((s) => s.image.endsWith('4-disc-on-green.png'));
    await page.click(`.sample[data-sample="${conflicting}"]`);
    await idle(page);
    expect(page.url()).toContain('model=builtin%3Again-ext');
    // the sidecar's class names and the model's 32² input, as the CLI reads them
    expect(await page.textContent('#targets')).toMatch(/disc|square|triangle|plus/);
    for (const [device, runtime] of [
      ['tfjs-wasm', 'tfjs'],
      ['onnx-wasm', 'onnx'],
    ] as const) {
      if (device !== 'tfjs-wasm') await page.selectOption('#device', device);
      await idle(page);
      expect(await doneTiles(page)).toEqual(['gradcam']);
      const map = await tileNpy(page, 'gradcam');
      const ref = await nodeExplain({
        runtime,
        model: 'gain-ext',
        sample: conflicting,
        method: 'gradcam',
        layer: 'auto',
        target: null,
      });
      expect(map.shape).toEqual([32, 32]);
      expect(maxAbs(map.data, ref.map.data)).toBeLessThanOrEqual(1e-4);
    }
    // Before/after side by side: the paired GAIN model on the same device, input and method.
    await page.selectOption('#compare', 'model:gain-baseline');
    await idle(page);
    expect(page.url()).toContain('compare=model%3Again-baseline');
    expect(await page.$$eval('.tile[data-method="gradcam"] small', (s) => s.map((e) => e.textContent))).toEqual([
      'this model',
      'gain-baseline',
      '|difference|',
    ]);
    const [ext, base] = await Promise.all(
      (['gain-ext', 'gain-baseline'] as const).map((model) =>
        nodeExplain({ runtime: 'onnx', model, sample: conflicting, method: 'gradcam', layer: 'auto', target: null }),
      ),
    );
    const shown = Number(await page.getAttribute('.tile[data-method="gradcam"] .maxerr', 'data-max-error'));
    // the second column is the baseline's map: the difference shown is the one between the two models' maps in Node
    expect(Math.abs(shown - maxAbs(ext!.map.data, base!.map.data))).toBeLessThanOrEqual(1e-4);
    expect(shown).toBeGreaterThan(0.1);
    await page.selectOption('#compare', '');
    await page.selectOption('#model-kind', 'builtin:gain-baseline');
    await idle(page);
    const ref = await nodeExplain({
      runtime: 'onnx',
      model: 'gain-baseline',
      sample: conflicting,
      method: 'gradcam',
      layer: 'auto',
      target: null,
    });
    expect(maxAbs((await tileNpy(page, 'gradcam')).data, ref.map.data)).toBeLessThanOrEqual(1e-4);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('takes the README screenshot: several methods side by side', async () => {
    const methods = 'gradcam,gradcam-plusplus,layercam,eigencam,guided-backprop,guided-gradcam';
    const { page } = await open(browser, `?model=builtin&backend=tfjs-wasm&image=sample:1&methods=${methods}`);
    await page.setViewportSize({ width: 1280, height: 800 });
    expect((await doneTiles(page)).length).toBe(6);
    const shot = join(APP, 'tmp', 'playground.png');
    mkdirSync(join(APP, 'tmp'), { recursive: true });
    await page.screenshot({ path: shot });
    expect(readFileSync(shot).length).toBeGreaterThan(10_000);
    // The committed copy changes only when asked (its timings differ run to run).
    if (process.env['GRADSCOPE_UPDATE_SCREENSHOT']) copyFileSync(shot, join(APP, '../../docs/images/playground.png'));
    await page.close();
  });
});
