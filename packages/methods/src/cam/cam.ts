import { UnsupportedModelError, type LinearHead, type Model } from '@gradscope/core';
import { camMethod } from './cam-method.js';
import type { CamLayer } from './cam-spec.js';

function headOf(model: Model): LinearHead {
  if (!model.head) {
    throw new UnsupportedModelError(
      `model '${model.name}' does not end in conv → global average pooling → one dense layer, which classic CAM needs; use 'gradcam' instead`,
    );
  }
  return model.head;
}

/** CAM weights `w_c = Σ_k seed_k · W[k, c]`: for a class target, the dense weights of that class. */
function camWeights(l: CamLayer): Float32Array {
  const { weights } = headOf(l.model);
  const [K, C] = weights.shape as [number, number];
  if (C !== l.channels || K !== l.target.seed.length) {
    throw new UnsupportedModelError(
      `the dense head has weights [${K}, ${C}] but layer '${l.name}' has ${l.channels} channels and the model ${l.target.seed.length} outputs`,
    );
  }
  const w = new Float32Array(C);
  for (let k = 0; k < K; k++) {
    const s = l.target.seed[k]!;
    if (s !== 0) for (let c = 0; c < C; c++) w[c] = w[c]! + s * weights.data[k * C + c]!;
  }
  return w;
}

/**
 * CAM (class activation mapping): the last conv features weighted by the dense layer that follows
 * global average pooling.
 *
 * Formula: `w_c = W[class, c]`; `cam = Σ_c w_c · A_c` at the head's feature layer, then ReLU,
 * min-max scale and bilinear (half-pixel) resize to the input size, as every CAM here.
 *
 * Deviations: the layer is always the model's `head.featureLayer` (reported in `layers`; a requested
 * layer is ignored). For softmax or seed targets the weights are `Σ_k seed_k · W[k, c]` (the gradient
 * of the score with respect to the pooled features), which is `±W[class, c]` for class targets.
 * pytorch-grad-cam has no classic CAM. Models without such a head are refused (UnsupportedModelError).
 *
 * Output: `map` `[H, W]` in [0, 1]; `raw` `[h, w]` at the feature layer's resolution.
 *
 * Paper: Zhou et al., "Learning Deep Features for Discriminative Localization", CVPR 2016,
 * https://arxiv.org/abs/1512.04150
 */
export const cam = camMethod<Record<string, never>>({
  id: 'cam',
  title: 'CAM',
  description: 'Last conv features weighted by the dense layer after global average pooling.',
  requires: ['activations', 'linear-head'],
  options: {},
  layers: (model) => [headOf(model).featureLayer],
  weights: camWeights,
});
