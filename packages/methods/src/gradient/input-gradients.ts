import type { ExplainContext, ReluMode, Target, Tensor } from '@gradscope/core';
import { rows } from '@gradscope/core';

/**
 * `∂score/∂x` for each row of `inputs` `[N, …]` (one fixed target for all), captured in chunks of
 * `batch` rows; the signal is checked before every chunk and progress reported per row.
 */
export async function inputGradients(
  ctx: ExplainContext,
  inputs: Tensor,
  target: Target,
  batch: number,
  reluMode: ReluMode = 'standard',
): Promise<Float32Array> {
  const N = inputs.shape[0]!;
  const out = new Float32Array(inputs.data.length);
  const step = ctx.model.capabilities.has('batched-forward') ? batch : 1;
  for (let start = 0; start < N; start += step) {
    ctx.checkAborted();
    const end = Math.min(N, start + step);
    const hook = await ctx.model.capture(rows(inputs, start, end), {
      layers: [],
      gradients: false,
      inputGradient: true,
      reluMode,
      targets: Array.from({ length: end - start }, () => target),
    });
    try {
      const g = hook.inputGradient;
      if (!g) throw new Error(`backend '${ctx.model.backend}' returned no input gradient`);
      out.set(g.data, (start * inputs.data.length) / N);
    } finally {
      hook.dispose();
    }
    ctx.onProgress(end, N);
  }
  return out;
}
