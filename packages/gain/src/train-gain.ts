import type * as tfjs from '@tensorflow/tfjs';
import { BadOptionError } from '@gradscope/core';
import { collect, disposeBatch, toBatch, targetMap, type GainData, type GainSample } from './gain-data.js';
import { gainGradients, type GainLossSettings } from './gain-gradients.js';
import { GainTrainingError } from './gain-errors.js';
import { splitModel } from './split-model.js';
import { shuffled } from './shuffle.js';

export interface GainBatchInfo {
  readonly epoch: number;
  readonly step: number;
  readonly lossCl: number;
  readonly lossAm: number;
  readonly lossE: number;
  readonly total: number;
  readonly numTensors: number;
  readonly ms: number;
  /** Mean over the batch's maps of the raw (unnormalised) Grad-CAM maximum; 0 without maps. */
  readonly camMax: number;
}

export interface GainEpochRecord {
  readonly epoch: number;
  readonly phase: 'pretrain' | 'gain';
  readonly lossCl: number;
  readonly lossAm: number;
  readonly lossE: number;
  readonly total: number;
  readonly seconds: number;
}

export interface GainOptions {
  /** Grad-CAM layer (default: the last layer with a 4-D output). */
  readonly camLayer?: string;
  /** `single` (softmax-CE, default) or `multi` (sigmoid BCE, one map per positive class). */
  readonly mode?: 'single' | 'multi';
  /** Weight of L_am (default 1; 0 turns the attention-mining stream off). */
  readonly alpha?: number;
  /** Weight of L_e on samples with a mask or box (default 10; 0 turns it off). */
  readonly omegaE?: number;
  /** Soft-mask threshold σ₀ and sharpness ω: `T = sigmoid(ω(Â − σ₀))` (defaults 0.5 and 10). */
  readonly sigma?: number;
  readonly omega?: number;
  /** Score of the erased image in L_am (default `softmax` in single mode, `sigmoid` in multi). */
  readonly amScore?: 'softmax' | 'sigmoid';
  /**
   * Min-max normaliser of the maps; `detach: true` is the reference code's (collapses with L_e).
   * `amDetach` sets it for the map that builds L_am's soft mask alone (default: `detach`).
   */
  readonly normalize?: { readonly detach?: boolean; readonly amDetach?: boolean };
  /** Value erased pixels take in the input space (default 0: I* = I − T⊙I). */
  readonly eraseValue?: number;
  /** Epochs of L_cl only before the GAIN epochs (default 0). */
  readonly pretrainEpochs?: number;
  readonly epochs?: number;
  readonly batchSize?: number;
  /** Extra samples per batch drawn from the samples that carry a mask or box (default 0). */
  readonly maskedPerBatch?: number;
  /**
   * Score the erased images with a copy of the weights that L_am does not train (synchronised every
   * step), so L_am moves the weights only through the soft mask (GAIN.md §3.4's untested
   * mitigation against learning to recognise the erasure). Default false.
   */
  readonly amFrozenCopy?: boolean;
  /** Whether those extras feed every loss (`all`, default) or only L_e (`e-only`, the paper's S_e). */
  readonly maskedStream?: 'all' | 'e-only';
  /** An optimizer, or Adam/SGD with a learning rate (default Adam 1e-3). */
  readonly optimizer?: tfjs.Optimizer | { readonly name: 'adam' | 'sgd'; readonly lr: number };
  /** Layer names to train (default: every trainable layer). */
  readonly trainable?: readonly string[];
  /** Seed of the per-epoch shuffle (default 0). */
  readonly seed?: number;
  readonly onBatchEnd?: (info: GainBatchInfo) => void | Promise<void>;
  readonly onEpochEnd?: (record: GainEpochRecord, history: readonly GainEpochRecord[]) => void | Promise<void>;
  readonly signal?: AbortSignal;
  /** Save the model through a tfjs IOHandler (or URL such as `file://…`) every `every` epochs. */
  readonly checkpoint?: { readonly every: number; readonly handler: (epoch: number) => tfjs.io.IOHandler | string };
  /**
   * Guardrails. `collapse`: `collapsePatience` (5) batches in a row whose maps are all ≡ 0, or whose
   * mean raw Grad-CAM maximum fell below `collapseRatio` (0.05) of its mean over the first 3 GAIN
   * batches (the map's scale running away to 0, GAIN.md §1.3). `tensor-growth`: more than
   * `maxTensorGrowth` (64) tensors above the count after step 1.
   */
  readonly guards?: {
    readonly collapsePatience?: number;
    readonly collapseRatio?: number;
    readonly maxTensorGrowth?: number;
  };
  readonly onWarning?: (message: string) => void;
}

/**
 * GAIN (Li et al., "Tell Me Where to Look", CVPR 2018, https://arxiv.org/abs/1802.10171): trains
 * `model` in place with `L_cl + α·L_am + ω_e·L_e` (self-guided GAIN when no sample carries a mask,
 * GAIN_ext otherwise), after `pretrainEpochs` of L_cl alone. The Grad-CAM weights are constants
 * (first order, two-pass step); maps are exactly gradscope's `gradcam`. Returns the per-epoch history.
 * Throws {@link GainTrainingError} from a guardrail and `signal.reason` when aborted.
 */
export async function trainGain(
  tf: typeof tfjs,
  model: tfjs.LayersModel,
  data: GainData,
  options: GainOptions = {},
): Promise<{ model: tfjs.LayersModel; history: GainEpochRecord[] }> {
  const o = options;
  const net = splitModel(model, o.camLayer);
  const copy = o.amFrozenCopy
    ? await tf.models.modelFromJSON(model.toJSON(null, false) as Parameters<typeof tf.models.modelFromJSON>[0])
    : null;
  const amNet = copy ? splitModel(copy, o.camLayer) : net;
  const shape = (model.inputs[0]!.shape as number[]).slice(1);
  const K = (model.outputs[0]!.shape as number[])[1]!;
  const mode = o.mode ?? 'single';
  const settings: GainLossSettings = {
    mode,
    clWeight: 1,
    alpha: o.alpha ?? 1,
    omegaE: o.omegaE ?? 10,
    sigma: o.sigma ?? 0.5,
    omega: o.omega ?? 10,
    amScore: o.amScore ?? (mode === 'single' ? 'softmax' : 'sigmoid'),
    detachNormalizer: o.normalize?.detach ?? false,
    detachNormalizerAm: o.normalize?.amDetach ?? o.normalize?.detach ?? false,
    eraseValue: o.eraseValue ?? 0,
  };
  if (settings.detachNormalizer && settings.omegaE > 0)
    (o.onWarning ?? console.warn)(
      'gain: a detached normaliser with omegaE > 0 tends to collapse the maps (GAIN.md §1.3)',
    );
  const batchSize = o.batchSize ?? 32;
  if (!(batchSize >= 1)) throw new BadOptionError('gain', 'batchSize', `must be a positive integer, got ${batchSize}`);
  const samples = await collect(data);
  const masked = samples.filter((s) => targetMap(s, shape[0]!, shape[1]!) !== null);
  const optimizer = makeOptimizer(tf, o.optimizer);
  const vars = trainableVariables(model, o.trainable);
  const history: GainEpochRecord[] = [];
  const pre = o.pretrainEpochs ?? 0;
  let step = 0;
  let baseline = -1;
  const collapse = collapseGuard(o.guards?.collapsePatience ?? 5, o.guards?.collapseRatio ?? 0.05);
  try {
    for (let epoch = 1; epoch <= pre + (o.epochs ?? 1); epoch++) {
      const phase = epoch <= pre ? 'pretrain' : 'gain';
      const s = phase === 'pretrain' ? { ...settings, alpha: 0, omegaE: 0 } : settings;
      const order = shuffled(samples.length, (o.seed ?? 0) * 1000 + epoch);
      const t0 = performance.now();
      const sums = { lossCl: 0, lossAm: 0, lossE: 0, total: 0 };
      const batches = Math.ceil(samples.length / batchSize);
      for (let b = 0; b < batches; b++) {
        o.signal?.throwIfAborted();
        const tb = performance.now();
        const pick: GainSample[] = order.slice(b * batchSize, (b + 1) * batchSize).map((i) => samples[i]!);
        if (s.omegaE > 0 && masked.length && o.maskedPerBatch)
          for (let k = 0; k < o.maskedPerBatch; k++) pick.push(masked[(step * o.maskedPerBatch + k) % masked.length]!);
        const extra = pick.length - Math.min(batchSize, samples.length - b * batchSize);
        const plain = toBatch(tf, pick, shape, K);
        const batch =
          o.maskedStream === 'e-only' && extra > 0
            ? { ...plain, eOnly: pick.map((_, i) => i >= pick.length - extra) }
            : plain;
        let r;
        try {
          if (copy) copy.setWeights(model.getWeights());
          r = gainGradients(tf, net, batch, s, vars, amNet);
          if (!Number.isFinite(r.total)) {
            tf.dispose(r.grads);
            throw new GainTrainingError(
              'nan',
              step,
              `loss ${r.total} (L_cl ${r.lossCl}, L_am ${r.lossAm}, L_e ${r.lossE})`,
            );
          }
          optimizer.applyGradients(r.grads);
          tf.dispose(r.grads);
        } finally {
          disposeBatch(batch);
        }
        const camMax = r.rawMax.length ? r.rawMax.reduce((a, v) => a + v, 0) / r.rawMax.length : 0;
        const collapsed = r.rawMax.length ? collapse(camMax) : null;
        if (collapsed) throw new GainTrainingError('collapse', step, collapsed);
        const numTensors = tf.memory().numTensors;
        if (step === 1 || baseline < 0) baseline = numTensors;
        else if (numTensors - baseline > (o.guards?.maxTensorGrowth ?? 64))
          throw new GainTrainingError('tensor-growth', step, `${numTensors - baseline} more tensors than after step 1`);
        for (const k of ['lossCl', 'lossAm', 'lossE', 'total'] as const) sums[k] += r[k] / batches;
        await o.onBatchEnd?.({ epoch, step, ...pickLosses(r), numTensors, ms: performance.now() - tb, camMax });
        step++;
        await tf.nextFrame();
      }
      const record: GainEpochRecord = { epoch, phase, ...sums, seconds: (performance.now() - t0) / 1000 };
      history.push(record);
      if (o.checkpoint && epoch % o.checkpoint.every === 0) await model.save(o.checkpoint.handler(epoch));
      await o.onEpochEnd?.(record, history);
    }
  } finally {
    copy?.dispose();
  }
  return { model, history };
}

const pickLosses = (r: { lossCl: number; lossAm: number; lossE: number; total: number }) => ({
  lossCl: r.lossCl,
  lossAm: r.lossAm,
  lossE: r.lossE,
  total: r.total,
});

/** Tracks the raw map scale; returns a reason once it has collapsed for `patience` batches. */
function collapseGuard(patience: number, ratio: number): (camMax: number) => string | null {
  const first: number[] = [];
  let run = 0;
  return (camMax) => {
    if (first.length < 3) first.push(camMax);
    const ref = first.reduce((a, v) => a + v, 0) / first.length;
    run = camMax <= 1e-12 || camMax < ratio * ref ? run + 1 : 0;
    if (run < patience) return null;
    return camMax <= 1e-12
      ? `every Grad-CAM map was identically 0 for ${run} batches`
      : `the raw Grad-CAM maximum fell to ${camMax.toExponential(2)}, below ${ratio} × its initial ${ref.toExponential(2)}, for ${run} batches`;
  };
}

function makeOptimizer(tf: typeof tfjs, spec: GainOptions['optimizer']): tfjs.Optimizer {
  // duck-typed: tfjs's Optimizer[Symbol.hasInstance] throws on undefined
  if (spec && 'applyGradients' in spec) return spec as tfjs.Optimizer;
  const { name, lr } = (spec ?? { name: 'adam', lr: 1e-3 }) as { name: string; lr: number };
  if (name === 'adam') return tf.train.adam(lr);
  if (name === 'sgd') return tf.train.sgd(lr);
  throw new BadOptionError('gain', 'optimizer', `'adam' or 'sgd', got '${name}'`);
}

function trainableVariables(model: tfjs.LayersModel, names?: readonly string[]): tfjs.Variable[] {
  const layers = names ? names.map((n) => model.getLayer(n)) : model.layers;
  return layers.flatMap((l) => l.trainableWeights.map((w) => w.read() as tfjs.Variable));
}
