import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('rejects an unknown subcommand and evaluate without a model as usage errors', async () => {
    const w = await defaultWiring();
    expect(await main(['gain', 'fit'], memoryIo(dir).io, w)).toBe(2);
    expect(await main(['gain', 'evaluate'], memoryIo(dir).io, w)).toBe(2);
  });
});
