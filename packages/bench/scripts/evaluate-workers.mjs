#!/usr/bin/env node
// Throughput of `gradscope evaluate --workers n` (benchmark, not a test): Grad-CAM on full-size
// ResNet-18 (ONNX, packages/bench/.models/resnet18.onnx, made by `pnpm bench` / make-full-models.py)
// over seeded noise inputs (.npy, already in the model's layout), scored with one metric that runs
// the model once more on the map-multiplied image (the cost of pytorch-grad-cam's
// CamMultImageConfidenceChange). Prints the images/s of 1 and 2 workers (after the models are
// loaded, as the progress line reports it, and over the whole command) and their ratio.
//
//   node packages/bench/scripts/evaluate-workers.mjs [--images 48] [--model path/to/resnet18.onnx] [--workers 1,2]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { encodeNpy } from '@gradscope/core';

const here = fileURLToPath(new URL('.', import.meta.url));
const bin = join(here, '..', '..', 'cli', 'dist', 'bin.js');
const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '48' },
    model: { type: 'string', default: join(here, '..', '.models', 'resnet18.onnx') },
    workers: { type: 'string', default: '1,2' },
  },
});
if (!existsSync(values.model)) {
  console.error(`no model at ${values.model}: run 'pnpm bench' once (it makes the full-size ONNX models)`);
  process.exit(1);
}
if (!existsSync(bin)) {
  console.error(`build the CLI first: npx turbo run build --filter=@gradscope/cli...`);
  process.exit(1);
}

const METRIC = `export const camMult = { id: 'cam-mult-change', title: 'score change, image × map', description: 'bench',
  higherIsBetter: true, needs: [], options: {},
  async compute(ctx) {
    const [, C, H, W] = ctx.input.shape; const x = new Float32Array(ctx.input.data);
    for (let c = 0; c < C; c++) for (let p = 0; p < H * W; p++) x[c * H * W + p] *= ctx.map.data[p];
    const s = ctx.scores(await ctx.forwardBatch({ data: x, shape: ctx.input.shape }));
    return { value: s[0] - ctx.resolved.score };
  } };
`;

const dir = mkdtempSync(join(tmpdir(), 'gradscope-eval-bench-'));
try {
  mkdirSync(join(dir, 'img'));
  let state = 12345;
  const rand = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const n = Number(values.images);
  for (let i = 0; i < n; i++) {
    const data = new Float32Array(3 * 224 * 224).map(rand);
    writeFileSync(join(dir, 'img', `x${String(i).padStart(3, '0')}.npy`), encodeNpy({ data, shape: [1, 3, 224, 224] }));
  }
  writeFileSync(join(dir, 'metric.mjs'), METRIC);
  const rows = [];
  for (const w of values.workers.split(',').map(Number)) {
    const t0 = performance.now();
    const r = spawnSync(
      process.execPath,
      [
        bin,
        'evaluate',
        'img',
        '--model',
        values.model,
        '--plugin',
        './metric.mjs',
        '--method',
        'gradcam',
        '--metrics',
        'cam-mult-change',
        '--workers',
        String(w),
        '--out',
        `out-${w}`,
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    const wall = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`evaluate --workers ${w} failed: ${r.stderr}`);
    // the last progress line: `evaluate: n/n images  R img/s  ETA 00:00` (counted once the models are loaded)
    const rate = Number(/([\d.]+) img\/s[^\n]*\n?$/.exec(r.stderr)?.[1]);
    rows.push({ workers: w, wall, rate });
  }
  console.log(
    `gradscope evaluate: Grad-CAM + one metric (one extra forward), ResNet-18 ONNX, 1 ORT thread per worker, ${n} images, ${availableParallelism()} cores`,
  );
  console.log('| workers | images/s (models loaded) | × 1 worker | wall time of the command (s) | × 1 worker |');
  console.log('|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.workers} | ${r.rate.toFixed(2)} | ${(r.rate / rows[0].rate).toFixed(2)} | ${r.wall.toFixed(1)} | ${(rows[0].wall / r.wall).toFixed(2)} |`,
    );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
