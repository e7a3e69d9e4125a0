import { coalescingModel } from './coalescing-model.js';
import type { DependencyContainer } from './di.js';
import { explain, type ExplainRequest } from './explain.js';
import type { Explanation } from './explanation.js';
import type { Model } from './model.js';
import type { Tensor } from './tensor.js';

/**
 * Runs several methods on one image side by side against a `coalescingModel`, so that their
 * captures share one forward pass (one `captureMany`) and a capture one method repeats (Guided
 * Grad-CAM's guided backprop) is served once. Each request is checked as `explain` checks it; a bad
 * request fails the call before any capture reaches the backend. Explanations come back in request
 * order; each `timings.totalMs` is that method's wall time within the shared run.
 */
export async function explainMany(
  c: DependencyContainer,
  model: Model,
  input: Tensor,
  requests: readonly ExplainRequest[],
): Promise<Explanation[]> {
  const pool = coalescingModel(model);
  try {
    // every request's checks run synchronously here, before the pooled captures are flushed
    return await Promise.all(requests.map((req) => explain(c, pool.model, input, req)));
  } finally {
    pool.close();
  }
}
