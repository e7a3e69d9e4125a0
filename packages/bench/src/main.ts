/**
 * `pnpm bench`: times a forward pass and each method on every suite's models, in one process, and
 * prints a markdown table with each method's cost as a multiple of the forward pass.
 *
 * Flags: `--runs N` (timed runs, default 7, at least 5 is meaningful), `--warmup N` (default 3),
 * `--suite ID` (repeatable; default all), `--methods a,b` (default gradcam,guided-backprop,deconvnet),
 * `--json FILE` (also write every row with its samples), `--skip-cold` (no cold table),
 * `--skip-perturb` (no table of issue 9's goals), `--skip-cam-variants` (no CAM-variant table: see cam-variants.ts),
 * `--skip-batching` (no batching table: Grad-CAM per image, one at a time vs a batch of 8; see batching.ts).
 *
 * Then the cold table: one fresh process per row (see cold-table.ts) for the full-size ONNX models
 * in `.models` (ResNet-50 and MobileNet-V2 when present), Grad-CAM alone and the four methods
 * gradcam,guided-backprop,deconvnet,saliency together through `explainMany`; then the CLI's cold run of
 * the same two sets on tfjs-wasm, with nsfwjs's pretrained MobileNetV2 (a tfjs LayersModel from npm).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { formatBatchingTable } from './batching.js';
import { runBatching } from './batching-suite.js';
import { runCamVariants } from './cam-variants-suite.js';
import { formatCamVariantTable } from './cam-variants-table.js';
import {
  formatCliColdTable,
  formatColdTable,
  runCliCold,
  runCold,
  type CliColdRow,
  type ColdRun,
} from './cold-table.js';
import { writeNsfwMobileNetV2 } from './nsfw-mobilenet-v2.js';
import { formatTable } from './format-table.js';
import { formatPerturbTable, judgePerturb, type PerturbCheck } from './perturb-goals.js';
import { measurePerturb, PERTURB_MODEL, readTorchMasked } from './perturb-run.js';
import type { BenchRow } from './suite.js';
import { SUITES } from './suites.js';

const USAGE = `usage: pnpm bench [--runs N] [--warmup N] [--suite ${SUITES.map((s) => s.id).join('|')}]… [--methods a,b] [--json FILE] [--skip-cold] [--skip-perturb] [--skip-cam-variants] [--skip-batching]`;

function parse() {
  try {
    return parseArgs({
      options: {
        runs: { type: 'string', default: '7' },
        warmup: { type: 'string', default: '3' },
        suite: { type: 'string', multiple: true },
        methods: { type: 'string', default: 'gradcam,guided-backprop,deconvnet' },
        json: { type: 'string' },
        'skip-cold': { type: 'boolean' },
        'skip-perturb': { type: 'boolean' },
        'skip-cam-variants': { type: 'boolean' },
        'skip-batching': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return process.exit(2);
  }
}

const values = parse();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const runs = Number(values.runs);
const warmup = Number(values.warmup);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(warmup) || warmup < 0) {
  console.error(
    `--runs must be a positive integer and --warmup a non-negative one (got ${values.runs}, ${values.warmup})`,
  );
  process.exit(2);
}
const methods = values.methods
  .split(',')
  .map((m) => m.trim())
  .filter(Boolean);
const wanted = values.suite ?? SUITES.map((s) => s.id);
const unknown = wanted.filter((id) => !SUITES.some((s) => s.id === id));
if (unknown.length) {
  console.error(`unknown suite ${unknown.join(', ')}; available: ${SUITES.map((s) => s.id).join(', ')}`);
  process.exit(2);
}

const rows: BenchRow[] = [];
for (const suite of SUITES.filter((s) => wanted.includes(s.id))) {
  console.error(`bench: ${suite.id} …`);
  rows.push(...(await suite.run({ runs, warmup, methods })));
}
console.log(formatTable(rows, methods, runs));

const camVariants = values['skip-cam-variants'] ? [] : await runCamVariants(wanted, { runs, warmup });
if (camVariants.length)
  console.log(
    `\n### Gradient-based CAM variants vs Grad-CAM (same run)\n\n${formatCamVariantTable(camVariants, runs)}`,
  );

const batching = values['skip-batching'] ? [] : await runBatching(wanted, { runs, warmup });
if (batching.length)
  console.log(`\n### Batching: Grad-CAM per image (same run)\n\n${formatBatchingTable(batching, runs, loadavg())}`);

let perturb: PerturbCheck[] | null = null;
if (!values['skip-perturb']) {
  if (existsSync(PERTURB_MODEL)) {
    console.error('bench: methods that run the model many times (ResNet-50, ort-node, 2 threads) …');
    const ref = join(dirname(PERTURB_MODEL), 'perturb-torch.json');
    const torch = existsSync(ref) ? readTorchMasked(readFileSync(ref, 'utf8')) : undefined;
    perturb = judgePerturb(await measurePerturb(PERTURB_MODEL, torch));
    console.log(`\n### Methods that run the model many times (ResNet-50, onnxruntime-node, 2 threads, one run)\n`);
    console.log(formatPerturbTable(perturb));
  } else
    console.log(
      `\n(issue 9's goal table skipped: no ${PERTURB_MODEL}; run scripts/perturb-torch.py --out <that folder>)`,
    );
}

const cold: ColdRun[] = [];
if (!values['skip-cold']) {
  const dir = fileURLToPath(new URL('../.models', import.meta.url));
  const models = ['resnet50', 'mobilenet_v2'].map((m) => join(dir, `${m}.onnx`)).filter((p) => existsSync(p));
  for (const m of models)
    for (const set of [['gradcam'], ['gradcam', 'guided-backprop', 'deconvnet', 'saliency']]) {
      console.error(`bench: cold ${m} ${set.join(',')} …`);
      const r = runCold(m, set);
      cold.push(r.inputShape ? { ...r, cli: runCliCold(m, set, r.inputShape) } : r);
    }
  console.log(
    cold.length
      ? `\n### Cold (one fresh process per row, onnxruntime-node)\n\n${formatColdTable(cold)}`
      : `\n(cold table skipped: no full-size models in ${dir}; run scripts/make-full-models.py)`,
  );
}
const coldTfjs: CliColdRow[] = [];
if (!values['skip-cold']) {
  // the tfjs side: a real pretrained LayersModel shipped on npm (nsfwjs's MobileNetV2), through the CLI
  const dir = mkdtempSync(join(tmpdir(), 'gradscope-bench-nsfw-'));
  try {
    const { file } = writeNsfwMobileNetV2(dir);
    for (const set of [['gradcam'], ['gradcam', 'guided-backprop', 'deconvnet', 'saliency']]) {
      console.error(`bench: cold (CLI, tfjs-wasm) nsfwjs MobileNetV2 ${set.join(',')} …`);
      const cli = runCliCold(file, set, [1, 224, 224, 3]);
      coldTfjs.push({
        model: 'nsfwjs MobileNetV2 (224², 5 classes)',
        backend: 'tfjs-wasm',
        methods: set.join(','),
        cli,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\n### Cold CLI on tfjs (one fresh process per row)\n\n${formatCliColdTable(coldTfjs)}`);
}
if (values.json) {
  mkdirSync(dirname(values.json), { recursive: true });
  writeFileSync(
    values.json,
    JSON.stringify({ runs, warmup, methods, rows, camVariants, batching, cold, coldTfjs, perturb }, null, 2),
  );
}
