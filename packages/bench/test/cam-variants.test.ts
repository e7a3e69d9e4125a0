import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { createOnnxBackend } from '@gradscope/backend-onnx/node';
import { builtinMethods } from '@gradscope/methods';
import { describe, expect, it } from 'vitest';
import { benchCamVariants, gradientCams, NOT_GRADIENT_BASED, type CamVariantRow } from '../src/cam-variants.js';
import { formatCamVariantTable } from '../src/cam-variants-table.js';
import { noiseInput } from '../src/noise-input.js';

const SHAPES_ONNX = fileURLToPath(new URL('../../shapes/model/model.onnx', import.meta.url));

describe('gradient-based CAM variants', () => {
  it('are the layer methods that need layer gradients, Grad-CAM aside', () => {
    const ids = gradientCams(builtinMethods);
    for (const id of ['gradcam-plusplus', 'xgradcam', 'hirescam', 'layercam', 'eigengradcam', 'finer-cam'])
      expect(ids).toContain(id);
    expect(ids).not.toContain('gradcam');
    for (const id of Object.keys(NOT_GRADIENT_BASED)) expect(ids).not.toContain(id);
  });

  it('every built-in layer-space method is Grad-CAM, a gradient-based variant or excluded with a reason', () => {
    const ids = new Set(['gradcam', ...gradientCams(builtinMethods), ...Object.keys(NOT_GRADIENT_BASED)]);
    const unclassified = builtinMethods.filter((m) => m.space === 'layer' && !ids.has(m.id)).map((m) => m.id);
    expect(unclassified).toEqual([]);
    // and every exclusion names a method that exists and needs no layer gradients
    for (const id of Object.keys(NOT_GRADIENT_BASED)) {
      const m = builtinMethods.find((x) => x.id === id);
      expect(m, id).toBeDefined();
      expect(m!.requires, id).not.toContain('layer-gradients');
    }
  });
});

const variant = (method: string, medianMs: number, ratio: number) => ({
  method,
  medianMs,
  gradcamMs: medianMs / ratio,
  ratio,
  samplesMs: [medianMs],
  gradcamSamplesMs: [medianMs / ratio],
});

describe('formatCamVariantTable', () => {
  it('prints each variant per row with its ratio to Grad-CAM, judged against 1.1×, and lists misses', () => {
    const row = (runtime: string, r: number): CamVariantRow => ({
      model: 'm',
      runtime,
      layer: 'l4',
      gradcamMs: 50,
      variants: [variant('a', 55, 1.1), variant('b', 50 * r, r)],
    });
    const lines = formatCamVariantTable([row('x', 1), row('y', 2)], 7).split('\n');
    expect(lines[0]).toBe('| method | m, x (at l4) | m, y (at l4) |');
    expect(lines[2]).toBe('| gradcam | 50.0 ms (1×) | 50.0 ms (1×) |');
    expect(lines[3]).toBe('| a | 55.0 ms (1.10× ✓) | 55.0 ms (1.10× ✓) |');
    expect(lines[4]).toBe('| b | 50.0 ms (1.00× ✓) | 100 ms (2.00× ✗) |');
    expect(lines).toContain('Goal checks: 3/4 met; missed:');
    expect(lines).toContain('  - m, y: b 2.00× Grad-CAM');
    expect(lines.at(-1)).toMatch(/^Not gradient-based \(not held to it\): cam \(/);
  });
});

describe.runIf(existsSync(SHAPES_ONNX))('benchCamVariants', () => {
  it('times each variant in pairs with Grad-CAM, one sample of each per round', async () => {
    const model = await createOnnxBackend({ ort }).load(SHAPES_ONNX);
    try {
      const row = await benchCamVariants(model, noiseInput(model), {
        runs: 3,
        warmup: 1,
        model: 'shapes',
        runtime: 'ort-node',
        layer: 'relu4',
        registry: builtinMethods,
        methods: ['hirescam', 'layercam'],
      });
      expect(row.variants.map((v) => v.method)).toEqual(['hirescam', 'layercam']);
      for (const v of row.variants) {
        expect(v.samplesMs).toHaveLength(3);
        expect(v.gradcamSamplesMs).toHaveLength(3);
        const ratios = v.samplesMs.map((x, i) => x / v.gradcamSamplesMs[i]!).sort((p, q) => p - q);
        expect(v.ratio).toBe(ratios[1]);
      }
      expect(row.gradcamMs).toBeGreaterThan(0);
    } finally {
      await model.dispose();
    }
  });
});
