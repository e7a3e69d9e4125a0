import { expect, it } from 'vitest';
import { toChannelsFirst } from '@gradscope/core';
import { mismatch } from '../compare.js';
import type { BackendContext } from './backend-context.js';

/** Each ReLU backward rule with the capability that declares it. */
const MODES = [
  ['input-gradients', 'standard'],
  ['relu-guided', 'guided'],
  ['relu-deconvnet', 'deconvnet'],
] as const;

/**
 * `input-gradients` (standard), `relu-guided`, `relu-deconvnet` (each with `input-gradients`): the
 * input gradient of every golden capture of that ReLU rule, in the model's input layout and, after
 * core's `toChannelsFirst`, equal to torch's. The deconvnet goldens fail a backend whose MaxPool
 * gradient routes ties to the last maximum.
 */
export function inputGradientTests(ctx: BackendContext): void {
  const { caps, fx, m, tol, capture } = ctx;
  for (const [cap, mode] of MODES) {
    if (!caps.has(cap) || !caps.has('input-gradients')) continue;
    for (const c of m.captures.filter((c) => c.inputGradient[mode])) {
      it(`${mode} input gradient of ${c.input}/${c.target} equals torch's (input layout)`, async () => {
        const { model } = ctx;
        const hook = await capture(c.input, { inputGradient: true, reluMode: mode, targets: [fx.target(c.target)] });
        try {
          const g = hook.inputGradient;
          expect(g, 'inputGradient').toBeDefined();
          expect(g!.shape).toEqual([1, ...model.input.shape.slice(1)]);
          const nchw = toChannelsFirst(g!, model.input.layout);
          expect(mismatch(nchw, fx.array(c.inputGradient[mode]!), tol.gradients, `${mode} input gradient`)).toBeNull();
        } finally {
          hook.dispose();
        }
      });
    }
  }
}
