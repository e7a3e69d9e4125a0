import { absGrad } from './abs.js';
import { addGrad } from './add.js';
import { averagePoolGrad } from './average-pool.js';
import { batchNormalizationGrad } from './batch-normalization.js';
import { castGrad } from './cast.js';
import { clipGrad } from './clip.js';
import { concatGrad } from './concat.js';
import { convGrad } from './conv.js';
import { divGrad } from './div.js';
import { dropoutGrad } from './dropout.js';
import { eluGrad } from './elu.js';
import { erfGrad } from './erf.js';
import { expGrad } from './exp.js';
import { expandGrad } from './expand.js';
import { flattenGrad } from './flatten.js';
import { gatherGrad } from './gather.js';
import { gemmGrad } from './gemm.js';
import { globalAveragePoolGrad } from './global-average-pool.js';
import { globalMaxPoolGrad } from './global-max-pool.js';
import { hardSigmoidGrad } from './hard-sigmoid.js';
import { hardSwishGrad } from './hard-swish.js';
import { identityGrad } from './identity.js';
import { instanceNormalizationGrad } from './instance-normalization.js';
import { layerNormalizationGrad } from './layer-normalization.js';
import { leakyReluGrad } from './leaky-relu.js';
import { logGrad } from './log.js';
import { lrnGrad } from './lrn.js';
import { matMulGrad } from './mat-mul.js';
import { maxPoolGrad } from './max-pool.js';
import { maxGrad, minGrad } from './min-max.js';
import { mulGrad } from './mul.js';
import { negGrad } from './neg.js';
import { padGrad } from './pad.js';
import { powGrad } from './pow.js';
import { preluGrad } from './prelu.js';
import { reciprocalGrad } from './reciprocal.js';
import { reduceMeanGrad } from './reduce-mean.js';
import { reduceSumGrad } from './reduce-sum.js';
import { reluGrad } from './relu.js';
import { reshapeGrad } from './reshape.js';
import { resizeGrad } from './resize.js';
import { seluGrad } from './selu.js';
import { sigmoidGrad } from './sigmoid.js';
import { sliceGrad } from './slice.js';
import { softmaxGrad } from './softmax.js';
import { softplusGrad } from './softplus.js';
import { splitGrad } from './split.js';
import { sqrtGrad } from './sqrt.js';
import { squeezeGrad } from './squeeze.js';
import { subGrad } from './sub.js';
import { sumGrad } from './sum.js';
import { tanhGrad } from './tanh.js';
import { transposeGrad } from './transpose.js';
import { unsqueezeGrad } from './unsqueeze.js';
import type { GradRule } from '../grad-rule.js';

/** Every built-in gradient rule (one file per ONNX operator in this folder). */
export const builtinGradRules: readonly GradRule[] = [
  absGrad,
  addGrad,
  averagePoolGrad,
  batchNormalizationGrad,
  castGrad,
  clipGrad,
  concatGrad,
  convGrad,
  divGrad,
  dropoutGrad,
  eluGrad,
  erfGrad,
  expandGrad,
  expGrad,
  flattenGrad,
  gatherGrad,
  gemmGrad,
  globalAveragePoolGrad,
  globalMaxPoolGrad,
  hardSigmoidGrad,
  hardSwishGrad,
  identityGrad,
  instanceNormalizationGrad,
  layerNormalizationGrad,
  leakyReluGrad,
  logGrad,
  lrnGrad,
  matMulGrad,
  maxGrad,
  maxPoolGrad,
  minGrad,
  mulGrad,
  negGrad,
  padGrad,
  powGrad,
  preluGrad,
  reciprocalGrad,
  reduceMeanGrad,
  reduceSumGrad,
  reluGrad,
  reshapeGrad,
  resizeGrad,
  seluGrad,
  sigmoidGrad,
  sliceGrad,
  softmaxGrad,
  softplusGrad,
  splitGrad,
  sqrtGrad,
  squeezeGrad,
  subGrad,
  sumGrad,
  tanhGrad,
  transposeGrad,
  unsqueezeGrad,
];
