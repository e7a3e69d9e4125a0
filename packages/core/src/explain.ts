import type { Capability } from './capabilities.js';
import type { DependencyContainer } from './di.js';
import { BadInputError, BadInputShapeError, MissingCapabilityError } from './errors.js';
import type { Explanation } from './explanation.js';
import { explainContext } from './explain-context.js';
import { resolveLayers } from './layers.js';
import type { Method } from './method.js';
import type { Model } from './model.js';
import { getMethod } from './registry.js';
import { resolveOptions } from './resolve-options.js';
import { topClass, validateTarget, type Target } from './target.js';
import type { Tensor } from './tensor.js';

export interface ExplainRequest {
  readonly method: string;
  /** `auto` (default), a layer name, or several (their maps are averaged). */
  readonly layer?: string | readonly string[];
  /** Default: the top-1 class logit. */
  readonly target?: Target;
  readonly options?: Readonly<Record<string, unknown>>;
  /** Called as a long method progresses (`done` of `total` units, e.g. model rows). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Cancels the run: the method stops at its next chunk with `AbortedError`, releasing everything. */
  readonly signal?: AbortSignal;
}

/** Capabilities `method` needs that `have` lacks. */
export function missingCapabilities(method: Pick<Method, 'requires'>, have: ReadonlySet<Capability>): Capability[] {
  return method.requires.filter((r) => !have.has(r));
}

/** Checks that `input` is one image in the model's input shape, with finite values. */
export function checkInput(model: Pick<Model, 'input'>, input: Tensor): void {
  const want = [1, ...model.input.shape.slice(1)];
  const ok = input.shape.length === want.length && input.shape.every((d, i) => want[i]! < 0 || d === want[i]);
  if (!ok) throw new BadInputShapeError(want, input.shape);
  // NaN and ±∞ turn `v * 0` into NaN: one cheap pass, then locate the culprit only on failure
  const d = input.data;
  // four independent sums: a single running sum is bound by the latency of float addition
  let p0 = 0,
    p1 = 0,
    p2 = 0,
    p3 = 0;
  const n4 = d.length - (d.length % 4);
  for (let i = 0; i < n4; i += 4) {
    p0 += d[i]! * 0;
    p1 += d[i + 1]! * 0;
    p2 += d[i + 2]! * 0;
    p3 += d[i + 3]! * 0;
  }
  for (let i = n4; i < d.length; i++) p0 += d[i]! * 0;
  if (p0 + p1 + p2 + p3 !== 0) {
    const i = d.findIndex((v) => !Number.isFinite(v));
    throw new BadInputError(`input contains a non-finite value (${d[i]}) at flat index ${i}`);
  }
}

/**
 * Runs one method registered on `c` on one image (what `Gradscope.explain` calls). Everything that can be checked up front — the method id,
 * capabilities, layers, target, options, input shape — is checked before any backend work.
 */
export async function explain(
  c: DependencyContainer,
  model: Model,
  input: Tensor,
  req: ExplainRequest,
): Promise<Explanation> {
  const method = getMethod(c, req.method);
  const missing = missingCapabilities(method, model.capabilities);
  if (missing.length) throw new MissingCapabilityError(method.id, model.backend, missing, model.name);
  const options = resolveOptions(method, req.options);
  const layers = method.usesLayers ? resolveLayers(model, req.layer) : [];
  const target = req.target ?? topClass();
  validateTarget(target, model.numClasses);
  checkInput(model, input);
  const ctx = explainContext({ model, input, layers, target }, { onProgress: req.onProgress, signal: req.signal });
  ctx.checkAborted();
  const t0 = performance.now();
  const r = await method.explain(ctx, options);
  return {
    method: method.id,
    space: method.space,
    map: r.map,
    raw: r.raw,
    layers: r.layers ?? layers,
    target: r.target,
    backend: model.backend,
    timings: { totalMs: performance.now() - t0 },
    ...(r.maps ? { maps: r.maps } : {}),
    ...(r.metadata ? { metadata: r.metadata } : {}),
  };
}
