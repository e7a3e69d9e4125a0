import { coalescingModel } from './coalescing-model.js';
import type { DependencyContainer } from './di.js';
import { BadInputError, BadTargetError, TargetCountError } from './errors.js';
import { explain, type ExplainRequest } from './explain.js';
import type { Explanation } from './explanation.js';
import type { Model } from './model.js';
import type { Target } from './target.js';
import { sizeOf, type Tensor } from './tensor.js';

/** An {@link ExplainRequest} for a batch: the same method and options, a target per image. */
export interface BatchExplainRequest extends Omit<ExplainRequest, 'target' | 'onProgress'> {
  /** Progress of a long method on item `item` (index into the returned explanations). */
  readonly onProgress?: (done: number, total: number, item: number) => void;
  /** One target for every image (Captum's single `target`); default: each image's top-1 class. */
  readonly target?: Target;
  /**
   * One target per image (`targets.length` = images), or, for a batch of ONE image, any number of
   * (at least one) targets: one explanation each. Any other count is a `TargetCountError`. Excludes
   * `target`.
   */
  readonly targets?: readonly Target[];
}

/** A batch: a tensor `[N, …]` in the model's input layout, or N tensors `[1, …]`. */
export type BatchInput = Tensor | readonly Tensor[];

/** The images of a batch as `[1, …]` tensors (views of a `[N, …]` tensor). */
export function batchImages(inputs: BatchInput): Tensor[] {
  if (!('data' in inputs)) return [...inputs];
  const N = inputs.shape[0] ?? 0;
  const n = N > 0 ? sizeOf(inputs.shape.slice(1)) : 0;
  return Array.from({ length: N }, (_, i) => ({
    data: inputs.data.subarray(i * n, (i + 1) * n),
    shape: [1, ...inputs.shape.slice(1)],
  }));
}

/**
 * The (image, target) pairs a batch request explains, image-major: every image with `target` (or
 * its top class); image i with `targets[i]`; or the one image with each of `targets`.
 */
export function batchItems(images: readonly Tensor[], req: BatchExplainRequest): { x: Tensor; target?: Target }[] {
  if (req.target && req.targets)
    throw new BadTargetError('give either `target` (for every image) or `targets`, not both');
  const { targets } = req;
  if (!targets) return images.map((x) => ({ x, ...(req.target ? { target: req.target } : {}) }));
  if (!targets.length) throw new TargetCountError(images.length, 0);
  if (images.length === 1) return targets.map((target) => ({ x: images[0]!, target }));
  if (targets.length !== images.length) throw new TargetCountError(images.length, targets.length);
  return images.map((x, i) => ({ x, target: targets[i]! }));
}

/**
 * Runs each request on every image of a batch (what `Gradscope.explainBatch` / `explainBatchMany`
 * call). All captures go through one pool that stacks the images (`coalescingModel` with `stack`): a
 * method's capture of N images (or of one image with N targets) is ONE batched backend capture, and
 * several methods' captures share it as `explainMany`'s do. A model with a fixed batch of one, or
 * without `batched-forward`, is captured image by image. Every request is checked (targets against
 * images first, then as `explain` checks it) before any capture reaches the backend. Returns, per
 * request, one explanation per (image, target) in image-major order.
 */
export async function explainBatch(
  c: DependencyContainer,
  model: Model,
  inputs: BatchInput,
  requests: readonly BatchExplainRequest[],
): Promise<Explanation[][]> {
  const images = batchImages(inputs);
  if (!images.length) throw new BadInputError('the batch has no image');
  const plans = requests.map((r) => batchItems(images, r));
  const pool = coalescingModel(model, { stack: true });
  try {
    // every explain's checks run synchronously here, before the pooled captures are flushed
    const runs = plans.map((items, k) => {
      const { targets: _, target: __, onProgress, ...rest } = requests[k]!;
      return items.map((it, i) =>
        explain(c, pool.model, it.x, {
          ...rest,
          ...(it.target ? { target: it.target } : {}),
          ...(onProgress ? { onProgress: (done: number, total: number) => onProgress(done, total, i) } : {}),
        }),
      );
    });
    return await Promise.all(runs.map((r) => Promise.all(r)));
  } finally {
    pool.close();
  }
}
