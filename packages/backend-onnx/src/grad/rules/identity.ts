import { defineGradRule } from '../grad-rule.js';

/** y = x: dx = dy. */
export const identityGrad = defineGradRule({ opType: 'Identity', backward: (ctx) => [ctx.gradOutput()] });
