import { resolveTarget, type CaptureRequest, type LayerHook, type ResolvedTarget, type Tensor } from '@gradscope/core';
import { buildBackwardMany, type BranchRequest } from '../grad/build-backward-many.js';
import { releaseOutputs } from '../ort-tensors.js';
import type { OrtTensor } from '../ort-types.js';
import { seedFeed } from './capture-feeds.js';
import type { ModelDeps } from './model-deps.js';
import { planCapture, type CapturePlan } from './capture-plan.js';

/** What `captureMany` uses of an OnnxModel. */
export interface CaptureManyDeps extends ModelDeps {
  forward(x: Tensor): Promise<Tensor>;
  resolveTargets(targets: CaptureRequest['targets'], logits: Tensor): ResolvedTarget[];
}

interface Branch extends BranchRequest {
  readonly key: string;
  readonly requests: number[];
  readonly seeds: readonly Float32Array[];
  readonly targets: CaptureRequest['targets'];
}

/**
 * Several captures of one batch in ONE session.run: requests that need a backward pass are grouped
 * into branches by ReLU mode and seed (targets), each branch a backward walk of its own from the
 * shared forward (`buildBackwardMany`); activations are outputs of that forward. The derived model
 * is cached under the combined plan. Hooks come back in request order, as `capture` would return them.
 */
export async function captureMany(d: CaptureManyDeps, x: Tensor, requests: readonly CaptureRequest[]) {
  const plans = requests.map((r) =>
    planCapture(
      r,
      r.layers.map((l) => d.tensorFor(l)),
    ),
  );
  // in-graph FinerCAM seeds are for single captures: here their seeds are resolved on a forward
  const logitsFirst = plans.some((p) => p.resolveFirst || p.finer) ? await d.forward(x) : null;
  const resolved = requests.map((r) => (logitsFirst ? d.resolveTargets(r.targets, logitsFirst) : null));
  const zeros = new Float32Array(d.outputDims.reduce((a, b) => a * b, 1));
  const branches = groupBranches(requests, plans, (i) =>
    (resolved[i] ?? requests[i]!.targets.map((t) => resolveTarget(t, zeros, d.outputDims))).map((r) => r.seed),
  );
  const activations = [...new Set(plans.flatMap((p) => p.tensors))];
  const key = `many|${activations.join('\u0000')}|${branches.map((b) => branchShape(b)).join('|')}`;
  const { parts } = d;
  const derived = await d.cache.get(key, async () => {
    const { model, ...many } = buildBackwardMany(parts.graph, parts.facts, parts.rules, {
      activations,
      branches,
      maskByMultiply: parts.maskByMultiply,
    });
    const options = branches.length ? parts.backwardSessionOptions : parts.sessionOptions;
    return { session: await d.sessions.create(model, options), many };
  });
  const many = derived.many!;
  const feeds: Record<string, OrtTensor> = { [parts.graph.inputName]: d.toOrt(x) };
  branches.forEach((b, k) =>
    Object.assign(
      feeds,
      seedFeed(parts.ort, many.branches[k]!, b.seedFromArgmax ? 'sign' : null, b.targets, b.seeds, d.outputDims),
    ),
  );
  const out = await d.sessions.run(derived.session, feeds);
  try {
    return requests.map((req, i): LayerHook => {
      const logits = d.outputs.take(out, parts.graph.outputName);
      const targets = resolved[i] ?? d.resolveTargets(req.targets, logits);
      const k = branches.findIndex((b) => b.requests.includes(i));
      const branch = k < 0 ? null : { req: branches[k]!, out: many.branches[k]! };
      const acts = new Map<string, Tensor>(),
        grads = new Map<string, Tensor>();
      req.layers.forEach((l, j) => {
        const t = plans[i]!.tensors[j]!;
        acts.set(l, d.outputs.take(out, t));
        if (branch && req.gradients)
          grads.set(l, d.outputs.take(out, branch.out.gradients[branch.req.gradients.indexOf(t)]!));
      });
      const ig = branch && req.inputGradient ? d.outputs.take(out, branch.out.inputGradient!) : undefined;
      return {
        logits,
        targets,
        activations: acts,
        gradients: grads,
        ...(ig ? { inputGradient: ig } : {}),
        dispose: () => undefined,
      };
    });
  } finally {
    releaseOutputs(out);
  }
}

/** The part of a branch that shapes the graph (its seed values are fed at run time). */
const branchShape = (b: BranchRequest) =>
  `${b.reluMode}${b.rectifiers === 'relu' ? '|relu-only' : ''}|${b.seedFromArgmax ? 'top' : 'seed'}|i${+b.inputGradient}|${b.gradients.join('\u0000')}`;

/** Requests that need a backward pass, grouped by ReLU mode and seed; each branch's gradient layers are the union. */
function groupBranches(
  requests: readonly CaptureRequest[],
  plans: readonly CapturePlan[],
  seedsOf: (i: number) => Float32Array[],
): Branch[] {
  const byKey = new Map<string, Branch>();
  requests.forEach((r, i) => {
    const p = plans[i]!;
    if (!p.needsBackward) return;
    const seeds = seedsOf(i);
    const seedKey = p.argmax
      ? r.targets.map((t) => (t.negate ? '-' : '+')).join('')
      : seeds.map((s) => s.join(',')).join(';');
    const reluOnly = p.rectifiers === 'relu' && p.mode !== 'standard';
    const key = `${p.mode}${reluOnly ? '|relu-only' : ''}|${p.argmax ? 'top' : 'seed'}|${seedKey}`;
    const b = byKey.get(key);
    const gradients = r.gradients ? p.tensors : [];
    byKey.set(key, {
      key,
      reluMode: p.mode,
      ...(reluOnly ? { rectifiers: 'relu' as const } : {}),
      seedFromArgmax: p.argmax,
      gradients: [...new Set([...(b?.gradients ?? []), ...gradients])],
      inputGradient: (b?.inputGradient ?? false) || r.inputGradient,
      requests: [...(b?.requests ?? []), i],
      seeds,
      targets: r.targets,
    });
  });
  return [...byKey.values()];
}
