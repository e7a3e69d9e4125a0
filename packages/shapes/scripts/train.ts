/**
 * Trains the built-in demo CNN on generated shapes with tfjs on the wasm backend and writes
 * `model/model.json`, `model/weights.bin` and the sidecar `model/model.gradscope.json`.
 *
 *   pnpm --filter @gradscope/shapes train            # the committed model
 *   node dist/scripts/train.js --epochs 2 --out /tmp/m  # a quick trial
 *
 * Every image is generated once (a fresh stream of training indices, no epochs over the same data),
 * weights are initialised from fixed seeds and Adam has no randomness, so a run is reproducible.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerTrainingKernels } from '@gradscope/backend-tfjs/training';
import { createShapesGenerator, DEFAULT_CLASSES, type ShapesOptions } from '@gradscope/shapes';
import { channelStats, segmentationTargets, toBatch } from './data.js';
import { evaluate } from './evaluate.js';
import { buildModel } from './model.js';
import { saveLayersModel } from './save-model.js';

export const TRAIN_SEED = 1;
export const VALIDATION_SEED = 2;
const FEATURE_LAYER = 'relu4';

const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '8' },
    steps: { type: 'string', default: '300' },
    batch: { type: 'string', default: '32' },
    lr: { type: 'string', default: '0.003' },
    validation: { type: 'string', default: '700' },
    'log-every': { type: 'string', default: '50' },
    'warmup-steps': { type: 'string', default: '0' },
    'aux-weight': { type: 'string', default: '3' },
    out: { type: 'string', default: new URL('../../model/', import.meta.url).pathname },
  },
});
const epochs = Number(args.epochs),
  steps = Number(args.steps),
  batch = Number(args.batch),
  lr = Number(args.lr);

const generator: ShapesOptions = { size: 64, classes: DEFAULT_CLASSES, backgroundBias: 0 };
const train = createShapesGenerator({ ...generator, seed: TRAIN_SEED });
// Curriculum: the first `warmup-steps` batches have plain backgrounds and no pixel noise.
const WARMUP: ShapesOptions = { textureContrast: 0, noise: 0 };
const warmup = createShapesGenerator({ ...generator, ...WARMUP, seed: TRAIN_SEED });
const warmupSteps = Number(args['warmup-steps']);
const validation = createShapesGenerator({ ...generator, seed: VALIDATION_SEED }).samples(Number(args.validation));
const classes = train.classes;
const K = classes.length;

await tf.setBackend('wasm');
await tf.ready();
const unregister = registerTrainingKernels(tf, 'wasm');
try {
  // Normalisation statistics from images the training loop never sees.
  const norm = channelStats(createShapesGenerator({ ...generator, seed: TRAIN_SEED ^ 0xabcdef }).samples(512));
  const model = buildModel(tf, 64, K, 1234);
  // Training-only auxiliary head on the 16×16 feature map: per cell, the classifier's own dense
  // layer (shared weights, so these are exactly the CAM values `W[:, k]·A + b`) plus one background
  // logit from a 1×1 conv, trained with per-cell softmax cross-entropy against the generator's
  // masks (background, or the object's class). It speeds up learning localised shape features
  // several-fold and keeps the class evidence on the object; the saved model is the classifier
  // alone (conv → GAP → dense).
  const auxWeight = Number(args['aux-weight']);
  const features = model.getLayer(FEATURE_LAYER).output as tf.SymbolicTensor;
  const cellClass = model.getLayer('logits').apply(features) as tf.SymbolicTensor;
  const cellBackground = tf.layers
    .conv2d({
      filters: 1,
      kernelSize: 1,
      kernelInitializer: tf.initializers.glorotUniform({ seed: 99 }),
      name: 'aux_background',
    })
    .apply(features) as tf.SymbolicTensor;
  const seg = tf.layers
    .concatenate({ axis: -1, name: 'aux_cells' })
    .apply([cellBackground, cellClass]) as tf.SymbolicTensor;
  const trainer = tf.model({ inputs: model.inputs, outputs: [model.outputs[0]!, seg] });
  const factor = 64 / (features.shape[1] as number);
  const optimizer = tf.train.adam(lr);
  const xent = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred);
  const auxLoss = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.mul(auxWeight, xent(yTrue, yPred));
  trainer.compile({ optimizer, loss: [xent, auxLoss] });
  console.log(
    `model: ${model.countParams()} parameters; ${epochs} epochs × ${steps} steps × batch ${batch}; classes ${classes.join(', ')}`,
  );

  const history: { epoch: number; seconds: number; loss: number; accuracy: number; peakInMask: number }[] = [];
  let index = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    // Cosine decay from lr to lr/20 over the whole run.
    const t0 = performance.now();
    let lossSum = 0;
    for (let s = 0; s < steps; s++) {
      const progress = ((epoch - 1) * steps + s) / (epochs * steps);
      (optimizer as unknown as { learningRate: number }).learningRate =
        lr * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * progress)));
      const step = (epoch - 1) * steps + s;
      const samples = (step < warmupSteps ? warmup : train).samples(batch, index);
      const { xs, ys } = toBatch(tf, samples, norm, K);
      const segYs = segmentationTargets(tf, samples, K, factor);
      index += batch;
      const loss = ((await trainer.trainOnBatch(xs, [ys, segYs])) as number[])[1]!; // the classification loss
      lossSum += loss;
      tf.dispose([xs, ys, segYs]);
      if ((s + 1) % Number(args['log-every']) === 0)
        console.log(
          `  step ${s + 1}/${steps}: loss ${loss.toFixed(4)} (${((performance.now() - t0) / 1000 / (s + 1)).toFixed(2)} s/step)`,
        );
    }
    const seconds = (performance.now() - t0) / 1000;
    const ev = evaluate(tf, model, validation, norm, FEATURE_LAYER);
    history.push({
      epoch,
      seconds: +seconds.toFixed(1),
      loss: +(lossSum / steps).toFixed(4),
      accuracy: ev.accuracy,
      peakInMask: ev.peakInMask,
    });
    console.log(
      `epoch ${epoch}: ${seconds.toFixed(1)} s, loss ${(lossSum / steps).toFixed(4)}, held-out accuracy ${(100 * ev.accuracy).toFixed(1)}%, Grad-CAM peak in mask ${(100 * ev.peakInMask).toFixed(1)}%`,
    );
  }

  mkdirSync(args.out!, { recursive: true });
  await saveLayersModel(tf, model, args.out!);
  const sidecar = {
    normalization: norm,
    classes,
    inputSize: { height: 64, width: 64 },
    layout: 'NHWC',
    featureLayer: FEATURE_LAYER,
    generator: {
      options: { ...train.options, seed: undefined },
      trainSeed: TRAIN_SEED,
      validationSeed: VALIDATION_SEED,
      trainImages: index,
      warmup: { steps: warmupSteps, options: WARMUP },
    },
    training: {
      backend: 'wasm',
      epochs,
      stepsPerEpoch: steps,
      batchSize: batch,
      optimizer: `adam, cosine ${lr} → ${+(lr / 20).toPrecision(6)}`,
      loss: `softmax cross-entropy on logits + ${auxWeight} × per-cell softmax cross-entropy on ${FEATURE_LAYER}: [1×1-conv background logit, the shared dense layer per cell] vs the mask-derived cell class`,
      history,
    },
  };
  writeFileSync(
    new URL('model.gradscope.json', `file://${args.out!.replace(/\/?$/, '/')}`),
    JSON.stringify(sidecar, null, 2) + '\n',
  );
  console.log(`wrote ${args.out}`);
} finally {
  unregister();
}
