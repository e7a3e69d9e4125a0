import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { createOnnxBackend } from '@gradscope/backend-onnx/node';
import { builtinMethods } from '@gradscope/methods';
import { describe, expect, it } from 'vitest';
import { benchBatching, formatBatchingTable, type BatchingRow } from '../src/batching.js';

const SHAPES_ONNX = fileURLToPath(new URL('../../shapes/model/model.onnx', import.meta.url));

describe.runIf(existsSync(SHAPES_ONNX))('benchBatching', () => {
  it('times Grad-CAM one image at a time and batched, one sample of each per round, per image', async () => {
    const model = await createOnnxBackend({ ort }).load(SHAPES_ONNX);
    try {
      const row = await benchBatching(model, {
        runs: 3,
        warmup: 1,
        batch: 4,
        model: 'shapes',
        runtime: 'ort-node',
        layer: 'relu4',
        registry: builtinMethods,
      });
      expect(row.batch).toBe(4);
      expect(row.oneSamplesMs).toHaveLength(3);
      expect(row.batchedSamplesMs).toHaveLength(3);
      const ratios = row.batchedSamplesMs.map((b, i) => b / row.oneSamplesMs[i]!).sort((a, b) => a - b);
      expect(row.ratio).toBe(ratios[1]);
      expect(row.oneMs).toBe([...row.oneSamplesMs].sort((a, b) => a - b)[1]);
    } finally {
      await model.dispose();
    }
  });
});

describe('formatBatchingTable', () => {
  it('prints per-image medians, the ratio and the speed-up per row, and the load average', () => {
    const row: BatchingRow = {
      model: 'resnet18',
      runtime: 'ort-node',
      layer: 'layer4',
      batch: 8,
      oneMs: 40,
      batchedMs: 25,
      ratio: 0.625,
      oneSamplesMs: [40],
      batchedSamplesMs: [25],
    };
    const t = formatBatchingTable([row], 7, [1.5, 2, 2.25]);
    expect(t).toContain('| resnet18, ort-node (layer4) | 40.0 ms | 25.0 ms (N = 8) | 0.63× | 1.60× |');
    expect(t).toContain('Load average at the end: 1.50, 2.00, 2.25.');
    expect(formatBatchingTable([], 7)).toBe('(no batching rows)');
  });
});
