import { createGradscope, type Method, type Model, type Tensor } from '@gradscope/core';
import { median, type TimeOptions } from './time-median.js';

/** Issue 8's goal: a gradient-based CAM variant costs at most this multiple of Grad-CAM (same model, layer, run). */
export const CAM_VARIANT_GOAL = 1.1;

/**
 * The gradient-based CAM variants: every method in `registry` that works in layer space and needs
 * the target layer's gradients (one forward and a backward down to the layer, as Grad-CAM), other
 * than Grad-CAM itself. Derived from capabilities, so a new variant joins the table by itself.
 */
export function gradientCams(registry: readonly Method<any>[]): string[] {
  return registry
    .filter((m) => m.id !== 'gradcam' && m.space === 'layer' && m.requires.includes('layer-gradients'))
    .map((m) => m.id);
}

/**
 * CAM-family methods that are NOT held to the goal, and why: they need no layer gradients, so
 * Grad-CAM's cost is not their baseline (some are cheaper, some run the model many times).
 */
export const NOT_GRADIENT_BASED: Readonly<Record<string, string>> = {
  cam: 'weights from the dense head, no backward pass',
  eigencam: 'activations only (first principal component), no backward pass',
  'kpca-cam': 'activations only (kernel PCA), no backward pass',
  fem: 'activations only (k-sigma channel weights), no backward pass',
  dff: 'activations only (NMF into concepts), no backward pass',
  'random-cam': 'random weights over the activations, no backward pass',
  'sobel-cam': 'image edges, no model gradient at all',
  scorecam: 'perturbation: one masked forward per channel',
  ablationcam: 'perturbation: one ablated tail run per channel batch',
  fullgrad: 'a full backward to the input and to every bias (the cost of a saliency pass), not a layer gradient',
};

/** One gradient-based variant against Grad-CAM on one model and runtime. */
export interface CamVariantTiming {
  readonly method: string;
  /** Median ms of the variant's `explain`. */
  readonly medianMs: number;
  /** Median ms of Grad-CAM's `explain`, over the calls paired with this variant. */
  readonly gradcamMs: number;
  /** Median over rounds of (variant ms ÷ Grad-CAM ms of the adjacent call in the same round). */
  readonly ratio: number;
  readonly samplesMs: readonly number[];
  readonly gradcamSamplesMs: readonly number[];
}

export interface CamVariantRow {
  readonly model: string;
  readonly runtime: string;
  readonly layer: string;
  /** Median ms of every Grad-CAM call of the run. */
  readonly gradcamMs: number;
  readonly variants: readonly CamVariantTiming[];
}

export interface CamVariantOptions extends TimeOptions {
  readonly model: string;
  readonly runtime: string;
  readonly layer: string;
  readonly registry: readonly Method<any>[];
  /** Variants to time; default every gradient-based CAM of the registry. */
  readonly methods?: readonly string[];
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

/**
 * Times Grad-CAM and each gradient-based variant (a full public `explain`, default options, top-1
 * class, at `layer`) on `model`. Each variant is timed in pairs with Grad-CAM: every round runs,
 * for each variant, Grad-CAM and the variant back to back (their order alternating between rounds),
 * so machine load drifting over the run hits both sides of each ratio alike; the ratio is the
 * median over rounds of the per-pair ratios. One call per sample: at ResNet-18 size every call
 * lasts tens of milliseconds.
 */
export async function benchCamVariants(model: Model, input: Tensor, o: CamVariantOptions): Promise<CamVariantRow> {
  const gs = createGradscope({ methods: o.registry });
  try {
    const ids = o.methods ?? gradientCams(o.registry);
    const call = (method: string) => () => gs.explain(model, input, { method, layer: o.layer });
    const gradcam = call('gradcam');
    for (const id of ['gradcam', ...ids]) for (let i = 0; i < Math.max(1, o.warmup); i++) await call(id)();
    const v = new Map(ids.map((id) => [id, { ms: [] as number[], g: [] as number[] }]));
    for (let r = 0; r < o.runs; r++) {
      for (const id of ids) {
        const s = v.get(id)!;
        const variant = call(id);
        if (r % 2) {
          s.ms.push(await timed(variant));
          s.g.push(await timed(gradcam));
        } else {
          s.g.push(await timed(gradcam));
          s.ms.push(await timed(variant));
        }
      }
    }
    const variants = ids.map((method): CamVariantTiming => {
      const { ms, g } = v.get(method)!;
      return {
        method,
        medianMs: median(ms),
        gradcamMs: median(g),
        ratio: median(ms.map((x, i) => x / g[i]!)),
        samplesMs: ms,
        gradcamSamplesMs: g,
      };
    });
    const all = variants.flatMap((x) => x.gradcamSamplesMs);
    return { model: o.model, runtime: o.runtime, layer: o.layer, gradcamMs: all.length ? median(all) : NaN, variants };
  } finally {
    await gs.dispose();
  }
}
