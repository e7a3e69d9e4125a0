import { createGradscope, type Method, type Model, type Tensor } from '@gradscope/core';
import { formatMs as ms } from './format-table.js';
import { noiseInput } from './noise-input.js';
import { median, type TimeOptions } from './time-median.js';

/** Images per batch in the batching table. */
export const BATCH = 8;

/** Grad-CAM's per-image time one image at a time vs a batch of {@link BATCH}, on one model and runtime. */
export interface BatchingRow {
  readonly model: string;
  readonly runtime: string;
  readonly layer: string;
  readonly batch: number;
  /** Median over rounds of (ms of `explain` on each of the images one after another) ÷ images. */
  readonly oneMs: number;
  /** Median over rounds of (ms of one `explainBatch` of all the images) ÷ images. */
  readonly batchedMs: number;
  /** Median over rounds of (batched ÷ one at a time) in the same round: < 1 is a speed-up. */
  readonly ratio: number;
  readonly oneSamplesMs: readonly number[];
  readonly batchedSamplesMs: readonly number[];
}

export interface BatchingOptions extends TimeOptions {
  readonly model: string;
  readonly runtime: string;
  readonly layer: string;
  readonly registry: readonly Method<any>[];
  readonly batch?: number;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

/**
 * Times Grad-CAM (public API, top-1 class, at `layer`) on `batch` seeded noise images: one `explain`
 * per image, one after another, against one `explainBatch` of all of them. Every round runs both back
 * to back (order alternating), so load drifting over the run hits both sides of each ratio alike.
 */
export async function benchBatching(model: Model, o: BatchingOptions): Promise<BatchingRow> {
  const n = o.batch ?? BATCH;
  const images: Tensor[] = Array.from({ length: n }, (_, i) => noiseInput(model, 42 + i));
  const gs = createGradscope({ methods: o.registry });
  try {
    const request = { method: 'gradcam', layer: o.layer };
    const one = async () => {
      for (const x of images) await gs.explain(model, x, request);
    };
    const batched = () => gs.explainBatch(model, images, request);
    for (let i = 0; i < Math.max(1, o.warmup); i++) {
      await one();
      await batched();
    }
    const a: number[] = [],
      b: number[] = [];
    for (let r = 0; r < o.runs; r++) {
      // order alternating between rounds
      const first = r % 2 ? batched : one;
      const t1 = (await timed(first)) / n;
      const t2 = (await timed(first === one ? batched : one)) / n;
      a.push(first === one ? t1 : t2);
      b.push(first === one ? t2 : t1);
    }
    return {
      model: o.model,
      runtime: o.runtime,
      layer: o.layer,
      batch: n,
      oneMs: median(a),
      batchedMs: median(b),
      ratio: median(b.map((x, i) => x / a[i]!)),
      oneSamplesMs: a,
      batchedSamplesMs: b,
    };
  } finally {
    await gs.dispose();
  }
}

/** The batching table: per-image Grad-CAM one image at a time vs batched, and their ratio. */
export function formatBatchingTable(rows: readonly BatchingRow[], runs: number, load?: readonly number[]): string {
  if (!rows.length) return '(no batching rows)';
  const head = ['model, runtime (layer)', 'batch 1, per image', 'batch N, per image', 'batched ÷ one', 'speed-up'];
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map(
      (r) =>
        `| ${r.model}, ${r.runtime} (${r.layer}) | ${ms(r.oneMs)} ms | ${ms(r.batchedMs)} ms (N = ${r.batch}) | ` +
        `${r.ratio.toFixed(2)}× | ${(1 / r.ratio).toFixed(2)}× |`,
    ),
    '',
    `Grad-CAM through the public API on N seeded noise images: one \`explain\` per image vs one \`explainBatch\` ` +
      `(one batched forward/backward). ms = median over ${runs} rounds of the round's time ÷ N; ratio = median ` +
      `over rounds of (batched ÷ one at a time) in the same round, order alternating.` +
      (load ? ` Load average at the end: ${load.map((l) => l.toFixed(2)).join(', ')}.` : ''),
  ].join('\n');
}
