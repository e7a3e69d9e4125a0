/**
 * The explanation methods of gradscope (Grad-CAM, CAM, guided backprop, ...).
 *
 * @module @gradscope/methods
 */
import type { Method } from '@gradscope/core';
import { cam } from './cam/cam.js';
import { counterfactualGradcam } from './cam/counterfactual-gradcam.js';
import { gradcam } from './cam/gradcam.js';
import { eigencam } from './cam/eigencam.js';
import { eigengradcam } from './cam/eigengradcam.js';
import { dff } from './cam/dff.js';
import { fem } from './cam/fem.js';
import { finerCam } from './cam/finer-cam.js';
import { gradcamElementwise } from './cam/gradcam-elementwise.js';
import { gradcamPlusPlus } from './cam/gradcam-plusplus.js';
import { hirescam } from './cam/hirescam.js';
import { kpcaCam } from './cam/kpca-cam.js';
import { layercam } from './cam/layercam.js';
import { randomCam } from './cam/random-cam.js';
import { refineCam } from './cam/refine-cam.js';
import { segEigenCam } from './cam/seg-eigen-cam.js';
import { shapleyCam } from './cam/shapley-cam.js';
import { fullgrad } from './cam/fullgrad.js';
import { sobelCam } from './cam/sobel-cam.js';
import { xgradcam } from './cam/xgradcam.js';
import { deconvnet } from './gradient/deconvnet.js';
import { guidedBackprop } from './gradient/guided-backprop.js';
import { guidedGradcam } from './gradient/guided-gradcam.js';
import { saliency } from './gradient/saliency.js';
import { scorecam } from './cam/scorecam.js';
import { ablationcam } from './cam/ablationcam.js';
import { occlusion } from './perturbation/occlusion.js';
import { rise } from './perturbation/rise.js';
import { integratedGradients } from './gradient/integrated-gradients.js';
import { inputXGradient } from './gradient/input-x-gradient.js';
import { smoothgrad } from './gradient/smoothgrad.js';
import { smoothgradSq } from './gradient/smoothgrad-sq.js';

export { camMethod } from './cam/cam-method.js';
export type { CamLayer, CamSpec } from './cam/cam-spec.js';
export { scaleCam, combineLayerMaps } from './cam/cam-pipeline.js';
export { gradcam, gradcamWeights } from './cam/gradcam.js';
export { inputGradientMethod, type InputGradientSpec } from './gradient/input-gradient-method.js';
export { cam, counterfactualGradcam, saliency, guidedBackprop, deconvnet, guidedGradcam };
export { gradcamPlusPlus, gradcamPlusPlusWeights } from './cam/gradcam-plusplus.js';
export { xgradcam, xgradcamWeights } from './cam/xgradcam.js';
export { hirescam, gradcamElementwise, layercam, eigencam, eigengradcam, kpcaCam, fem, randomCam, segEigenCam };
export { sobelCam, refineCam, finerCam, dff };
export { shapleyCam, shapleyCamWeights } from './cam/shapley-cam.js';
export { fullgrad };
export { scorecam, ablationcam, occlusion, rise, integratedGradients, inputXGradient, smoothgrad, smoothgradSq };
export { smoothgradMethod } from './gradient/smoothgrad-method.js';
export {
  integrationPoints,
  gaussLegendre,
  INTEGRATION_RULES,
  type IntegrationRule,
} from './gradient/integration-rules.js';
export { gaussianStream } from './gradient/gaussian-noise.js';
export { riseGrids } from './perturbation/rise.js';
export type { CamSmoothing } from './cam/cam-method.js';

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
  gradcamPlusPlus,
  xgradcam,
  hirescam,
  gradcamElementwise,
  layercam,
  eigencam,
  eigengradcam,
  kpcaCam,
  fem,
  segEigenCam,
  refineCam,
  finerCam,
  shapleyCam,
  fullgrad,
  dff,
  randomCam,
  sobelCam,
  scorecam,
  ablationcam,
  occlusion,
  rise,
  integratedGradients,
  inputXGradient,
  smoothgrad,
  smoothgradSq,
];
