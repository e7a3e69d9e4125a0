import { explainContext, resolveTarget, type RunControl, type Target, type Tensor } from '@gradscope/core';
import type { MetricContext, MetricSubject } from './metric.js';

/** `t` with its class fixed to `c`, so perturbed inputs are scored on the class explained, not their own top-1. */
function fixClass(t: Target, c: number | null): Target {
  const classed = t.kind === 'class' || t.kind === 'softmax' || t.kind === 'rest' || t.kind === 'finer';
  return classed && t.index === undefined && c !== null ? { ...t, index: c } : t;
}

/**
 * The context a metric runs in. Runs the model once on the subject's input to fix the target's class
 * (the top-1 class when the target names none) and its reference score.
 */
export async function metricContext(subject: MetricSubject, control: RunControl = {}): Promise<MetricContext> {
  const { model, input } = subject;
  const base = explainContext({ model, input, layers: [], target: subject.target }, control);
  const logits = await model.forward(input);
  const K = logits.data.length / logits.shape[0]!;
  const resolved = resolveTarget(subject.target, logits.data.subarray(0, K));
  const target = fixClass(subject.target, resolved.classIndex);
  const scores = (y: Tensor): Float32Array => {
    const n = y.shape[0]!;
    const k = y.data.length / n;
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = resolveTarget(target, y.data.subarray(i * k, (i + 1) * k)).score;
    return out;
  };
  return {
    ...subject,
    target,
    resolved,
    seed: subject.seed ?? 0,
    scores,
    forwardBatch: base.forwardBatch,
    signal: base.signal,
    checkAborted: base.checkAborted,
    onProgress: base.onProgress,
  };
}
