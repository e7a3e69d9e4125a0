import type * as tfjs from '@tensorflow/tfjs';
import { UnknownLayerError, UnsupportedModelError } from '@gradscope/core';

/** A LayersModel cut at its Grad-CAM layer: `head(features(x))` are the logits. */
export interface SplitModel {
  readonly camLayer: string;
  /** Activations of the CAM layer, NHWC `[B, h, w, C]`. `training` switches BatchNorm/dropout. */
  features(x: tfjs.Tensor, training: boolean): tfjs.Tensor4D;
  /** Logits `[B, K]` from the CAM layer's activations (a final softmax/sigmoid is stripped). */
  head(f: tfjs.Tensor, training: boolean): tfjs.Tensor2D;
  /** True when some layer behaves differently in training (BatchNorm, dropout, noise). */
  readonly hasTrainingBehaviour: boolean;
}

interface Sym {
  readonly id: number;
  readonly sourceLayer: tfjs.layers.Layer;
}
type LayerNodes = { inboundNodes: { inputTensors: Sym[]; outputTensors: Sym[] }[] };

const TRAINING_DEPENDENT = /BatchNormalization|Dropout|GaussianNoise|GaussianDropout|AlphaDropout/;
const SQUASH = new Set(['softmax', 'sigmoid']);

/** The last layer with a 4-D output: the default Grad-CAM layer. */
export function lastConvLayer(model: tfjs.LayersModel): string {
  const spatial = model.layers.filter((l) => {
    const s = l.outputShape as (number | null)[];
    return Array.isArray(s) && s.length === 4 && l.getClassName() !== 'InputLayer';
  });
  if (!spatial.length) throw new UnsupportedModelError(`model '${model.name}' has no layer with a 4-D output`);
  return spatial[spatial.length - 1]!.name;
}

/**
 * Cuts `model` at `camLayer` (default: {@link lastConvLayer}). Layers run one by one in the model's
 * (topological) order; the head may depend only on the CAM layer's output, which holds for the
 * usual conv → pool → dense classifiers. A trailing softmax/sigmoid (an `Activation` layer, or the
 * activation of the final Dense) is dropped so that `head` returns logits.
 */
export function splitModel(model: tfjs.LayersModel, camLayer = lastConvLayer(model)): SplitModel {
  const names = model.layers.map((l) => l.name);
  const cut = names.indexOf(camLayer);
  if (cut < 0) throw new UnknownLayerError(camLayer, names);
  const layers = model.layers as (tfjs.layers.Layer & LayerNodes)[];
  for (const l of layers)
    if (l.inboundNodes.length > 1 || l instanceof (model.constructor as typeof tfjs.LayersModel))
      throw new UnsupportedModelError(`layer '${l.name}' is shared or nested; GAIN needs a flat functional model`);
  const inputId = (model.inputs[0] as unknown as Sym).id;
  const camOut = layers[cut]!.inboundNodes[0]!.outputTensors[0]!.id;
  const outId = (model.outputs[0] as unknown as Sym).id;
  let last = layers[layers.length - 1]!;
  const lastConfig = last.getConfig() as { activation?: string };
  const dropLast = last.getClassName() === 'Activation' && SQUASH.has(lastConfig.activation ?? '');
  const linearLast = !dropLast && last.getClassName() === 'Dense' && SQUASH.has(lastConfig.activation ?? '');
  if (dropLast) last = layers[layers.length - 2]!;
  const stopId = dropLast ? last.inboundNodes[0]!.outputTensors[0]!.id : outId;

  const run = (from: number, to: number, seed: Map<number, tfjs.Tensor>, training: boolean, want: number) => {
    for (let i = from; i <= to; i++) {
      const l = layers[i]!;
      if (l.getClassName() === 'InputLayer') continue;
      const node = l.inboundNodes[0]!;
      const ins = node.inputTensors.map((t) => {
        const v = seed.get(t.id);
        if (!v) throw new UnsupportedModelError(`layer '${l.name}' reads a tensor from before the CAM layer`);
        return v;
      });
      const out =
        linearLast && l === last ? denseLogits(l, ins[0]!) : l.apply(ins.length === 1 ? ins[0]! : ins, { training });
      (Array.isArray(out) ? out : [out]).forEach((t, k) => seed.set(node.outputTensors[k]!.id, t as tfjs.Tensor));
      if (seed.has(want)) break;
    }
    return seed.get(want)!;
  };
  const lastIndex = layers.indexOf(last);
  return {
    camLayer,
    hasTrainingBehaviour: layers.some((l) => TRAINING_DEPENDENT.test(l.getClassName())),
    features: (x, training) => run(0, cut, new Map([[inputId, x]]), training, camOut) as tfjs.Tensor4D,
    head: (f, training) => run(cut + 1, lastIndex, new Map([[camOut, f]]), training, stopId) as tfjs.Tensor2D,
  };
}

/** The pre-activation output of a Dense layer: `x·W + b`. */
function denseLogits(layer: tfjs.layers.Layer, x: tfjs.Tensor): tfjs.Tensor {
  const [kernel, bias] = layer.weights.map((w) => w.read());
  const y = x.matMul(kernel as tfjs.Tensor2D);
  return bias ? y.add(bias) : y;
}
