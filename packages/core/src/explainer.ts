import type { Capability } from './capabilities.js';
import type { DependencyContainer } from './di.js';
import { BadInputError, BadInputShapeError, BadOptionError, MissingCapabilityError } from './errors.js';
import type { Explanation } from './explanation.js';
import { resolveLayers } from './layers.js';
import type { Explainer, OptionSpec, OptionValues } from './method.js';
import type { Model } from './model.js';
import { getMethod, listMethods } from './registry.js';
import { topClass, validateTarget, type Target } from './target.js';
import type { Tensor } from './tensor.js';

export interface ExplainRequest {
  readonly method: string;
  /** `auto` (default), a layer name, or several (their maps are averaged). */
  readonly layer?: string | readonly string[];
  /** Default: the top-1 class logit. */
  readonly target?: Target;
  readonly options?: Readonly<Record<string, unknown>>;
}

/** Capabilities `method` needs that `have` lacks. */
export function missingCapabilities(method: Pick<Explainer, 'requires'>, have: ReadonlySet<Capability>): Capability[] {
  return method.requires.filter((r) => !have.has(r));
}

function checkOption(methodId: string, name: string, spec: OptionSpec, v: unknown): number | boolean | string {
  const bad = (msg: string) => new BadOptionError(methodId, name, msg);
  switch (spec.type) {
    case 'boolean':
      if (typeof v !== 'boolean') throw bad(`expected true or false, got ${JSON.stringify(v)}`);
      return v;
    case 'enum':
      if (typeof v !== 'string' || !spec.values.includes(v))
        throw bad(`expected one of ${spec.values.join(', ')}, got ${JSON.stringify(v)}`);
      return v;
    case 'number':
    case 'integer': {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`expected a number, got ${JSON.stringify(v)}`);
      if (spec.type === 'integer' && !Number.isInteger(v)) throw bad(`expected an integer, got ${v}`);
      if (spec.min !== undefined && v < spec.min) throw bad(`${v} is below the minimum ${spec.min}`);
      if (spec.max !== undefined && v > spec.max) throw bad(`${v} is above the maximum ${spec.max}`);
      return v;
    }
  }
}

/** Fills defaults and validates given options against a method's declarations. */
export function resolveOptions<O extends OptionValues>(
  method: Explainer<O>,
  given: Readonly<Record<string, unknown>> = {},
): O {
  const out: Record<string, number | boolean | string> = {};
  for (const k of Object.keys(given)) {
    if (!(k in method.options))
      throw new BadOptionError(
        method.id,
        k,
        `unknown option; declared: ${Object.keys(method.options).join(', ') || 'none'}`,
      );
  }
  for (const [k, spec] of Object.entries(method.options) as [string, OptionSpec][]) {
    out[k] = given[k] === undefined ? spec.default : checkOption(method.id, k, spec, given[k]);
  }
  return out as O;
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
 * Runs one registered method on one image. Everything that can be checked up front — the method id,
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
  const t0 = performance.now();
  const r = await method.explain({ model, input, layers, target }, options);
  return {
    method: method.id,
    space: method.space,
    map: r.map,
    raw: r.raw,
    layers: r.layers ?? layers,
    target: r.target,
    backend: model.backend,
    timings: { totalMs: performance.now() - t0 },
  };
}

/** A small facade over a container: the registered methods and `explain`. */
export function createExplainer(c: DependencyContainer) {
  return {
    methods: () => listMethods(c),
    method: (id: string) => getMethod(c, id),
    /** Methods whose requirements `model`'s backend meets. */
    runnable: (model: Pick<Model, 'capabilities'>) =>
      listMethods(c).filter((m) => missingCapabilities(m, model.capabilities).length === 0),
    explain: (model: Model, input: Tensor, req: ExplainRequest) => explain(c, model, input, req),
  };
}
