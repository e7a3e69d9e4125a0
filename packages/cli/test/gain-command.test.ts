import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultWiring, main } from '../src/index.js';
import { memoryIo } from './fake-wiring.js';

describe('gradscope gain', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradscope-gain-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trains on the built-in biased shapes, writes model, history and report, and evaluates the result', async () => {
    const w = await defaultWiring();
    const m = memoryIo(dir);
    const args = ['gain', 'train', '--size', '16', '--count', '48', '--epochs', '1', '--pretrain-epochs', '1'];
    expect(await main([...args, '--out', 'run', '--batch', '16'], m.io, w)).toBe(0);
    for (const f of ['model/model.json', 'model/weights.bin', 'history.json', 'metrics.json', 'report.html'])
      expect(existsSync(join(dir, 'run', f)), f).toBe(true);
    const history = JSON.parse(readFileSync(join(dir, 'run/history.json'), 'utf8')).history;
    expect(history.map((h: { phase: string }) => h.phase)).toEqual(['pretrain', 'gain']);
    expect(history[1].lossE).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'run/report.html'), 'utf8')).toContain('data:image/png;base64,');
    const e = memoryIo(dir);
    expect(await main(['gain', 'evaluate', '--model', 'run/model/model.json', '--size', '16', '--json'], e.io, w)).toBe(
      0,
    );
    const metrics = JSON.parse(e.stdout());
    const saved = JSON.parse(readFileSync(join(dir, 'run/metrics.json'), 'utf8')).after;
    // the reloaded model scores exactly what training measured
    for (const k of ['accuracy', 'energyInMask', 'pointing', 'iou50']) expect(metrics[k]).toBeCloseTo(saved[k], 5);
  });

  it("evaluates the GAIN experiment's two sample models side by side, as each alone, and writes both maps per image", async () => {
    const w = await defaultWiring();
    const models = fileURLToPath(new URL('../../gain/experiment/models/', import.meta.url));
    const [baseline, gainExt] = ['baseline', 'gain-ext'].map((m) => join(models, m, 'model.json'));
    const alone = async (model: string) => {
      const e = memoryIo(dir);
      expect(await main(['gain', 'evaluate', '--model', model, '--json'], e.io, w)).toBe(0);
      return JSON.parse(e.stdout()) as Record<string, number>;
    };
    const both = memoryIo(dir);
    const args = ['gain', 'evaluate', '--model', gainExt!, '--baseline', baseline!, '--out', 'cmp', '--json'];
    expect(await main(args, both.io, w)).toBe(0);
    const printed = JSON.parse(both.stdout()) as Record<string, Record<string, number>>;
    expect(printed).toEqual({ baseline: await alone(baseline!), model: await alone(gainExt!) });
    expect(JSON.parse(readFileSync(join(dir, 'cmp/metrics.json'), 'utf8'))).toEqual(printed);
    // the committed GAIN_ext model puts more of its Grad-CAM on the object than the baseline (REPORT.md)
    expect(printed.model!.energyInMask).toBeGreaterThan(printed.baseline!.energyInMask! + 0.15);
    const html = readFileSync(join(dir, 'cmp/report.html'), 'utf8');
    expect(html.match(/<figure>/g)).toHaveLength(8);
    expect(
      html.match(
        /<img src="data:image\/png;base64,[^"]+" alt="baseline"><img src="data:image\/png;base64,[^"]+" alt="model">/g,
      ),
    ).toHaveLength(8);
    expect(html).not.toContain('Losses per epoch');
  });

  it('rejects an unknown subcommand and evaluate without a model as usage errors', async () => {
    const w = await defaultWiring();
    expect(await main(['gain', 'fit'], memoryIo(dir).io, w)).toBe(2);
    expect(await main(['gain', 'evaluate'], memoryIo(dir).io, w)).toBe(2);
  });
});
