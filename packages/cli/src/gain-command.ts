import { writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { useTfjsBackend } from '@gradscope/backend-tfjs';
import { registerTrainingKernels } from '@gradscope/backend-tfjs/training';
import { biasedShapesCnn, evaluateAttention, trainGain, type AttentionReport, type GainSample } from '@gradscope/gain';
import { usageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { HELP_FLAGS } from './common-flags.js';
import { formatHelp, parseFlags, str, type FlagSpecs } from './flags.js';
import { biasedShapesData, folderData, type GainDataSet } from './gain-data-source.js';
import { readLayersModel, writeLayersModel } from './gain-model-files.js';
import { gainReportHtml } from './gain-report-html.js';
import { createProgress } from './progress.js';
import type { Wiring } from './wiring.js';

const DATA_FLAGS: FlagSpecs = {
  data: {
    type: 'string',
    value: '<dir|biased-shapes>',
    default: 'biased-shapes',
    help: 'a folder with samples.json (see README) or the built-in biased-shapes set',
  },
  size: { type: 'string', value: '<px>', default: '32', help: 'image size of the built-in data' },
  count: { type: 'string', value: '<n>', default: '1000', help: 'training images of the built-in data' },
  'mask-fraction': { type: 'string', value: '<f>', default: '0.1', help: 'built-in data: share with masks' },
  mean: { type: 'string', value: '<v>', default: '0.5', help: 'folder data: input = (pixel/255 − mean)/std' },
  std: { type: 'string', value: '<v>', default: '0.5', help: 'folder data: see --mean' },
  'cam-layer': { type: 'string', value: '<name>', help: 'Grad-CAM layer (default: the last 4-D layer)' },
  seed: { type: 'string', value: '<n>', default: '0', help: 'data and shuffle seed' },
};
const TRAIN_FLAGS: FlagSpecs = {
  model: { type: 'string', value: '<model.json>', help: 'tfjs layers model (default: a fresh biased-shapes CNN)' },
  out: {
    type: 'string',
    value: '<dir>',
    default: 'gain-out',
    help: 'train: writes model/, history.json, metrics.json, report.html; evaluate (optional): metrics.json, report.html with the maps',
  },
  epochs: { type: 'string', value: '<n>', default: '5', help: 'GAIN epochs' },
  'pretrain-epochs': { type: 'string', value: '<n>', help: 'L_cl-only epochs first (default 0; 6 for a fresh CNN)' },
  alpha: { type: 'string', value: '<w>', default: '1', help: 'weight of L_am (0: off)' },
  'omega-e': { type: 'string', value: '<w>', default: '10', help: 'weight of L_e on masked samples (0: off)' },
  batch: { type: 'string', value: '<n>', default: '32', help: 'batch size' },
  lr: { type: 'string', value: '<lr>', default: '0.001', help: 'Adam learning rate' },
  'masked-per-batch': { type: 'string', value: '<n>', default: '8', help: 'extra masked samples per batch' },
  ...DATA_FLAGS,
  ...HELP_FLAGS,
};
const EVAL_FLAGS: FlagSpecs = {
  model: { type: 'string', value: '<model.json>', help: 'tfjs layers model (required)' },
  baseline: {
    type: 'string',
    value: '<model.json>',
    help: 'evaluate: a second model on the same data, e.g. the one before GAIN (side by side)',
  },
  out: {
    type: 'string',
    value: '<dir>',
    help: 'evaluate: also write metrics.json and report.html (Grad-CAM on the first 8 test images)',
  },
  json: { type: 'boolean', help: 'print the metrics as JSON' },
  ...DATA_FLAGS,
  ...HELP_FLAGS,
};

export const gainHelp = (): string =>
  formatHelp(
    [
      'gradscope gain train [--model model.json] [--data <dir|biased-shapes>] [--out dir] [--epochs 5] …',
      'gradscope gain evaluate --model model.json [--baseline before.json] [--data <dir|biased-shapes>] [--out dir] [--json]',
    ],
    'GAIN (Li et al., CVPR 2018) on tfjs-wasm: trains a classifier with Grad-CAM inside the loss (L_cl + α·L_am + ω_e·L_e), or measures where its Grad-CAM looks (energy in mask, pointing game, IoU@.5, cover, accuracy per group).',
    { ...TRAIN_FLAGS, baseline: EVAL_FLAGS.baseline!, json: EVAL_FLAGS.json! },
  );

const num = (v: string | boolean | undefined, name: string, fallback: number): number => {
  const s = str(v);
  if (s === undefined) return fallback;
  const n = Number(s);
  if (!Number.isFinite(n) || n < 0) throw usageError(`--${name} needs a non-negative number, got '${s}'`);
  return n;
};

function loadData(values: Record<string, string | boolean | undefined>, cwd: string): GainDataSet {
  const data = str(values.data) ?? 'biased-shapes';
  if (data === 'biased-shapes')
    return biasedShapesData({
      size: num(values.size, 'size', 32),
      count: num(values.count, 'count', 1000),
      maskFraction: num(values['mask-fraction'], 'mask-fraction', 0.1),
      seed: num(values.seed, 'seed', 0),
    });
  return folderData(resolve(cwd, data), num(values.mean, 'mean', 0.5), num(values.std, 'std', 0.5));
}

const metricsOf = (r: AttentionReport): Record<string, number> => ({
  accuracy: r.accuracy,
  ...Object.fromEntries(Object.entries(r.accuracyByGroup).map(([g, a]) => [`acc ${g}`, a])),
  energyInMask: r.energyInMask,
  pointing: r.pointing,
  iou50: r.iou,
  cover50: r.cover,
  mapMse: r.mapMse,
});

/** `gradscope gain train|evaluate`: returns the exit code. */
export async function gainCommand(args: readonly string[], io: CliIo, w: Wiring): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    (sub ? io.stdout : io.stderr).write(gainHelp());
    return sub ? 0 : 2;
  }
  if (sub !== 'train' && sub !== 'evaluate') throw usageError(`unknown 'gain' command '${sub}'; use train or evaluate`);
  const { values } = parseFlags(`gain ${sub}`, rest, sub === 'train' ? TRAIN_FLAGS : EVAL_FLAGS, 0);
  if (values.help) {
    io.stdout.write(gainHelp());
    return 0;
  }
  const cwd = io.cwd ?? process.cwd();
  if (sub === 'evaluate' && !str(values.model)) throw usageError(`gain evaluate needs --model <model.json>`);
  await useTfjsBackend('wasm');
  const unregister = registerTrainingKernels(tf, 'wasm');
  try {
    const data = loadData(values, cwd);
    const modelPath = str(values.model);
    const model = modelPath
      ? await readLayersModel(resolve(cwd, modelPath))
      : biasedShapesCnn(tf, data.size, data.classes, 1234);
    const camLayer = str(values['cam-layer']);
    const evaluateOn = (m: tf.LayersModel) => evaluateAttention(tf, m, data.test, camLayer ? { camLayer } : {});
    if (sub === 'evaluate') return await evaluateCommand(values, io, w, data, model, evaluateOn);
    return await train(values, io, w, data, model, camLayer, () => evaluateOn(model), modelPath === undefined);
  } finally {
    unregister();
  }
}

async function train(
  values: Record<string, string | boolean | undefined>,
  io: CliIo,
  w: Wiring,
  data: GainDataSet,
  model: tf.LayersModel,
  camLayer: string | undefined,
  evaluate: () => Promise<AttentionReport>,
  fresh: boolean,
): Promise<number> {
  const out = resolve(io.cwd ?? process.cwd(), str(values.out) ?? 'gain-out');
  const settings = {
    epochs: num(values.epochs, 'epochs', 5),
    pretrainEpochs: num(values['pretrain-epochs'], 'pretrain-epochs', fresh ? 6 : 0),
    alpha: num(values.alpha, 'alpha', 1),
    omegaE: num(values['omega-e'], 'omega-e', 10),
    batchSize: num(values.batch, 'batch', 32),
    maskedPerBatch: num(values['masked-per-batch'], 'masked-per-batch', 8),
    seed: num(values.seed, 'seed', 0),
    lr: num(values.lr, 'lr', 1e-3),
    ...(camLayer ? { camLayer } : {}),
  };
  const before = await evaluate();
  const steps = Math.ceil(data.train.length / settings.batchSize) * (settings.epochs + settings.pretrainEpochs);
  const progress = createProgress(io, steps);
  const { history } = await trainGain(tf, model, data.train, {
    ...settings,
    optimizer: { name: 'adam', lr: settings.lr },
    onBatchEnd: (b) => progress.step(`epoch ${b.epoch}: loss ${b.total.toFixed(4)}`),
    onEpochEnd: (r) => void io.stderr.write(`epoch ${r.epoch} (${r.phase}): loss ${r.total.toFixed(4)}\n`),
    onWarning: (m) => void io.stderr.write(`warning: ${m}\n`),
  });
  progress.done();
  const after = await evaluate();
  mkdirSync(out, { recursive: true });
  await writeLayersModel(model, join(out, 'model'));
  writeFileSync(join(out, 'history.json'), JSON.stringify({ settings, history }, null, 2) + '\n');
  const metrics = { before: metricsOf(before), after: metricsOf(after) };
  writeFileSync(join(out, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  const maps = sideBySide(w, data, { before, after });
  const title = `gradscope gain train (${fresh ? 'built-in CNN' : str(values.model)})`;
  const mapsTitle = 'Grad-CAM before (left) and after (right)';
  writeFileSync(join(out, 'report.html'), gainReportHtml({ title, settings, history, metrics, mapsTitle, maps }));
  io.stdout.write(`wrote ${out}/model, history.json, metrics.json, report.html\n`);
  return 0;
}

/**
 * `gain evaluate`: the model's metrics, or with `--baseline` both models' on the same data (baseline
 * first); with `--out`, also metrics.json and report.html with their Grad-CAM maps side by side.
 */
async function evaluateCommand(
  values: Record<string, string | boolean | undefined>,
  io: CliIo,
  w: Wiring,
  data: GainDataSet,
  model: tf.LayersModel,
  evaluateOn: (m: tf.LayersModel) => Promise<AttentionReport>,
): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const baselinePath = str(values.baseline);
  const reports: Record<string, AttentionReport> = {};
  if (baselinePath) {
    const baseline = await readLayersModel(resolve(cwd, baselinePath));
    try {
      reports.baseline = await evaluateOn(baseline);
    } finally {
      baseline.dispose();
    }
  }
  reports.model = await evaluateOn(model);
  const metrics = Object.fromEntries(Object.entries(reports).map(([k, r]) => [k, metricsOf(r)]));
  const rows = Object.keys(metrics.model!);
  io.stdout.write(
    values.json
      ? JSON.stringify(baselinePath ? metrics : metrics.model, null, 2) + '\n'
      : (baselinePath ? `${''.padEnd(16)} ${'baseline'.padStart(8)} ${'model'.padStart(8)}\n` : '') +
          rows
            .map(
              (k) =>
                `${k.padEnd(16)} ${Object.values(metrics)
                  .map((m) => m[k]!.toFixed(3).padStart(baselinePath ? 8 : 0))
                  .join(' ')}\n`,
            )
            .join(''),
  );
  const outFlag = str(values.out);
  if (outFlag) {
    const out = resolve(cwd, outFlag);
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
    const title = `gradscope gain evaluate (${str(values.model)}${baselinePath ? ` against ${baselinePath}` : ''})`;
    const mapsTitle = baselinePath ? 'Grad-CAM of the baseline (left) and the model (right)' : 'Grad-CAM';
    const maps = sideBySide(w, data, reports);
    const settings = { model: str(values.model), baseline: baselinePath, data: str(values.data) ?? 'biased-shapes' };
    writeFileSync(join(out, 'report.html'), gainReportHtml({ title, settings, history: [], metrics, mapsTitle, maps }));
    io.stderr.write(`wrote ${out}/metrics.json, report.html\n`);
  }
  return 0;
}

/** The first 8 test images, each with every report's Grad-CAM overlay, in the reports' order. */
function sideBySide(w: Wiring, data: GainDataSet, reports: Readonly<Record<string, AttentionReport>>) {
  return data.test.slice(0, 8).map((s, i) => ({
    caption: `#${i} class ${s.label ?? s.labels?.join('+')}`,
    images: Object.entries(reports).map(([alt, r]) => ({ alt, src: overlayUri(w, s, r.maps[i]!, data.size) })),
  }));
}

/** The sample (input space ≈ 2(x − 0.5)) with its Grad-CAM overlaid, as a PNG data URI. */
function overlayUri(w: Wiring, s: GainSample, map: Float32Array, size: number): string {
  const rgb = Uint8Array.from(s.x, (v) => Math.max(0, Math.min(255, Math.round((v * 0.5 + 0.5) * 255))));
  const img = w.render.overlay(
    { data: rgb, width: size, height: size, channels: 3 },
    { data: map, shape: [size, size] },
  );
  return `data:image/png;base64,${Buffer.from(w.render.encodePng(img)).toString('base64')}`;
}
