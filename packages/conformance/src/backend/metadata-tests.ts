import { expect, it } from 'vitest';
import { autoLayer, CAPABILITIES } from '@gradscope/core';
import { layerNamesOf } from '../layer-names.js';
import { PER_MODEL_CAPABILITIES } from '../per-model-capabilities.js';
import type { BackendContext } from './backend-context.js';

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Always: a kebab-case backend id that the model repeats; known capabilities (the model's are the
 * backend's, less at most per-model ones); the input spec (layout, shape, H/W/C), `numClasses`,
 * channels-first `spatial` info of the golden layers, and `autoLayer` = the pooled layer.
 */
export function metadataTests(ctx: BackendContext): void {
  const { setup: s, caps, m, L } = ctx;

  it("identifies itself and declares known capabilities: the model's are the backend's, less at most per-model ones", () => {
    const { model } = ctx;
    expect(s.backend.id).toMatch(KEBAB);
    expect(model.backend).toBe(s.backend.id);
    for (const c of caps) expect(CAPABILITIES).toContain(c);
    const extra = [...model.capabilities].filter((c) => !caps.has(c));
    expect(extra, 'capabilities the model declares but the backend does not').toEqual([]);
    const dropped = [...caps].filter((c) => !model.capabilities.has(c) && !PER_MODEL_CAPABILITIES.includes(c));
    expect(dropped, 'backend-wide capabilities the model lacks').toEqual([]);
  });

  it('describes the input, the classes and the golden layers (channels-first spatial info)', () => {
    const { model } = ctx;
    const { input } = model;
    expect(['NCHW', 'NHWC']).toContain(input.layout);
    expect([input.height, input.width, input.channels]).toEqual([m.input.height, m.input.width, m.input.channels]);
    const { channels: C, height: Hh, width: Ww } = m.input;
    const want = input.layout === 'NCHW' ? [C, Hh, Ww] : [Hh, Ww, C];
    expect(input.shape.slice(1)).toEqual(want);
    expect([-1, 1]).toContain(input.shape[0]);
    expect(model.numClasses).toBe(m.numClasses);
    for (const logical of m.goldenLayers) {
      const info = model.layers.find((l) => l.name === L(logical))!;
      const [, C, h, w] = m.layerShapes[logical]!;
      expect(info.spatial, logical).toEqual({ height: h, width: w, channels: C });
      expect(
        info.outputShape.slice(1).reduce((a, b) => a * b, 1),
        logical,
      ).toBe(C! * h! * w!);
    }
    expect(layerNamesOf(m, m.head.featureLayer), 'auto layer').toContain(autoLayer(model.layers)?.name);
  });
}
