import type { Method } from '@gradscope/core';
import { cam } from './cam/cam.js';
import { counterfactualGradcam } from './cam/counterfactual-gradcam.js';
import { gradcam } from './cam/gradcam.js';
import { deconvnet } from './gradient/deconvnet.js';
import { guidedBackprop } from './gradient/guided-backprop.js';
import { guidedGradcam } from './gradient/guided-gradcam.js';
import { saliency } from './gradient/saliency.js';

export { camMethod } from './cam/cam-method.js';
export type { CamLayer, CamSpec } from './cam/cam-spec.js';
export { scaleCam, combineLayerMaps } from './cam/cam-pipeline.js';
export { gradcam, gradcamWeights } from './cam/gradcam.js';
export { inputGradientMethod, type InputGradientSpec } from './gradient/input-gradient-method.js';
export { cam, counterfactualGradcam, saliency, guidedBackprop, deconvnet, guidedGradcam };

/**
 * Every method this package defines, in a stable order: `createGradscope({ methods: builtinMethods })`.
 */
export const builtinMethods: readonly Method<any>[] = [
  gradcam,
  counterfactualGradcam,
  cam,
  saliency,
  guidedBackprop,
  deconvnet,
  guidedGradcam,
];
