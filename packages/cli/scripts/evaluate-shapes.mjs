#!/usr/bin/env node
// The evaluation in docs/evaluation.md: every shipped method on the built-in shapes model (ONNX) over
// generated images with their object masks, scored by `gradscope evaluate`; then the table and plots.
// A script, not a test (it takes a long time). Build first: npx turbo run build --filter=@gradscope/cli...
//
//   node packages/cli/scripts/evaluate-shapes.mjs [--images 500] [--workers 2] [--metrics <ids>]
//        [--methods all] [--work <dir>] [--docs-only]
//
// The images come from the model's own generator options (its sidecar) with seed 3 (training used 1,
// validation 2), so they are held out. Records are appended image by image in order, so a run that is
// stopped (Ctrl-C, kill) keeps every finished image: rerun to resume, or pass --docs-only to write the
// docs from the images finished so far (only images with a record for every method are counted).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createShapesGenerator } from '@gradscope/shapes';
import pngjs from 'pngjs';
import { builtinMetrics } from '@gradscope/metrics';
import { readResults, reportPlots, summarizeRecords } from '../dist/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..', '..');
const MODEL = join(root, 'packages', 'shapes', 'model', 'model.onnx');
const CHEAP = [
  'cam-mult-image-confidence-change',
  'drop-in-confidence',
  'increase-in-confidence',
  'deletion-auc',
  'insertion-auc',
  'pointing-game',
  'energy-pointing-game',
  'iou',
  'infidelity',
];
const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '500' },
    workers: { type: 'string', default: '2' },
    metrics: { type: 'string', default: CHEAP.join(',') },
    methods: { type: 'string', default: 'all' },
    step: { type: 'string', default: '128' },
    work: { type: 'string', default: join(root, 'tmp', 'evaluate-shapes') },
    'docs-only': { type: 'boolean', default: false },
  },
});
const n = Number(values.images);
const work = values.work;
const out = join(work, 'out');

function png(width, height, rgba) {
  const p = new pngjs.PNG({ width, height });
  p.data = Buffer.from(rgba);
  return pngjs.PNG.sync.write(p);
}

function generate() {
  const sidecar = JSON.parse(readFileSync(MODEL.replace(/\.onnx$/, '.gradscope.json'), 'utf8'));
  const g = createShapesGenerator({ ...sidecar.generator.options, seed: 3 });
  mkdirSync(join(work, 'img'), { recursive: true });
  mkdirSync(join(work, 'masks'), { recursive: true });
  for (let i = 0; i < n; i++) {
    const name = `shape-${String(i).padStart(4, '0')}.png`;
    if (existsSync(join(work, 'masks', name))) continue;
    const s = g.sample(i);
    const m = new Uint8Array(s.width * s.height * 4);
    for (let p = 0; p < s.width * s.height; p++) m.set(s.mask[p] ? [255, 255, 255, 255] : [0, 0, 0, 255], p * 4);
    writeFileSync(join(work, 'img', name), png(s.width, s.height, s.image));
    writeFileSync(join(work, 'masks', name), png(s.width, s.height, m));
  }
}

function evaluate() {
  const args = [
    join(here, '..', 'dist', 'bin.js'),
    'evaluate',
    join(work, 'img'),
    '--model',
    MODEL,
    '--method',
    values.methods,
    '--metrics',
    values.metrics,
    '--masks',
    join(work, 'masks'),
    '--workers',
    values.workers,
    '--out',
    out,
  ];
  const metrics = values.metrics.split(',');
  for (const k of ['deletion-auc', 'insertion-auc']) if (metrics.includes(k)) args.push(`--${k}.step`, values.step);
  if (existsSync(join(out, 'results.jsonl'))) args.push('--resume');
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const fmt = (x) => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(3)) : '–');

function docs() {
  const config = JSON.parse(readFileSync(join(out, 'evaluate.json'), 'utf8'));
  const { methods, metrics } = config;
  const all = readResults(join(out, 'results.jsonl')).records;
  const per = new Map();
  for (const r of all) per.set(r.image, (per.get(r.image) ?? 0) + 1);
  const complete = new Set([...per].filter(([, k]) => k === methods.length).map(([img]) => img));
  const records = all.filter((r) => complete.has(r.image));
  const summaries = summarizeRecords(records, methods, metrics);
  const { distributions, curves } = reportPlots(records, methods, metrics);
  const dir = join(root, 'docs', 'evaluation');
  mkdirSync(dir, { recursive: true });
  metrics.forEach((k, i) => writeFileSync(join(dir, `${k}.svg`), `${distributions[i]}\n`));
  for (const c of curves) writeFileSync(join(dir, `${c.metric}-curve.svg`), `${c.svg}\n`);
  const head = `| method | ${metrics.join(' | ')} |\n|---|${metrics.map(() => '---|').join('')}`;
  const rows = methods.map(
    (m) =>
      `| ${m} | ${metrics
        .map((k) => {
          const s = summaries.get(m).get(k);
          return s.n ? `${fmt(s.mean)} ± ${fmt(s.ci95)}` : '–';
        })
        .join(' | ')} |`,
  );
  const generated = readdirSync(join(work, 'masks')).length;
  const left = builtinMetrics.map((m) => m.id).filter((k) => !metrics.includes(k));
  return {
    complete: complete.size,
    generated,
    left,
    head,
    rows,
    curves,
    metrics,
    methods,
    options: config.metricOptions,
  };
}

if (!values['docs-only']) {
  generate();
  evaluate();
}
const d = docs();
const md = `<!-- written by packages/cli/scripts/evaluate-shapes.mjs; rerun it to update -->
# How the methods score on the shapes model

Every method gradscope ships, run by \`gradscope evaluate\` on the built-in shapes CNN
(\`packages/shapes/model/model.onnx\`, onnxruntime-node) over **${d.complete} generated 64×64 images** with their
object masks (held out: the model's generator options with seed 3; training used seed 1), target = the
predicted class (its logit), metric options ${JSON.stringify(d.options)} (deletion/insertion take ${values.step} pixels
per step, 32 steps for 4096 pixels). Cells: mean ± half-width of the 95% confidence interval (Student's t) over
the images.

Scope of this run: ${
  d.complete === d.generated
    ? `all ${d.generated} generated images`
    : `${d.complete} of the ${d.generated} generated images were finished when it was stopped (records are
written image by image in order, so these are the first ${d.complete})`
}, with all ${d.methods.length} methods on every one of them.${
  d.left.length
    ? ` Metrics not in this run (for time: ROAD solves a sparse system per percentile, max-sensitivity
re-explains ten perturbed inputs): ${d.left.map((k) => `\`${k}\``).join(', ')}.`
    : ''
}

${d.head}
${d.rows.join('\n')}

How to read it: the confidence metrics (\`cam-mult-image-confidence-change\`, \`increase-in-confidence\` ↑,
\`drop-in-confidence\` ↓) ask whether the image kept where the map is high still convinces the model;
\`deletion-auc\` (↓) and \`insertion-auc\` (↑) integrate the logit as pixels are removed from (or restored
to) a blurred/constant image in the map's order; \`pointing-game\`, \`energy-pointing-game\` and \`iou\` (↑)
ask whether the map lands on the object mask; \`infidelity\` (↓) is Captum's. Logits are unbounded, so AUCs
are in logit units. The pointing game keeps Zhang et al.'s 15-pixel tolerance, which on 64×64 images
covers much of the picture (a hit for almost any map near the object): read \`energy-pointing-game\` and
\`iou\` for localisation here, or pass \`--pointing-game.tolerance 4\` (15 px at 224 scaled to 64).
\`cam\` equals \`gradcam\` exactly on this model (global average pooling into one dense layer).

## Distributions

${d.metrics.map((k) => `![${k}](evaluation/${k}.svg)`).join('\n')}

## Deletion and insertion curves (mean over images)

${d.curves.map((c) => `![${c.metric}](evaluation/${c.metric}-curve.svg)`).join('\n')}

Reproduce: \`node packages/cli/scripts/evaluate-shapes.mjs --images ${n}\` (\`--metrics\` adds e.g.
\`road-combined,sensitivity-max\`; \`--docs-only\` rewrites this page from a finished or stopped run).
`;
writeFileSync(join(root, 'docs', 'evaluation.md'), md);
// the repository's formatting (pnpm lint checks docs too)
spawnSync(join(root, 'node_modules', '.bin', 'prettier'), ['--write', join(root, 'docs', 'evaluation.md')], {
  stdio: 'ignore',
});
console.log(`docs/evaluation.md: ${d.complete} images × ${d.methods.length} methods × ${d.metrics.length} metrics`);
