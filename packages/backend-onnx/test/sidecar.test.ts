import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { imageToTensor, isGradscopeError, type ImagePixels } from '@gradscope/core';
import { createOnnxBackend } from '../src/node.js';
import { runtimes } from './helpers.js';
import { TinyGraph } from './tiny-model.js';

const dir = mkdtempSync(join(tmpdir(), 'gradscope-onnx-sidecar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** x [1, 3, 4, 4] → conv → relu → GAP → Gemm: 2 classes. */
function write(name: string, sidecar?: object): string {
  const g = new TinyGraph([1, 3, 4, 4]);
  const feat = g.op('Flatten', [
    g.op('GlobalAveragePool', [
      g.op('Relu', [g.op('Conv', [g.x, g.f(TinyGraph.random(54, 5), [2, 3, 3, 3])], { pads: [1, 1, 1, 1] })]),
    ]),
  ]);
  const file = join(dir, `${name}.onnx`);
  writeFileSync(
    file,
    g.bytes(g.op('Gemm', [feat, g.f(TinyGraph.random(4, 6), [2, 2])], { transB: 1 }), { flatten: false }),
  );
  if (sidecar) writeFileSync(join(dir, `${name}.gradscope.json`), JSON.stringify(sidecar));
  return file;
}

const backend = createOnnxBackend({ ort: runtimes.node });
const NORM = { mean: [0.4, 0.5, 0.6], std: [0.2, 0.25, 0.3] };

describe('the ONNX backend reads <model>.gradscope.json like tfjs', () => {
  it('normalisation, classes and inputSize from the sidecar (path and file: URL); no warnings', async () => {
    const file = write('with', { normalization: NORM, classes: ['star', 'square'] });
    for (const src of [file, pathToFileURL(file).href]) {
      const m = await backend.load(src);
      try {
        expect(m.input.normalization).toEqual(NORM);
        expect(m.classes).toEqual(['star', 'square']);
        expect(m.warnings).toEqual([]);
      } finally {
        await m.dispose();
      }
    }
  });

  it('load options win over the sidecar; a model without one warns that its normalisation is unknown', async () => {
    const withSide = await backend.load(write('opt', { normalization: NORM }), {
      normalization: { mean: [0, 0, 0], std: [2, 2, 2] },
    });
    const bare = await backend.load(write('bare'));
    try {
      expect(withSide.input.normalization).toEqual({ mean: [0, 0, 0], std: [2, 2, 2] });
      expect(bare.input.normalization).toBeUndefined();
      expect(bare.warnings).toHaveLength(1);
      expect(bare.warnings![0]).toMatch(/bare: input normalisation unknown/);
    } finally {
      await withSide.dispose();
      await bare.dispose();
    }
  });

  it('pixelRange 255 and channelOrder bgr: the tensor equals the 0–255 BGR input computed by hand', async () => {
    const m = await backend.load(
      write('caffe', {
        pixelRange: 255,
        normalization: { mean: [104, 117, 123], std: [1, 1, 1] },
        channelOrder: 'bgr',
      }),
    );
    try {
      expect(m.input.channelOrder).toBe('bgr');
      const px: ImagePixels = { data: Uint8Array.from({ length: 64 }, (_, i) => (i * 29) % 256), width: 4, height: 4 };
      const x = imageToTensor(px, m.input, m.input.normalization);
      const want = new Float32Array(48);
      const mean = [104, 117, 123];
      for (let c = 0; c < 3; c++) for (let i = 0; i < 16; i++) want[c * 16 + i] = px.data[i * 4 + (2 - c)]! - mean[c]!; // channel 0 is blue
      for (let i = 0; i < 48; i++) expect(x.data[i]).toBeCloseTo(want[i]!, 3);
    } finally {
      await m.dispose();
    }
  });

  it('a sidecar whose class count differs from the outputs, or malformed, is a model-load error', async () => {
    for (const side of [{ classes: ['a', 'b', 'c'] }, { pixelRange: -1 }, { channelOrder: 'grb' }]) {
      const err = await backend.load(write('badside', side)).catch((e: unknown) => e);
      expect(isGradscopeError(err, 'model-load'), JSON.stringify(side)).toBe(true);
    }
  });
});
