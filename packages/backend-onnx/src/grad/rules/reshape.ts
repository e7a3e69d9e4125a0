import { defineGradRule } from '../grad-rule.js';
import { reshapeBack } from '../reshape-back.js';

/** y = reshape(x): dx = reshape(dy, shape(x)). */
export const reshapeGrad = defineGradRule({ opType: 'Reshape', backward: reshapeBack });
