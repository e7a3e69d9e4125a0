import { defineGradRule } from '../grad-rule.js';
import { reshapeBack } from '../reshape-back.js';

/** y = flatten(x): dx = reshape(dy, shape(x)). */
export const flattenGrad = defineGradRule({ opType: 'Flatten', backward: reshapeBack });
