import { defineGradRule } from '../grad-rule.js';
import { reshapeBack } from '../reshape-back.js';

/** y = unsqueeze(x): dx = reshape(dy, shape(x)). */
export const unsqueezeGrad = defineGradRule({ opType: 'Unsqueeze', backward: reshapeBack });
