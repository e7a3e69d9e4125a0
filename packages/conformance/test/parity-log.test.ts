import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { logParity } from '../src/methods/parity-log.js';

const t = (...v: number[]) => ({ data: Float32Array.from(v), shape: [v.length] });

describe('logParity', () => {
  const saved = process.env['GRADSCOPE_PARITY_LOG'];
  afterEach(() => {
    if (saved === undefined) delete process.env['GRADSCOPE_PARITY_LOG'];
    else process.env['GRADSCOPE_PARITY_LOG'] = saved;
  });

  it('appends the map max-abs and raw relative error (up to sign when asked) to GRADSCOPE_PARITY_LOG, and nothing without it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parity-log-'));
    try {
      const file = join(dir, 'p.jsonl');
      process.env['GRADSCOPE_PARITY_LOG'] = file;
      const where = { backend: 'b', fixture: 'f', method: 'm', case: 'x0/top1' };
      await logParity(where, { actual: t(0.5, 1), golden: t(0.25, 1) }, { actual: t(2, -4), golden: t(2, -5) });
      await logParity(where, null, { actual: t(-1, 2), golden: t(1, -2), upToSign: true });
      delete process.env['GRADSCOPE_PARITY_LOG']; // without the variable nothing is written
      await logParity(where, { actual: t(1), golden: t(0) }, null);
      const lines = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toEqual([
        { ...where, mapMaxAbs: 0.25, rawRelative: 0.2 },
        { ...where, rawRelative: 0 },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
