import {
  fromChannelsFirst,
  MissingCapabilityError,
  defineMethod,
  minMaxScale,
  missingCapabilities,
  resolveOptions,
  withSubject,
  type Method,
  type MethodResult,
} from '@gradscope/core';
import { attributionMagnitude } from '@gradscope/core';
import { gaussianStream } from './gaussian-noise.js';
import { resolveOnInput } from '../perturbation/scores.js';

type SmoothOptions = { method: string; samples: number; sigma: number; seed: number };

/**
 * Builds `smoothgrad` (mean of the wrapped method's results over noisy copies of the input) or,
 * with `squared`, `smoothgrad-sq` (mean of their squares). See `smoothgrad.ts` for the definition.
 */
export function smoothgradMethod(
  id: string,
  squared: boolean,
  wrappable: readonly Method<any>[],
): Method<SmoothOptions> {
  const byId = new Map(wrappable.map((m) => [m.id, m]));
  return defineMethod<SmoothOptions>({
    id,
    title: squared ? 'SmoothGrad²' : 'SmoothGrad',
    description: squared
      ? 'Mean of the squared results of a method over noisy copies of the input.'
      : 'Mean of a method’s results over noisy copies of the input.',
    space: 'input',
    usesLayers: true,
    requires: [],
    options: {
      method: { type: 'enum', default: 'saliency', values: [...byId.keys()], description: 'The method averaged.' },
      samples: { type: 'integer', default: 25, min: 1, description: 'Number of noisy copies.' },
      sigma: {
        type: 'number',
        default: 0.15,
        min: 0,
        description: 'Noise standard deviation as a fraction of the input range max(x) − min(x).',
      },
      seed: { type: 'integer', default: 0, min: 0, description: 'Seed of the noise.' },
    },
    async explain(ctx, o) {
      const inner = byId.get(o.method)!;
      const missing = missingCapabilities(inner, ctx.model.capabilities);
      if (missing.length) throw new MissingCapabilityError(`${id}(${inner.id})`, ctx.model.backend, missing);
      const innerOptions = resolveOptions(inner, {});
      const { resolved, fixed } = await resolveOnInput(ctx);
      const x = ctx.input.data;
      let lo = Infinity,
        hi = -Infinity;
      for (const v of x) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      const sd = o.sigma * (hi - lo);
      const normal = gaussianStream(o.seed);
      const { layout, height: H, width: W, channels: C } = ctx.model.input;
      let first: MethodResult | null = null;
      let raw: Float32Array | null = null,
        map: Float32Array | null = null;
      for (let k = 0; k < o.samples; k++) {
        ctx.checkAborted();
        // noise drawn in channels-first order, then laid out like the input: the same on every backend
        const noise = fromChannelsFirst(
          { data: Float32Array.from({ length: x.length }, () => sd * normal()), shape: [1, C, H, W] },
          layout,
        ).data;
        const input = { data: x.map((v, i) => v + noise[i]!), shape: [...ctx.input.shape] };
        const sub = withSubject(ctx, { input, target: fixed, layers: inner.usesLayers ? ctx.layers : [] });
        const r = await inner.explain({ ...sub, onProgress: () => undefined }, innerOptions);
        first ??= r;
        raw ??= new Float32Array(r.raw.data.length);
        map ??= new Float32Array(r.map.data.length);
        for (let i = 0; i < raw.length; i++) raw[i] += (squared ? r.raw.data[i]! ** 2 : r.raw.data[i]!) / o.samples;
        for (let i = 0; i < map.length; i++) map[i] += (squared ? r.map.data[i]! ** 2 : r.map.data[i]!) / o.samples;
        ctx.onProgress(k + 1, o.samples);
      }
      const rawT = { data: raw!, shape: [...first!.raw.shape] };
      return {
        map:
          inner.space === 'input'
            ? attributionMagnitude(rawT, layout)
            : { data: minMaxScale(map!), shape: [...first!.map.shape] },
        raw: rawT,
        target: resolved,
        ...(first!.layers ? { layers: first!.layers } : {}),
      };
    },
  });
}
