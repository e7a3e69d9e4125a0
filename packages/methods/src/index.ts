import { registerMethods, type DependencyContainer, type Explainer } from '@gradscope/core';
import { cam } from './cam/cam.js';
import { counterfactualGradCam } from './cam/counterfactual-grad-cam.js';
import { gradCam } from './cam/grad-cam.js';
import { deconvnet } from './gradient/deconvnet.js';
import { guidedBackprop } from './gradient/guided-backprop.js';
import { guidedGradCam } from './gradient/guided-grad-cam.js';
import { saliency } from './gradient/saliency.js';

export { camMethod } from './cam/cam-method.js';
export type { CamLayer, CamSpec } from './cam/cam-spec.js';
export { scaleCam, combineLayerMaps } from './cam/cam-pipeline.js';
export { gradCam, gradCamWeights } from './cam/grad-cam.js';
export { inputGradientMethod, type InputGradientSpec } from './gradient/input-gradient-method.js';
export { cam, counterfactualGradCam, saliency, guidedBackprop, deconvnet, guidedGradCam };

/** Every method this package defines, in a stable order. */
export const builtinMethods: readonly Explainer<any>[] = [
  gradCam,
  counterfactualGradCam,
  cam,
  saliency,
  guidedBackprop,
  deconvnet,
  guidedGradCam,
];

/** Registers `builtinMethods` on `container` (a composition root's child container). */
export function registerBuiltinMethods(container: DependencyContainer): void {
  registerMethods(container, builtinMethods);
}
