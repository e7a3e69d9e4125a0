// The fuzzer's full tier: `node packages/cli/dist/scripts/fuzz/main.js [--count 10000] [--seed 1]
// [--workers 2] [--cpu-ms 20000] [--wall-ms 300000] [--fail-dir tmp/fuzz-failures]` after
// `tsc -b packages/cli/tsconfig.scripts.json`. Prints progress and a JSON report; exit 1 on any failure.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { runFuzz } from './fuzz.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    workers: { type: 'string', default: '2' },
    'cpu-ms': { type: 'string', default: '20000' },
    'wall-ms': { type: 'string', default: '300000' },
    'fail-dir': { type: 'string', default: 'tmp/fuzz-failures' },
  },
});
const start = Date.now();
const report = await runFuzz({
  seed: Number(values.seed),
  count: Number(values.count),
  workers: Number(values.workers),
  cpuMs: Number(values['cpu-ms']),
  wallMs: Number(values['wall-ms']),
  heapMb: 1024,
  rssMb: 2048,
  failDir: values['fail-dir']!,
  childScript: fileURLToPath(new URL('./run-case.js', import.meta.url)),
  fixture: new URL('../../../../conformance/fixtures/tiny-cnn/', import.meta.url),
  onProgress: (n, r) => {
    if (n % 250 === 0)
      process.stderr.write(`${n} cases, ${r.failures.length} failures, ${Math.round((Date.now() - start) / 1000)} s\n`);
  },
});
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
process.exitCode = report.failures.length ? 1 : 0;
