import { defineGradRule } from '../grad-rule.js';
import { reshapeBack } from '../reshape-back.js';

/** y = squeeze(x): dx = reshape(dy, shape(x)). */
export const squeezeGrad = defineGradRule({ opType: 'Squeeze', backward: reshapeBack });
