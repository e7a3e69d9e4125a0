import type { Capability } from './capabilities.js';
import type { DependencyContainer } from './di.js';
import { BadInputError, BadInputShapeError, MissingCapabilityError } from './errors.js';
import type { Explanation } from './explanation.js';
import { explainContext } from './explain-context.js';
import { checkFinite, firstNonFinite, guardFinite } from './finite.js';
import { resolveLayers } from './layers.js';
import type { Method } from './method.js';
import { modelOutputShape, type Model } from './model.js';
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
  // a model whose batch is fixed to another size cannot take one image (a hostile or odd export)
  const batch = model.input.shape[0]!;
  const want = [batch >= 0 ? batch : 1, ...model.input.shape.slice(1)];
  const ok = input.shape.length === want.length && input.shape.every((d, i) => want[i]! < 0 || d === want[i]);
  if (!ok) throw new BadInputShapeError(want, input.shape);
  const i = firstNonFinite(input.data);
  if (i >= 0) throw new BadInputError(`input contains a non-finite value (${input.data[i]}) at flat index ${i}`);
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
  validateTarget(target, modelOutputShape(model));
  checkInput(model, input);
  const ctx = explainContext(
    { model: guardFinite(model), input, layers, target },
    { onProgress: req.onProgress, signal: req.signal },
  );
  ctx.checkAborted();
  const t0 = performance.now();
  // every logit, activation and gradient the method sees is checked, and so is what it returns
  const r = await method.explain(ctx, options);
  const where = layers.join(', ') || model.input.name;
  checkFinite(r.map, method.space === 'input' ? 'attribution' : 'map', where);
  checkFinite(r.raw, method.space === 'input' ? 'attribution' : 'raw map', where);
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
