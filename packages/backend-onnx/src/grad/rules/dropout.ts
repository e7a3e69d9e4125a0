import { defineGradRule } from '../grad-rule.js';

/** Inference Dropout is the identity: dx = dy. */
export const dropoutGrad = defineGradRule({ opType: 'Dropout', backward: (ctx) => [ctx.gradOutput()] });
