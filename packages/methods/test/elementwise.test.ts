import { describe, expect, it } from 'vitest';
import {
  absGradTimesActivation,
  gradTimesActivation,
  reluGradTimesActivation,
  reluOfGradTimesActivation,
} from '../src/cam/elementwise.js';

// The loops replace `A.map(closure)`: every float32 must be the same, bit for bit, including signed
// zeros, infinities and NaN.
const specials = [0, -0, 1e-45, -1e-45, 3.4e38, -3.4e38, Infinity, -Infinity, NaN, 1, -1, 0.1, -2.5];
function operands(): { A: Float32Array; G: Float32Array } {
  let s = 12345;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 8 - 4;
  const n = 512 * 49;
  const A = Float32Array.from({ length: n }, (_, i) => (i < specials.length ** 2 ? specials[i % 13]! : rnd()));
  const G = Float32Array.from({ length: n }, (_, i) => (i < specials.length ** 2 ? specials[(i / 13) | 0]! : rnd()));
  return { A, G };
}
const bits = (x: Float32Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));

describe('element-wise CAM products', () => {
  const { A, G } = operands();
  it.each([
    ['G⊙A', gradTimesActivation, (a: number, g: number) => a * g],
    ['relu(G⊙A)', reluOfGradTimesActivation, (a: number, g: number) => Math.max(a * g, 0)],
    ['relu(G)⊙A', reluGradTimesActivation, (a: number, g: number) => Math.max(g, 0) * a],
    ['|G|⊙A', absGradTimesActivation, (a: number, g: number) => Math.abs(g) * a],
  ])('%s equals the closure form bit for bit', (_, f, e) => {
    expect(bits(f(A, G))).toEqual(bits(A.map((a, i) => e(a, G[i]!))));
  });
});
