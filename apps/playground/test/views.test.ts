import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeNpy } from '@gradscope/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP, launch } from './harness.mjs';
import { modelDir, nodeExplain, type Combination } from './node-reference.js';
import { doneTiles, idle, maxAbs, open, tileNpy, url } from './page.js';

/**
 * Preprocessing edits, a backend comparison, synchronised zoom and model folders, on one page that
 * carries its state from test to test (the suite stays fast).
 */
let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launch();
  ({ page } = await open(browser));
});
afterAll(() => browser?.close());

const sidecar = JSON.parse(readFileSync(join(modelDir, 'model.gradscope.json'), 'utf8')) as {
  normalization: { mean: number[]; std: number[] };
};
const camOf = (c: Partial<Combination> = {}) =>
  nodeExplain({ runtime: 'tfjs', sample: 0, method: 'gradcam', layer: 'auto', target: null, ...c });
const edit = async (selector: string, value: string) => {
  await page.fill(selector, value);
  await page.dispatchEvent(selector, 'change');
  await idle(page);
};

describe('playground views', () => {
  it("preprocessing: shown with the model's values, edited, applied in the worker and kept in the URL", async () => {
    const { mean, std } = sidecar.normalization;
    expect(await page.inputValue('#pre-height')).toBe('64');
    expect(await page.inputValue('#pre-width')).toBe('64');
    expect(await page.inputValue('#pre-mean')).toBe(mean.join(', '));
    expect(await page.inputValue('#pre-std')).toBe(std.join(', '));
    expect(await page.textContent('#seen-info')).toMatch(/tensor \[1, 64, 64, 3\]/);

    // Pixels in 0–255 with mean and std × 255 is the same tensor: the same map as the model's own.
    await page.selectOption('#pre-range', '255');
    await idle(page);
    await edit('#pre-mean', mean.map((v) => v * 255).join(', '));
    await edit('#pre-std', std.map((v) => v * 255).join(', '));
    const own = await camOf();
    expect(maxAbs((await tileNpy(page, 'gradcam')).data, own.map.data)).toBeLessThanOrEqual(1e-4);

    // BGR: the network gets red and blue swapped; the map is the Node one for the swapped image.
    await page.selectOption('#pre-order', 'bgr');
    await idle(page);
    expect(await page.textContent('#seen-info')).toContain('channels B, G, R');
    const bgr = await camOf({ bgr: true });
    expect(maxAbs(own.map.data, bgr.map.data)).toBeGreaterThan(1e-3); // the edit matters
    expect(maxAbs((await tileNpy(page, 'gradcam')).data, bgr.map.data)).toBeLessThanOrEqual(1e-4);
    expect(page.url()).toMatch(/range=255.*order=bgr/);

    const again = await open(browser, page.url().slice(url().length));
    expect(await again.page.inputValue('#pre-range')).toBe('255');
    expect(await again.page.inputValue('#pre-order')).toBe('bgr');
    expect(await again.page.inputValue('#pre-mean')).toBe(mean.map((v) => v * 255).join(', '));
    expect(maxAbs((await tileNpy(again.page, 'gradcam')).data, bgr.map.data)).toBeLessThanOrEqual(1e-4);
    await again.page.close();

    // The built-in model's input is fixed: another size is refused with a message and the app keeps working.
    await edit('#pre-height', '32');
    expect(await page.textContent('#error')).toContain('fixed at 64×64');
    expect(await page.inputValue('#pre-height')).toBe('64');
    await page.click('#pre-reset');
    await idle(page);
    expect(page.url()).not.toContain('order=');
    expect(await doneTiles(page)).toEqual(['gradcam']);
    expect(maxAbs((await tileNpy(page, 'gradcam')).data, own.map.data)).toBeLessThanOrEqual(1e-4);
  });

  it('compare backends: Grad-CAM on tfjs wasm and ONNX wasm side by side, max error ≤ 1e-4', async () => {
    await page.check('.method[data-method="guided-backprop"] input[type=checkbox]');
    await idle(page);
    await page.selectOption('#compare', 'onnx-wasm');
    await idle(page);
    expect(page.url()).toContain('compare=onnx-wasm');
    const shown = Number(await page.getAttribute('.tile[data-method="gradcam"] .maxerr', 'data-max-error'));
    expect(await page.textContent('.tile[data-method="gradcam"] .maxerr')).toMatch(
      /^max \|difference\| = \d\.\d\de[-+]\d+/,
    );
    expect(shown).toBeLessThanOrEqual(1e-4);
    // Two runtimes, not one run twice: the difference is not zero, and it is the one between
    // tfjs's and onnxruntime's maps computed in Node (≈ 5e-7 here).
    expect(shown).toBeGreaterThan(0);
    const [tf, ort] = [await camOf(), await camOf({ runtime: 'onnx' })];
    expect(Math.abs(shown - maxAbs(tf.map.data, ort.map.data))).toBeLessThanOrEqual(5e-6);
    const gb = Number(await page.getAttribute('.tile[data-method="guided-backprop"] .maxerr', 'data-max-error'));
    expect(gb).toBeLessThanOrEqual(1e-4);
    const sizes = await page.$$eval('.tile[data-method="gradcam"] canvas', (cs) =>
      cs.map((c) => `${(c as HTMLCanvasElement).width}x${(c as HTMLCanvasElement).height}`),
    );
    expect(sizes).toEqual(['64x64', '64x64', '64x64']);
  });

  it('zoom and pan: the wheel on one tile zooms every tile alike; the value under the cursor stays', async () => {
    const transforms = () => page.$$eval('.tile canvas', (cs) => cs.map((c) => getComputedStyle(c).transform));
    expect(new Set(await transforms())).toEqual(new Set(['none']));
    // Zoom about the map's peak on the Grad-CAM tile: the point under the cursor stays put.
    const map = await tileNpy(page, 'gradcam');
    const peak = map.data.indexOf(Math.max(...map.data));
    const [px, py] = [peak % 64, Math.floor(peak / 64)];
    const frame = (await page.locator('.tile[data-method="gradcam"] .frame').first().boundingBox())!;
    const point = { x: frame.x + ((px + 0.5) / 64) * frame.width, y: frame.y + ((py + 0.5) / 64) * frame.height };
    await page.mouse.move(point.x, point.y);
    await page.mouse.wheel(0, -300);
    await page.waitForFunction(() => getComputedStyle(document.querySelector('.tile canvas')!).transform !== 'none');
    const zoomed = await transforms();
    expect(zoomed.length).toBe(6); // 2 methods × (this backend, the other, the difference)
    expect(new Set(zoomed).size).toBe(1);
    expect(zoomed[0]).toMatch(/^matrix\(2\.71/);
    await page.mouse.move(point.x + 0.5, point.y + 0.5);
    expect(await page.textContent('.tile[data-method="gradcam"] .value')).toBe(
      `(${px}, ${py}) ${map.data[peak]!.toFixed(4)}`,
    );
    // Drag to pan: every tile follows.
    await page.mouse.down();
    await page.mouse.move(point.x - frame.width / 4, point.y - frame.height / 4, { steps: 4 });
    await page.mouse.up();
    const panned = await transforms();
    expect(new Set(panned).size).toBe(1);
    expect(panned[0]).not.toBe(zoomed[0]);
    await page.dblclick('.tile[data-method="gradcam"] .frame');
    expect(new Set(await transforms())).toEqual(new Set(['none']));
    await page.selectOption('#compare', '');
    await page.uncheck('.method[data-method="guided-backprop"] input[type=checkbox]');
    await idle(page);
  });

  it('target kinds: softmax of a clicked class, a negated logit, a similarity and a seed vector equal Node', async () => {
    const second = Number(await page.getAttribute('#targets li:nth-child(2) button', 'data-class'));
    await page.click('#targets li:nth-child(2) button');
    await idle(page);
    await page.selectOption('#target-kind', 'softmax');
    await idle(page);
    const soft = await camOf({ target: second, kind: 'softmax' });
    const logit = await camOf({ target: second });
    expect(maxAbs(soft.map.data, logit.map.data)).toBeGreaterThan(1e-3); // the kind matters
    expect(maxAbs((await tileNpy(page, 'gradcam')).data, soft.map.data)).toBeLessThanOrEqual(1e-4);
    await page.selectOption('#target-kind', 'class');
    await page.check('#target-negate');
    await idle(page);
    expect(page.url()).toContain('negate=1');
    const neg = await camOf({ target: second, negate: true });
    expect(maxAbs(neg.map.data, logit.map.data)).toBeGreaterThan(1e-3);
    expect(maxAbs((await tileNpy(page, 'gradcam')).data, neg.map.data)).toBeLessThanOrEqual(1e-4);
    await page.uncheck('#target-negate');
    await page.click('#targets li:nth-child(1) button');
    await idle(page);

    // A vector target without its vector: a readable message in the tile. Then a .npy vector.
    await page.selectOption('#target-kind', 'similarity');
    await idle(page);
    expect(await page.textContent('.tile[data-method="gradcam"] .status')).toContain('needs a vector');
    const vector = [0.3, -1.2, 0.8, 0.1, -0.4];
    const file = join(APP, 'tmp', 'views', 'vector.npy');
    mkdirSync(join(APP, 'tmp', 'views'), { recursive: true });
    writeFileSync(file, encodeNpy({ data: Float32Array.from(vector), shape: [5] }));
    await page.setInputFiles('#target-vector', file);
    await idle(page);
    const sim = await camOf({ kind: 'similarity', vector });
    expect(maxAbs((await tileNpy(page, 'gradcam')).data, sim.map.data)).toBeLessThanOrEqual(1e-4);
    await page.selectOption('#target-kind', 'seed');
    await idle(page);
    const seed = await camOf({ kind: 'seed', vector });
    expect(maxAbs(seed.map.data, sim.map.data)).toBeGreaterThan(1e-3);
    expect(maxAbs((await tileNpy(page, 'gradcam')).data, seed.map.data)).toBeLessThanOrEqual(1e-4);
    await page.selectOption('#target-kind', 'class');
    await idle(page);
  });

  it('model folders: a tfjs model folder from the folder picker, and several files dropped on the page', async () => {
    const dir = join(APP, 'tmp', 'views', 'shapes-folder');
    mkdirSync(dir, { recursive: true });
    for (const f of ['model.json', 'weights.bin', 'model.gradscope.json'])
      copyFileSync(join(modelDir, f), join(dir, f));
    writeFileSync(join(dir, 'README.txt'), 'not part of the model\n');
    await page.selectOption('#device', 'onnx-wasm');
    await idle(page);
    await page.setInputFiles('#model-folder', dir);
    await idle(page);
    expect(await page.textContent('#error')).toBe('');
    expect(await page.inputValue('#device')).toBe('tfjs-wasm');
    expect(await page.textContent('#model-info')).toContain('on tfjs');
    expect(maxAbs((await tileNpy(page, 'gradcam')).data, (await camOf()).map.data)).toBeLessThanOrEqual(1e-4);

    // A drop of the ONNX model and its sidecar: the device follows the model's runtime.
    const files = ['model.onnx', 'model.gradscope.json'].map((f) => ({
      name: f,
      bytes: [...readFileSync(join(modelDir, f))],
    }));
    const dt = await page.evaluateHandle((fs) => {
      const t = new DataTransfer();
      for (const f of fs) t.items.add(new File([new Uint8Array(f.bytes)], f.name));
      return t;
    }, files);
    await page.dispatchEvent('#tiles', 'drop', { dataTransfer: dt });
    await idle(page);
    expect(await page.textContent('#error')).toBe('');
    expect(await page.inputValue('#device')).toBe('onnx-wasm');
    const ort = await camOf({ runtime: 'onnx' });
    expect(maxAbs((await tileNpy(page, 'gradcam')).data, ort.map.data)).toBeLessThanOrEqual(1e-4);
  });
});
