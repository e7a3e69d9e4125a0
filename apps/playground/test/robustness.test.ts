import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP, launch } from './harness.mjs';
import { modelDir } from './node-reference.js';
import { doneTiles, idle, maxAbs, open, tileNpy, url } from './page.js';

/** Plugins, cancel, and bad input in the page: readable messages, and the app keeps working. */
const dir = join(APP, 'tmp', 'robustness');
mkdirSync(dir, { recursive: true });
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

/** A plugin as a third party would write it: imports gradscope, exports Methods. */
const PLUGIN = `import { gradcam } from '@gradscope/methods';
export const invertedGradcam = {
  ...gradcam, id: 'inverted-gradcam', title: 'Inverted Grad-CAM', description: 'one minus Grad-CAM (a test plugin)',
  async explain(ctx, options) {
    const r = await gradcam.explain(ctx, options);
    return { ...r, map: { shape: r.map.shape, data: r.map.data.map((v) => 1 - v) } };
  },
};
export const methods = [{
  ...gradcam, id: 'slow-gradcam', title: 'Slow Grad-CAM', description: 'Grad-CAM after 1 s (a test plugin)',
  async explain(ctx, options) {
    await new Promise((r) => setTimeout(r, 1000));
    return gradcam.explain(ctx, options);
  },
}];
`;

/** A PNG whose header says 20000×20000 (400 megapixels); its pixel data is a few empty rows. */
function hugePng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(20000, 0);
  ihdr.writeUInt32BE(20000, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const idat = deflateSync(Buffer.alloc(4 * 20001));
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

const check = async (page: Page, method: string) => {
  await page.check(`.method[data-method="${method}"] input[type=checkbox]`);
  await idle(page);
};
const uncheck = async (page: Page, method: string) => {
  await page.uncheck(`.method[data-method="${method}"] input[type=checkbox]`);
  await idle(page);
};
const errorText = (page: Page) => page.textContent('#error');

describe('playground robustness', () => {
  it('a plugin module from a file registers like a built-in method; cancel and a newer choice stop a run', async () => {
    const { page, requests } = await open(browser);
    writeFileSync(join(dir, 'plugin.js'), PLUGIN);
    await page.setInputFiles('#plugin-file', join(dir, 'plugin.js'));
    await idle(page);
    expect(await page.textContent('.method[data-method="inverted-gradcam"]')).toContain('plugin');
    expect(await doneTiles(page)).toEqual(['gradcam', 'inverted-gradcam', 'slow-gradcam']);
    const cam = await tileNpy(page, 'gradcam');
    const inv = await tileNpy(page, 'inverted-gradcam');
    expect(
      maxAbs(
        inv.data,
        cam.data.map((v) => 1 - v),
      ),
    ).toBeLessThanOrEqual(1e-6);

    // Order: slow-gradcam first, then two quick ones that a cancel must stop.
    await uncheck(page, 'gradcam');
    await uncheck(page, 'inverted-gradcam');
    await check(page, 'gradcam');
    await check(page, 'saliency');
    const requestsBefore = requests.length;
    await page.click('#targets li:nth-child(2) button');
    await page.waitForSelector('.tile[data-method="slow-gradcam"].busy');
    await page.click('#cancel');
    await idle(page);
    expect(await page.getAttribute('body', 'data-run')).toMatch(/:cancelled$/);
    expect(await doneTiles(page)).toEqual(['slow-gradcam']);
    expect(await page.textContent('.tile[data-method="saliency"] .status')).toBe('cancelled');

    // A new choice while a run is busy: the stale run stops, the new one completes.
    await page.click('#targets li:nth-child(3) button');
    await page.waitForSelector('.tile[data-method="slow-gradcam"].busy');
    const stale = await page.evaluate(() => document.body.dataset['run']);
    await page.click('#targets li:nth-child(1) button');
    await idle(page);
    expect(await page.getAttribute('body', 'data-run')).not.toBe(stale);
    expect(await page.getAttribute('body', 'data-run')).toMatch(/:done$/);
    expect(await doneTiles(page)).toEqual(['slow-gradcam', 'gradcam', 'saliency']);
    expect(requests.slice(requestsBefore)).toEqual([]);

    writeFileSync(join(dir, 'empty.js'), 'export const answer = 42;\n');
    await page.setInputFiles('#plugin-file', join(dir, 'empty.js'));
    await idle(page);
    expect(await errorText(page)).toContain("plugin 'empty.js' exports no gradscope methods");
    await page.close();
  });

  it('a corrupt model, an unsupported operator, a huge image and a missing URL give readable messages; the app keeps working', async () => {
    const { page } = await open(browser);
    writeFileSync(join(dir, 'broken.onnx'), Buffer.from('this is not an ONNX model, just text'.repeat(10)));
    await page.setInputFiles('#model-files', join(dir, 'broken.onnx'));
    await idle(page);
    expect(await errorText(page)).toMatch(/broken\.onnx/);
    expect(await page.inputValue('#device')).toBe('tfjs-wasm'); // the previous model is still loaded
    await page.click('.sample[data-sample="2"]');
    await idle(page);
    expect(await errorText(page)).toBe('');
    expect(await doneTiles(page)).toEqual(['gradcam']);

    // The built-in ONNX model with its first Relu renamed to Sinh, an operator without a gradient rule.
    const onnx = readFileSync(join(modelDir, 'model.onnx'));
    const at = onnx.indexOf(Buffer.from('\x22\x04Relu', 'latin1'));
    expect(at).toBeGreaterThan(0);
    Buffer.from('Sinh', 'latin1').copy(onnx, at + 2);
    writeFileSync(join(dir, 'sinh.onnx'), onnx);
    await page.setInputFiles('#model-files', [join(dir, 'sinh.onnx'), join(modelDir, 'model.gradscope.json')]);
    await idle(page);
    await check(page, 'saliency');
    expect(await doneTiles(page)).toEqual(['gradcam']); // the path to relu4 does not cross Sinh
    expect(await page.textContent('.tile[data-method="saliency"] .status')).toMatch(/Sinh/);

    writeFileSync(join(dir, 'huge.png'), hugePng());
    await page.setInputFiles('#image-file', join(dir, 'huge.png'));
    await idle(page);
    expect(await errorText(page)).toMatch(/20000×20000 \(400 megapixels\)/);
    await page.click('.sample[data-sample="3"]');
    await idle(page);
    expect(await errorText(page)).toBe('');
    expect(await doneTiles(page)).toEqual(['gradcam']);
    expect(await page.textContent('.tile[data-method="saliency"] .status')).toMatch(/Sinh/);
    await page.fill('#model-url', `${url()}models/missing/model.json`);
    await page.click('#model-url-form button');
    await idle(page);
    expect(await errorText(page)).toMatch(/404/);
    await page.fill('#model-url', `${url()}models/shapes/model.json`); // a model by URL (tfjs: follows the backend)
    await page.click('#model-url-form button');
    await idle(page);
    expect(await errorText(page)).toBe('');
    expect(await page.textContent('#model-info')).toContain('on tfjs');
    expect(await doneTiles(page)).toEqual(['gradcam', 'saliency']);

    await page.close();
  });
});
