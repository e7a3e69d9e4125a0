/**
 * The biased-shapes GAIN experiment (GAIN.md §3): one stage-1 checkpoint (L_cl only on ρ-biased
 * data), then four arms with equal budgets — B (L_cl), G (self-guided GAIN), X (GAIN_ext), E (L_cl +
 * ω_e·L_e) — each for several stage-2 seeds (shuffle order and which 10% carry masks). Writes
 * experiment/results.json and experiment/REPORT.md (and the seed-0 B and X models).
 *
 *   pnpm --filter @gradscope/gain experiment                 # the committed run (about 85 min idle on 2 cores)
 *   node dist/scripts/experiment.js --train 400 --epochs 1   # a quick trial
 *
 * The defaults are the committed run's budget: 2000 training images, 960 test and 400 + 400
 * diagnostic images, init seed 1, 6 stage-1 and 40 stage-2 epochs, stage-2 seeds 0–2.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { registerTrainingKernels } from '@gradscope/backend-tfjs/training';
import { useTfjsBackend } from '@gradscope/backend-tfjs';
import { biasedShapesCnn, evaluateAttention, trainGain, type GainOptions } from '@gradscope/gain';
import { BIASED_SHAPE_CLASSES } from '@gradscope/shapes';
import { makeData, toGain, trainSamples } from './experiment-data.js';
import { loadWeights, quickTrace, saveWeights, torchLikeInit, type TracePoint } from './experiment-trace.js';

import { commandLine, writeReport, type ArmName, type SeedResult } from './experiment-report.js';

const { values: a } = parseArgs({
  options: {
    size: { type: 'string', default: '32' },
    train: { type: 'string', default: '2000' },
    test: { type: 'string', default: '960' },
    diag: { type: 'string', default: '400' },
    'stage1-epochs': { type: 'string', default: '6' },
    epochs: { type: 'string', default: '40' },
    seeds: { type: 'string', default: '3' },
    // stage-2 seeds run are first-seed … first-seed + seeds − 1 (stage 1 does not depend on it)
    'first-seed': { type: 'string', default: '0' },
    rho: { type: 'string', default: '0.95' },
    arms: { type: 'string', default: 'B,G,X,E' },
    'masked-stream': { type: 'string', default: 'all' },
    // X and E only: the normaliser of L_am's soft-mask map (default: trainGain's)
    'am-normalizer': { type: 'string' },
    // X only: L_am scores the erased images with a copy of the weights it does not train
    'am-frozen-copy': { type: 'boolean', default: false },
    // stage 1: Adam's learning rate, the init seed, and 'tfjs' (heNormal, zero biases) or 'torch' init
    'stage1-lr': { type: 'string', default: '2e-3' },
    'init-seed': { type: 'string', default: '1' },
    init: { type: 'string', default: 'tfjs' },
    // stop after stage 1; save the stage-1 weights to / load them from a JSON file (skips stage 1)
    'stage1-only': { type: 'boolean', default: false },
    'save-stage1': { type: 'string' },
    'load-stage1': { type: 'string' },
    // per-epoch accuracy trace (argmax only) of stage 1 and of every arm, written to <out>/trace.json
    trace: { type: 'boolean', default: false },
    out: { type: 'string', default: new URL('../../experiment/', import.meta.url).pathname },
  },
});
const size = Number(a.size),
  epochs = Number(a.epochs),
  rho = Number(a.rho);
const config = {
  size,
  rho,
  train: Number(a.train),
  test: Number(a.test),
  diag: Number(a.diag),
  stage1Epochs: Number(a['stage1-epochs']),
  epochs,
  seeds: Number(a.seeds),
  maskFraction: 0.1,
  maskedPerBatch: 8,
  batchSize: 32,
  stage1Lr: Number(a['stage1-lr']),
  initSeed: Number(a['init-seed']),
};
if (a.init !== 'tfjs' && a.init !== 'torch') throw new Error(`--init: 'tfjs' or 'torch', got '${a.init}'`);
const maskedStream = a['masked-stream'] as 'all' | 'e-only';
const amNorm = a['am-normalizer'];
if (amNorm !== undefined && amNorm !== 'detached' && amNorm !== 'differentiable')
  throw new Error(`--am-normalizer: 'detached' or 'differentiable', got '${amNorm}'`);
const extNormalize = amNorm ? { normalize: { amDetach: amNorm === 'detached' } } : {};
const ARMS: Record<ArmName, GainOptions> = {
  B: { alpha: 0, omegaE: 0 },
  G: { alpha: 1, omegaE: 0, normalize: { detach: true } },
  X: {
    alpha: 1,
    omegaE: 10,
    maskedPerBatch: config.maskedPerBatch,
    maskedStream,
    ...extNormalize,
    amFrozenCopy: a['am-frozen-copy'],
  },
  E: { alpha: 0, omegaE: 10, maskedPerBatch: config.maskedPerBatch, maskedStream },
};

await useTfjsBackend('wasm');
const unregister = registerTrainingKernels(tf, 'wasm');
try {
  const data = makeData(
    7,
    size,
    {
      train: config.train,
      test: config.test,
      aligned: 0,
      conflicting: 0,
      'context-only': config.diag,
      'object-on-grey': config.diag,
    },
    rho,
  );
  const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
  const model = biasedShapesCnn(tf, size, 4, config.initSeed);
  if (a.init === 'torch') torchLikeInit(tf, model, config.initSeed);
  const traceData = { ...data, contextOnlyX: data.contextOnly.map((s) => toGain(s, false).x) };
  const trace: { init: string; stage1: TracePoint[]; arms: Record<string, { seed: number; epochs: TracePoint[] }[]> } =
    {
      init: a.init!,
      stage1: [],
      arms: {},
    };
  const traced = (into: TracePoint[], m: tf.LayersModel, tag: string) => (r: { epoch: number }) => {
    if (!a.trace) return;
    const p = quickTrace(tf, m, r.epoch, traceData);
    into.push(p);
    log(`${tag} epoch ${r.epoch} trace: ${JSON.stringify(p)}`);
  };
  const t1 = performance.now();
  if (a['load-stage1']) model.setWeights(loadWeights(tf, a['load-stage1']));
  else {
    if (a.trace) trace.stage1.push(quickTrace(tf, model, 0, traceData));
    const onEpoch = traced(trace.stage1, model, 'stage 1');
    await trainGain(tf, model, trainSamples(data.train, 0, 0), {
      epochs: config.stage1Epochs,
      alpha: 0,
      omegaE: 0,
      optimizer: { name: 'adam', lr: config.stage1Lr },
      batchSize: config.batchSize,
      onEpochEnd: (r) => {
        log(`stage 1 epoch ${r.epoch}: L_cl ${r.lossCl.toFixed(4)} (${r.seconds.toFixed(1)} s)`);
        onEpoch(r);
      },
    });
  }
  const stage1Seconds = a['load-stage1'] ? undefined : (performance.now() - t1) / 1000;
  if (a['save-stage1']) saveWeights(a['save-stage1'], model.getWeights());
  const checkpoint = model.getWeights().map((w) => w.clone());
  const evaluate = async (m: tf.LayersModel) => {
    const test = await evaluateAttention(tf, m, data.test);
    const grey = await evaluateAttention(tf, m, data.objectOnGrey);
    const ctx = await evaluateAttention(
      tf,
      m,
      data.contextOnly.map((s) => toGain(s, false)),
    );
    const ctxToCtx = ctx.predictions.filter((p, i) => p === data.contextOnly[i]!.context).length / ctx.count;
    return {
      energyInMask: test.energyInMask,
      iou50: test.iou,
      pointing: test.pointing,
      cover50: test.cover,
      mapMse: test.mapMse,
      ctxToCtx,
      accConflicting: test.accuracyByGroup.conflicting!,
      accAligned: test.accuracyByGroup.aligned!,
      objOnGrey: grey.accuracy,
    };
  };
  const stage1 = await evaluate(model);
  log(`stage 1: ${JSON.stringify(stage1)}`);
  const writeTrace = () => {
    if (!a.trace) return;
    mkdirSync(a.out!, { recursive: true });
    writeFileSync(`${a.out}/trace.json`, JSON.stringify({ config, stage1After: stage1, ...trace }, null, 2) + '\n');
  };
  writeTrace();
  if (a['stage1-only']) {
    log('stage 1 only: done');
    unregister();
    process.exit(0);
  }
  const results: Partial<Record<ArmName, SeedResult[]>> = {};
  const firstSeed = Number(a['first-seed']);
  for (let seed = firstSeed; seed < firstSeed + config.seeds; seed++) {
    const samples = trainSamples(data.train, config.maskFraction, seed + 1);
    for (const arm of a.arms!.split(',') as ArmName[]) {
      const m = biasedShapesCnn(tf, size, 4, 1234);
      m.setWeights(checkpoint);
      const epochsTrace: TracePoint[] = [];
      (trace.arms[arm] ??= []).push({ seed, epochs: epochsTrace });
      const onEpoch = traced(epochsTrace, m, `seed ${seed} arm ${arm}`);
      const { history } = await trainGain(tf, m, samples, {
        ...ARMS[arm],
        epochs,
        seed: seed + 1,
        batchSize: config.batchSize,
        optimizer: { name: 'adam', lr: 1e-3 },
        onWarning: () => {},
        onEpochEnd: onEpoch,
      });
      const secondsPerEpoch = history.reduce((s, h) => s + h.seconds, 0) / history.length;
      const r: SeedResult = { seed, ...(await evaluate(m)), secondsPerEpoch, history };
      (results[arm] ??= []).push(r);
      log(`seed ${seed} arm ${arm}: ${JSON.stringify({ ...r, history: undefined })}`);
      writeTrace();
      if (seed === 0 && (arm === 'B' || arm === 'X')) {
        const dir = `${a.out}models/${arm === 'B' ? 'baseline' : 'gain-ext'}`;
        mkdirSync(dir, { recursive: true });
        await saveFiles(m, dir);
      }
      m.dispose();
    }
    // after every seed, so an interrupted run still leaves its completed seeds
    mkdirSync(a.out!, { recursive: true });
    writeReport(a.out!, {
      config: { ...config, seeds: seed + 1 - firstSeed },
      stage1,
      stage1Seconds,
      command: commandLine('experiment.js'),
      results,
    });
  }
  log(`wrote ${a.out}`);
} finally {
  unregister();
}

/**
 * What gradscope's CLI and playground need to explain a saved model: the network input is 2·(x − 0.5)
 * (experiment-data.ts's `toGain`), i.e. mean 0.5 and std 0.5 on pixels in [0, 1]; Grad-CAM's layer
 * during training is the last 4-D layer, conv4. (The ONNX form: `node packages/tfjs-to-onnx/dist/bin.js
 * model.json model.onnx`.)
 */
function gainSidecar(size: number) {
  return {
    normalization: { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
    classes: [...BIASED_SHAPE_CLASSES],
    inputSize: { height: size, width: size },
    layout: 'NHWC',
    featureLayer: 'conv4',
  };
}

async function saveFiles(m: tf.LayersModel, dir: string): Promise<void> {
  await m.save(
    tf.io.withSaveHandler(async (art) => {
      const weights = new Uint8Array(art.weightData as ArrayBuffer);
      writeFileSync(`${dir}/weights.bin`, weights);
      const json = {
        modelTopology: art.modelTopology,
        format: art.format,
        generatedBy: art.generatedBy,
        convertedBy: art.convertedBy,
        weightsManifest: [{ paths: ['weights.bin'], weights: art.weightSpecs }],
      };
      writeFileSync(`${dir}/model.json`, JSON.stringify(json));
      writeFileSync(`${dir}/model.gradscope.json`, `${JSON.stringify(gainSidecar(size), null, 2)}\n`);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}
