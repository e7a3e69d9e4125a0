import { describe, expect, it } from 'vitest';
import { seedTarget } from '@gradscope/core';
import { createOnnxBackend } from '../src/index.js';
import { runtimes } from './helpers.js';
import { TinyGraph } from './tiny-model.js';

/**
 * How gradients split at ties, as torch does (expectations are closed forms computed here).
 *
 * MaxPool's gradient goes to the FIRST maximal element of each window in row-major order (torch's
 * and onnxruntime's rule) on inputs full of ties (MaxPool's Indices output + ScatterElements add). The expectation is
 * computed here by scanning the windows (padding never wins).
 */
function firstMaxGrad(
  x: readonly number[],
  n: number,
  k: number,
  s: number,
  pad: number,
  out: number,
  seed: readonly number[],
): number[] {
  const g = new Array<number>(n * n).fill(0);
  for (let oi = 0; oi < out; oi++) {
    for (let oj = 0; oj < out; oj++) {
      let best = -Infinity;
      let at = -1;
      for (let di = 0; di < k; di++) {
        for (let dj = 0; dj < k; dj++) {
          const i = oi * s + di - pad;
          const j = oj * s + dj - pad;
          if (i < 0 || j < 0 || i >= n || j >= n) continue;
          if (x[i * n + j]! > best) {
            best = x[i * n + j]!;
            at = i * n + j;
          }
        }
      }
      g[at]! += seed[oi * out + oj]!;
    }
  }
  return g;
}

const X = [1, 3, 3, 0, 2, 3, 2, 0, 0, 1, 5, 5, 2, 7, 7, 5, 5, 7, 1, 1, 0, 0, 0, 0, 0];
const X2 = X.map((v) => -v);

describe('MaxPool routes ties to the first maximum', () => {
  const cases = [
    { k: 2, s: 2, pad: 0, ceil: 0, out: 2 },
    { k: 3, s: 1, pad: 1, ceil: 0, out: 5 },
    { k: 3, s: 2, pad: 1, ceil: 0, out: 3 },
    { k: 2, s: 2, pad: 0, ceil: 1, out: 3 },
  ];
  {
    for (const c of cases) {
      it(`${c.k}×${c.k}/${c.s} pad ${c.pad}${c.ceil ? ' ceil' : ''}`, async () => {
        const g = new TinyGraph([1, 1, 5, 5]);
        const y = g.op('MaxPool', [g.x], {
          kernel_shape: [c.k, c.k],
          strides: [c.s, c.s],
          pads: [c.pad, c.pad, c.pad, c.pad],
          ceil_mode: c.ceil,
        });
        const model = await createOnnxBackend({ ort: runtimes.node }).load(g.bytes(y));
        try {
          const seed = Array.from({ length: c.out * c.out }, (_, i) => i + 1);
          for (const x of [X, X2]) {
            const hook = await model.capture(
              { data: Float32Array.from(x), shape: [1, 1, 5, 5] },
              { layers: [], gradients: false, inputGradient: true, targets: [seedTarget(seed)] },
            );
            expect(Array.from(hook.inputGradient!.data, (v) => v + 0)).toEqual(
              firstMaxGrad(x, 5, c.k, c.s, c.pad, c.out, seed),
            );
          }
        } finally {
          await model.dispose();
        }
      });
    }
  }
});

describe('Max and Min split a tie evenly (torch.max(a, b) / torch.min(a, b))', () => {
  for (const op of ['Max', 'Min'] as const) {
    it(op, async () => {
      const g = new TinyGraph([1, 2, 2, 2]);
      // a = x, b = a constant: equal at positions 0 and 5
      const b = [1, 0, 0, 0, 0, -2, 5, -5];
      const model = await createOnnxBackend({ ort: runtimes.node }).load(
        g.bytes(g.op(op, [g.x, g.f(b, [1, 2, 2, 2])])),
      );
      try {
        const x = Float32Array.from([1, 1, -1, 2, 3, -2, 4, -6]);
        const hook = await model.capture(
          { data: x, shape: [1, 2, 2, 2] },
          { layers: [], gradients: false, inputGradient: true, targets: [seedTarget([1, 1, 1, 1, 1, 1, 1, 1])] },
        );
        const want = Array.from(x, (v, i) => (v === b[i] ? 0.5 : (op === 'Max' ? v > b[i]! : v < b[i]!) ? 1 : 0));
        expect(Array.from(hook.inputGradient!.data)).toEqual(want);
      } finally {
        await model.dispose();
      }
    });
  }
});
