import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFuzz } from '../scripts/fuzz/fuzz.js';

// The fuzzer's quick tier (the full tier is scripts/fuzz/main.ts): 300 seeded hostile cases through
// the real CLI in child processes; every case must end in a typed one-line error or a finite
// result. The children run the compiled packages, so this builds them first (incremental).
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let failDir: string;

beforeAll(() => {
  execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-b', 'packages/cli/tsconfig.scripts.json'], { cwd: ROOT });
  failDir = mkdtempSync(join(tmpdir(), 'gradscope-fuzz-failures-'));
}, 300_000);
afterAll(() => rmSync(failDir, { recursive: true, force: true }));

describe('fuzzer, quick tier', () => {
  it('300 cases: no crash, hang, memory blow-up, raw error or non-finite result, in under 3 minutes', async () => {
    const report = await runFuzz({
      seed: 20261206,
      count: 300,
      workers: 2,
      cpuMs: 20_000,
      wallMs: 120_000,
      heapMb: 1024,
      rssMb: 2048,
      failDir,
      childScript: join(ROOT, 'packages/cli/dist/scripts/fuzz/run-case.js'),
      fixture: new URL('../../conformance/fixtures/tiny-cnn/', import.meta.url),
    });
    expect(report.failures).toEqual([]);
    expect(report.cases).toBe(300);
    expect(report.typedErrors + report.finiteResults).toBe(report.commands);
    // both runtimes and every input family were exercised
    const families = Object.keys(report.byMutation).join(' ');
    for (const f of ['onnx:', 'tfjs:', 'onnx/npy:', 'tfjs/npy:', '/image:png', '/image:jpeg'])
      expect(families).toContain(f);
    expect(report.finiteResults).toBeGreaterThan(0);
    expect(report.ms).toBeLessThan(180_000);
  }, 200_000);
});
